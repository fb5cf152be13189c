package sitrep

import (
	"fmt"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Sections on the Union response (R9–R13). Each item carries the marking of
// the record it comes from, so the report's audience check (admit) decides it
// like any other.

func stamp(r crisis.Record) string {
	return r.At.UTC().Format(time.RFC3339) + " by " + r.Organisation
}

func (b *builder) recordSource(r crisis.Record) Source {
	return eventSource(b.in.Case, r.Event, r.Organisation, r.At)
}

func (b *builder) mechanismName(id string) string {
	if m, ok := b.in.Model.Mechanism(id); ok {
		return m.Name
	}
	return id
}

// mechanismItems: requests, activations, points of contact and deactivations
// of Annex II mechanisms, the Commission's integrated analyses, and the hybrid
// campaign flag that brings the Hybrid Toolbox in.
func (b *builder) mechanismItems() []Item {
	var items []Item
	c := b.in.Case
	if c.Hybrid != nil {
		state := "not part of a hybrid campaign"
		if c.Hybrid.Flagged {
			state = "part of a hybrid campaign: Hybrid Toolbox and EU HRRTs apply"
		}
		items = append(items, Item{Heading: "Hybrid campaign (§55(c)(vi))", Facts: []Fact{{"Assessment", state}, {"Reason", c.Hybrid.Reason}, {"Recorded", stamp(c.Hybrid.Record)}},
			Source: b.recordSource(c.Hybrid.Record), Marking: c.Hybrid.Marking})
	}
	for _, m := range c.MechanismLog {
		facts := []Fact{{"Action", string(m.Action)}, {"Detail", m.Detail}}
		if m.MemberState != "" {
			facts = append(facts, Fact{"Requested by", b.msName(m.MemberState)})
		}
		if m.Contact != "" {
			facts = append(facts, Fact{"Point of contact", m.Contact})
		}
		facts = append(facts, Fact{"Recorded", stamp(m.Record)})
		items = append(items, Item{Heading: b.mechanismName(m.Mechanism), Facts: facts, Source: b.recordSource(m.Record), Marking: m.Marking})
	}
	for _, a := range c.Analyses {
		facts := []Fact{{"Analysis", a.Analysis}}
		for i, o := range a.Options {
			facts = append(facts, Fact{fmt.Sprintf("Option %d", i+1), o})
		}
		facts = append(facts, Fact{"Recorded", stamp(a.Record)})
		items = append(items, Item{Heading: "Integrated cross-sector analysis (§55(b)(iv)(c))", Facts: facts, Source: b.recordSource(a.Record), Marking: a.Marking})
	}
	return items
}

// reserveItems: per request, its status and clocks — marked as the most
// restrictive of the notice and the updates they come from — and, where the
// author may see it, the request's content under its own marking.
func (b *builder) reserveItems() []Item {
	var items []Item
	clocks := map[string]crisis.ReserveClock{}
	for _, k := range b.in.ReserveClocks {
		clocks[k.Request] = k
	}
	for _, r := range b.in.Case.Reserve {
		heading := "Request " + r.ID + " — " + b.msName(r.Requester)
		var markings []tlp.Marking
		source := Source{Kind: "case-event", ID: r.ID, Organisation: r.Organisation, At: r.RequestedAt, Version: b.in.Case.Version}
		switch {
		case r.Notice != nil:
			markings = append(markings, r.Notice.Marking)
		case r.Content != nil:
			markings = append(markings, r.Content.Marking)
		}
		facts := []Fact{{"Requested", r.RequestedAt.UTC().Format(time.RFC3339)}, {"Status", string(r.Status)}}
		if k, ok := clocks[r.ID]; ok {
			facts = append(facts, Fact{"Deployment clock", k.Text})
			if !k.ReportDue.IsZero() {
				state := "due " + k.ReportDue.UTC().Format(time.RFC3339)
				if k.ReportOverdue {
					state = "overdue since " + k.ReportDue.UTC().Format(time.RFC3339)
				}
				facts = append(facts, Fact{"User's report", state})
			}
		}
		for _, u := range r.Updates {
			markings = append(markings, u.Marking)
			fact := Fact{"Status " + string(u.Status), stamp(u.Record)}
			if u.Note != "" {
				fact.Value += ": " + u.Note
			}
			facts = append(facts, fact)
		}
		if len(r.Notified) > 0 {
			facts = append(facts, Fact{"Notified", strings.Join(r.Notified, ", ")})
		}
		m, err := tlp.Combine(b.in.Directory, markings...)
		if err != nil || len(markings) == 0 {
			// Markings that share no audience: no report's audience may read
			// the whole item, so it is marked for the author alone and
			// withheld from any report for others.
			m = tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{b.in.Author.User}}, Exercise: b.in.Case.Marking.Exercise}
		}
		items = append(items, Item{Heading: heading, Facts: facts, Source: source, Marking: m})
		if c := r.Content; c != nil {
			items = append(items, Item{Heading: heading + ": what was requested (Regulation 2025/38 art. 15)", Facts: []Fact{
				{"Affected entity", c.AffectedEntity}, {"Impact", c.Impact}, {"Planned use", c.PlannedUse},
				{"Estimated needs", c.EstimatedNeeds}, {"Mitigation already taken", c.Mitigation}, {"Other support", c.OtherSupport},
			}, Source: b.recordSource(c.Record), Marking: c.Marking})
		}
	}
	return items
}

