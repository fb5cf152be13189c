package web

import (
	"crypto/rand"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/playbook"
)

// How the pages write times, levels and names. Times are UTC and say so; the
// <time datetime> element beside them carries the instant for the reader's
// own clock.

func uiFuncs(u *webUI) template.FuncMap {
	return template.FuncMap{
		"utc":         utcText,
		"rfc3339":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"relative":    relative,
		"levelName":   levelName,
		"tlpClass":    tlpClass,
		"tlpMeaning":  tlpMeaning,
		"audience":    u.audienceText,
		"networkName": u.networkName,
		"orgName":     u.orgName,
		"userName":    u.userName,
		"actorName":   u.actorName,
		"msName":      u.memberStateName,
		"stateText":   stateText,
		"authority":   authorityName,
		"join":        strings.Join,
		// onceKey is a fresh idempotency key for one form as drawn: sent
		// twice (a double click, a resend), the command is recorded once.
		"onceKey": func() string { return rand.Text() },
		"datetimeLocal": func(t time.Time) string {
			return t.UTC().Format(datetimeLocalLayout)
		},
	}
}

// datetimeLocalLayout is what an <input type="datetime-local"> sends.
const datetimeLocalLayout = "2006-01-02T15:04"

// utcText is how every page writes a time: unambiguous at 3 a.m. in any
// Member State.
func utcText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("Mon 2 Jan 2006, 15:04") + " UTC"
}

// relative says how far t is from now: "in 2 h 10 min", "35 min ago".
func relative(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(now)
	ago := d < 0
	if ago {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		s = fmt.Sprintf("%d h", h)
		if m := int(d.Minutes()) - 60*h; m > 0 && h < 10 {
			s += fmt.Sprintf(" %d min", m)
		}
	default:
		s = fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if ago {
		return s + " ago"
	}
	return "in " + s
}

// levelName writes a ladder level as a heading word: "Potential large-scale".
func levelName(l crisis.Level) string {
	s := strings.ReplaceAll(string(l), "-", " ")
	if s == "" {
		return "—"
	}
	s = strings.Replace(s, "large scale", "large-scale", 1)
	return strings.ToUpper(s[:1]) + s[1:]
}

// stateText is a playbook state as a badge says it; overdue is in capitals
// so that it does not rely on colour.
func stateText(state string) string {
	switch state {
	case playbook.StateOverdue:
		return "OVERDUE"
	case playbook.StateDone:
		return "Done"
	case playbook.StatePending:
		return "Pending"
	case playbook.StateNotApplicable:
		return "Not applicable"
	}
	return state
}

// actorName names a model actor ("Member States", "ENISA").
func (u *webUI) actorName(id string) string {
	if a, ok := u.d.Model.Actor(id); ok && a.Name != "" {
		return a.Name
	}
	return id
}

// memberStateName writes a Member State as "NL Netherlands"; EU is the Union
// entities CERT-EU reports for.
func (u *webUI) memberStateName(code string) string {
	if code == crisis.UnionEntities {
		return "EU Union entities"
	}
	if ms, ok := u.d.Model.MemberState(code); ok {
		return code + " " + ms.Name
	}
	return code
}

// authorityName says in whose capacity a ladder decision is taken.
func authorityName(a crisis.Authority) string {
	switch a {
	case crisis.AuthorityNational:
		return "significance assessment by a Member State's authority"
	case crisis.AuthorityNetworkAdvice:
		return "the CSIRTs Network's advice"
	case crisis.AuthorityCyCLONe:
		return "EU-CyCLONe's assessment"
	case crisis.AuthorityCrisis:
		return "cyber-crisis determination"
	}
	return string(a)
}
