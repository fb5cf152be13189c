package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/sitrep"
	"github.com/eucyber/blueprint/internal/tlp"
)

// The case room: where a case stands (the ladder, §20, networks, IPCR) above
// tabs for its timeline, reports, playbook, decisions and situation reports.
// Everything on it comes from the caller's view (Deps.caseView), and the
// controls are exactly what crisis.AllowedFor gives the caller: nobody sees
// a control they may not use.

// caseTabs are the tabs in the order the page shows them; the first is the
// default.
var caseTabs = []struct{ name, label string }{
	{"playbook", "Playbook"},
	{"timeline", "Timeline"},
	{"reports", "Reports"},
	{"decisions", "Decisions"},
	{"response", "Union response"},
	{"sitreps", "Situation reports"},
}

type caseTab struct {
	Name, Label string
	Current     bool
}

type caseRoomPage struct {
	basePage
	ID   string
	View caseResponse
	Tab  string
	Tabs []caseTab
	// Withheld is what a draft for the chosen marking would leave out, when
	// the author asked ("Show what would be left out"); only the author sees it.
	Withheld        []sitrep.Withheld
	WithheldChecked bool
	// Met are the ladder's criteria the caller's view meets.
	Met []crisis.Criterion
	// ActiveNetworks are the names of the networks active for the case.
	ActiveNetworks []string
	// Form is the form that was sent and failed, shown again with its
	// values and messages; Alert a refusal no form on the page can show.
	Form  uiForm
	Alert string

	Timeline []timelineEntry
	Reports  []crisis.NationalReport
	Linkable []crisis.NationalReport
	Next     []stepRow
	Groups   []stepGroup

	Decisions    []crisis.Decision
	Allowed      crisis.Allowed
	NetworkForms []networkForm
	WhoDecides   string
	// Parties are the parties to consult before an IPCR decision (Annex
	// II(3)); WithPresidency offers the GSC, the Commission and the EEAS the
	// confirmation that they act with the Presidency.
	Parties        []string
	WithPresidency bool
	// GapRows number the roundtable form's gap rows; OpenGaps are the gaps
	// awaiting a report-back; Actors whom a gap may be addressed to.
	GapRows  []int
	OpenGaps []crisis.Gap
	Actors   []model.Actor

	// Response is the Union response tab's data (ui_case_response.go).
	Response responseTab

	Sitreps     []versionSummary
	SitrepKinds []sitrep.Kind
	Formats     []string
	Publishable []sitrep.Kind
	Marking     markingFields
}

// networkForm is one network the caller may activate or deactivate.
type networkForm struct {
	Network  string
	Activate bool
}

// FormID is the id of the form's element, which the browser tests use.
func (n networkForm) FormID() string { return "network-form-" + n.Network }

func (u *webUI) caseRoom(w http.ResponseWriter, r *http.Request) error {
	return u.showCase(w, r, r.PathValue("id"), r.URL.Query().Get("tab"), http.StatusOK, uiForm{}, "")
}