func (b *builder) communicationItems() []Item {
	var items []Item
	for _, c := range b.in.Case.Communications {
		who := b.msName(c.MemberState)
		if c.MemberState == "" {
			who = c.Organisation
		}
		facts := []Fact{{"Audience", c.Audience}, {"Published", c.PublishedAt.UTC().Format(time.RFC3339)}, {"Summary", c.Summary}}
		if c.Link != "" {
			facts = append(facts, Fact{"Link", c.Link})
		}
		if c.Embargoed(b.in.Now) {
			facts = append(facts, Fact{"Embargo", "until " + c.EmbargoUntil.UTC().Format(time.RFC3339) + ": do not publish before"})
		}
		items = append(items, Item{Heading: string(c.Kind) + " — " + who, Facts: facts, Source: b.recordSource(c.Record), Marking: c.Marking})
	}
	return items
}

func (b *builder) diplomacyItems() []Item {
	var items []Item
	for _, d := range b.in.Case.Diplomacy {
		items = append(items, Item{Heading: "Cyber Diplomacy Toolbox: " + d.Measure + " (" + string(d.Stage) + ")",
			Facts: []Fact{{"Detail", d.Detail}, {"Recorded", stamp(d.Record)}}, Source: b.recordSource(d.Record), Marking: d.Marking})
	}
	for _, p := range b.in.Case.ContactPoints {
		items = append(items, Item{Heading: "Point of contact with " + strings.ToUpper(p.Partner[:1]) + p.Partner[1:],
			Facts: []Fact{{"Contact", p.Contact}, {"Recorded", stamp(p.Record)}}, Source: b.recordSource(p.Record), Marking: p.Marking})
	}
	return items
}

func (b *builder) recoveryItems() []Item {
	var items []Item
	for _, r := range b.in.Case.Recovery {
		facts := []Fact{{"State", string(r.State)}}
		if r.Detail != "" {
			facts = append(facts, Fact{"Detail", r.Detail})
		}
		facts = append(facts, Fact{"Recorded", stamp(r.Record)})
		items = append(items, Item{Heading: b.msName(r.MemberState) + " — " + b.sectorNames([]string{r.Sector}) + " — " + r.Function,
			Facts: facts, Source: b.recordSource(r.Record), Marking: r.Marking})
	}
	return items
}

func (b *builder) reviewItems() []Item {
	var items []Item
	for _, r := range b.in.Case.Reviews {
		facts := []Fact{{"Stage", string(r.Stage)}}
		if r.Scope != "" {
			facts = append(facts, Fact{"Requested by", r.RequestedBy}, Fact{"Member States concerned", strings.Join(r.MemberStates, ", ")}, Fact{"Scope", r.Scope})
		}
		if r.Delivery != "" {
			facts = append(facts, Fact{"Delivered", r.DeliveredAt.UTC().Format(time.RFC3339) + ": " + r.Delivery})
		}
		items = append(items, Item{Heading: "Incident review " + r.ID, Facts: facts, Source: b.recordSource(r.Record), Marking: r.Marking})
	}
	return items
}

// militaryItems: the notices of military response capabilities used (§70).
// Their marking names EU-CyCLONe's organisations and the EEAS only, so they
// reach a report only when its audience is among those.
func (b *builder) militaryItems() []Item {
	var items []Item
	for _, n := range b.in.Case.MilitaryNotices {
		items = append(items, Item{Heading: "Military response capabilities used — " + b.msName(n.MemberState),
			Facts:  []Fact{{"Capabilities", n.Capabilities}, {"Detail", n.Detail}, {"Recorded", stamp(n.Record)}},
			Source: b.recordSource(n.Record), Marking: n.Marking})
	}
	return items
}