// showCase builds the case room for the caller. A failed form comes back in
// it with its messages, on the tab the form is on.
func (u *webUI) showCase(w http.ResponseWriter, r *http.Request, id, tab string, status int, f uiForm, alert string, extra ...func(*caseRoomPage)) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	v, err := u.d.caseView(r, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(caseTabs, func(t struct{ name, label string }) bool { return t.name == tab }) {
		tab = caseTabs[0].name
	}
	p := &caseRoomPage{ID: v.Case.ID, View: v, Tab: tab, Form: f, Alert: alert}
	for _, set := range extra {
		set(p)
	}
	p.Title = v.Case.Title
	p.markExercise(v.Case.Marking.Exercise)
	for _, rep := range v.Reports {
		p.markExercise(rep.Content.Marking.Exercise)
	}
	for _, t := range caseTabs {
		p.Tabs = append(p.Tabs, caseTab{Name: t.name, Label: t.label, Current: t.name == tab})
	}
	for _, cr := range v.Ladder.Criteria {
		if cr.Met {
			p.Met = append(p.Met, cr)
		}
	}
	for _, n := range v.Case.Networks {
		if n.Active {
			p.ActiveNetworks = append(p.ActiveNetworks, u.networkName(n.Network))
		}
	}
	// The forms this page shows; a failed form's messages go into it, or
	// into the alert at the top when the page does not show it.
	shown := map[string]bool{}
	switch tab {
	case "timeline":
		p.Timeline = u.timeline(v.Timeline)
	case "reports":
		if err := u.reportsTab(r, p); err != nil {
			return err
		}
		shown["link-form"] = !v.Case.Closed && len(p.Linkable) > 0
	case "playbook":
		p.Now = u.now()
		p.Next, p.Groups = u.playbookTab(v, p.Now)
	case "decisions":
		u.decisionsTab(p, u.d.reporter(c))
		for _, o := range p.Allowed.Decisions {
			shown["decision-form-"+string(o.Authority)] = true
		}
		for _, n := range p.NetworkForms {
			shown[n.FormID()] = true
		}
		shown["close-form"], shown["reopen-form"] = p.Allowed.Close, p.Allowed.Reopen
		shown["signal-form"], shown["arrangements-form"] = len(p.Allowed.Signals) > 0, p.Allowed.Arrangements
		shown["ipcr-form"], shown["roundtable-form"] = len(p.Allowed.IPCR) > 0, p.Allowed.Roundtable
	case "response":
		u.responseTab(p, u.d.reporter(c))
		maps.Copy(shown, responseForms(p.Allowed.Response))
	case "sitreps":
		if err := u.sitrepsTab(r, p, u.d.reporter(c)); err != nil {
			return err
		}
		shown["sitrep-form"] = true
	}
	if f.Errors.Any() && !shown[f.ID] {
		var msgs []string
		for _, fe := range f.Errors.List() {
			msgs = append(msgs, fe.Message)
		}
		p.Alert = strings.TrimSpace(p.Alert + " " + strings.Join(msgs, " "))
	}
	return u.render(w, r, "case", status, p)
}

// reportsTab lists the linked reports the caller may read and, for the link
// form, the reports they may see that are not linked yet.
func (u *webUI) reportsTab(r *http.Request, p *caseRoomPage) error {
	p.Reports = p.View.Reports
	if p.View.Case.Closed {
		return nil
	}
	all, err := u.d.Reports.All(r.Context())
	if err != nil {
		return err
	}
	viewer := u.d.viewer(r)
	for i := len(all) - 1; i >= 0; i-- {
		rep := all[i]
		if !p.View.Case.Linked(rep.ID) && tlp.CanSee(viewer, reports.Item(rep)) {
			p.Linkable = append(p.Linkable, rep)
		}
	}
	return u.d.recordReportReads(r, p.Linkable...)
}

// decisionsTab lists the decisions in the caller's view, newest first, and
// the controls AllowedFor gives the caller.
func (u *webUI) decisionsTab(p *caseRoomPage, who crisis.Reporter) {
	p.Decisions = slices.Clone(p.View.Case.Decisions)
	slices.Reverse(p.Decisions)
	p.Allowed = crisis.AllowedFor(who, p.View.Case)
	for _, n := range p.Allowed.Networks {
		p.NetworkForms = append(p.NetworkForms, networkForm{Network: n, Activate: !p.View.Case.NetworkActive(n)})
	}
	if len(p.Allowed.Decisions) == 0 {
		p.WhoDecides = whoDecides(who)
	}
	if len(p.Allowed.IPCR) > 0 {
		p.Parties = crisis.RequiredConsultations(p.View.Case)
		p.WithPresidency = slices.Contains([]string{crisis.ActorCouncil, crisis.ActorCommission, crisis.ActorEEAS}, who.Actor)
	}
	if p.Allowed.Roundtable {
		for n := 1; n <= gapRowCount; n++ {
			p.GapRows = append(p.GapRows, n)
		}
		p.OpenGaps = p.View.Case.OpenGaps()
		p.Actors = u.d.Model.Actors
	}
}

// whoDecides is the sentence a caller without a ladder decision to take
// reads instead of controls: whom to call.
func whoDecides(who crisis.Reporter) string {
	s := "Ladder decisions on this case are recorded by a coordinator of the competent organisation: " +
		"the authority of a Member State whose report is linked assesses significance (§7(b), §49); " +
		"the CSIRTs Network's chair records its advice (§50); EU-CyCLONe's chair its assessment (§55(b)(iii)); " +
		"the Council Presidency determines a cyber crisis (§7(d))."
	if who.Role != "coordinator" && who.Role != "admin" {
		s += " Your role is " + who.Role + ": a coordinator of your organisation records its decisions."
	}
	return s
}

// sitrepsTab lists the published situation reports the caller may see, as
// GET /api/v1/cases/{id}/sitreps does, and prepares the draft form.
func (u *webUI) sitrepsTab(r *http.Request, p *caseRoomPage, who crisis.Reporter) error {
	vs, err := u.d.Publications.Versions(r.Context(), p.ID)
	if err != nil {
		return err
	}
	viewer := u.d.viewer(r)
	var shown []event.Event
	for _, ver := range vs {
		if !tlp.CanSee(viewer, itemOfEvent(ver.Event)) {
			continue
		}
		doc := ver.Published.Document
		p.Sitreps = append(p.Sitreps, versionSummary{Kind: doc.Kind, Version: doc.Version, Title: doc.Title, Marking: doc.Marking,
			Organisation: ver.Published.Organisation, PublishedAt: ver.Published.PublishedAt, Digest: ver.Published.Digest, Delta: doc.Delta})
		shown = append(shown, ver.Event)
		p.markExercise(doc.Marking.Exercise)
	}
	slices.Reverse(p.Sitreps)
	if err := u.d.recordReads(r, shown); err != nil {
		return err
	}
	p.SitrepKinds, p.Formats = sitrep.Kinds(), sitrep.Formats()
	for _, k := range sitrep.Kinds() {
		if sitrep.MayPublish(k, who) == nil {
			p.Publishable = append(p.Publishable, k)
		}
	}
	p.Marking = u.markingFields(callerFrom(r.Context()).User.ID)
	return nil
}

// closureForm is what the "closure" partial shows: the close or the reopen
// form.
type closureForm struct {
	CaseID, ID, Action, Heading, CSRF string
	Form                              uiForm
}

// Closure prepares the close (or reopen) form, with its values and messages
// if it was the one sent.
func (p *caseRoomPage) Closure(id, action, heading string) closureForm {
	return closureForm{CaseID: p.ID, ID: id, Action: action, Heading: heading, CSRF: p.CSRF, Form: p.Form.For(id)}
}

// ReserveOverdue lists the clocks of the Reserve requests whose deployment
// clock ran out, for the alert at the top of the case room.
func (p *caseRoomPage) ReserveOverdue() []crisis.ReserveClock {
	var out []crisis.ReserveClock
	for _, k := range p.View.ReserveClocks {
		if k.Overdue || k.ReportOverdue {
			out = append(out, k)
		}
	}
	return out
}

// HasControls reports whether the caller may record anything from the
// decisions tab.
func (p *caseRoomPage) HasControls() bool {
	return len(p.Allowed.Decisions) > 0 || len(p.NetworkForms) > 0 || p.Allowed.Close || p.Allowed.Reopen ||
		len(p.Allowed.Signals) > 0 || p.Allowed.Arrangements || len(p.Allowed.IPCR) > 0 || p.Allowed.Roundtable
}
