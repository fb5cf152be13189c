package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// The case room's "Union response" tab (R9–R13): the Reserve requests with
// their clocks, the mechanisms requested and activated, public communication,
// diplomacy and partners, military notices, recovery and incident reviews,
// each with the form AllowedFor gives the caller. The forms post through the
// same crisis Decide functions as the JSON API.

// responseTab is what the tab shows besides the case itself.
type responseTab struct {
	Clocks     map[string]crisis.ReserveClock
	Mechanisms []model.Mechanism
	Sectors    []model.Sector
	// OpenReviews are the review requests ENISA may deliver on.
	OpenReviews []crisis.ReviewRequest
	// Clock is the Reserve's deployment clock as this node runs it: "24 hours".
	Clock string
}

func (u *webUI) responseTab(p *caseRoomPage, who crisis.Reporter) {
	p.Allowed = crisis.AllowedFor(who, p.View.Case)
	p.Response.Clocks = map[string]crisis.ReserveClock{}
	for _, k := range p.View.ReserveClocks {
		p.Response.Clocks[k.Request] = k
	}
	p.Now = u.now()
	if clock, ok := u.d.Cases.Playbook.Clock(cases.ReserveClockID); ok {
		p.Response.Clock = clock.Duration.Words()
	}
	p.Response.Mechanisms = u.d.Model.Mechanisms
	p.Response.Sectors = u.d.Model.Sectors
	for _, r := range p.View.Case.Reviews {
		if r.Stage == crisis.ReviewRequested {
			p.Response.OpenReviews = append(p.Response.OpenReviews, r)
		}
	}
}

// responseForms lists the forms of the tab the caller may use, for the case
// room's choice between showing a failed form's messages in it or above.
func responseForms(a crisis.AllowedResponse) map[string]bool {
	shown := map[string]bool{
		"reserve-form": a.ReserveRequest, "hybrid-form": a.Hybrid, "mechanism-form": len(a.MechanismActions) > 0,
		"analysis-form": a.Analysis, "communication-form": len(a.Communication) > 0, "diplomacy-form": len(a.Diplomacy) > 0,
		"contact-form": len(a.ContactPoints) > 0, "military-form": a.MilitaryNotice, "recovery-form": a.Recovery,
		"review-form": a.ReviewRequest, "delivery-form": a.ReviewDelivery,
	}
	for id := range a.ReserveUpdates {
		shown["reserve-status-form-"+id] = true
	}
	return shown
}

// responseForm builds a form handler of the tab whose labels name the input
// of each field as "<prefix>-<field>".
func (u *webUI) responseForm(id, prefix string, fields []string, decide func(r *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error)) uiHandler {
	return u.caseCommand(caseForm{tab: "response",
		id: func(uiForm) string { return id },
		labels: func(uiForm) fieldLabels {
			l := fieldLabels{}
			for _, name := range fields {
				l[name] = fieldInfo{strings.ReplaceAll(strings.ToUpper(name[:1])+name[1:], "_", " "), prefix + "-" + strings.ReplaceAll(name, "_", "-")}
			}
			return l
		},
		decide: decide,
	})
}

func (u *webUI) reserveRequest() uiHandler {
	return u.responseForm("reserve-form", "reserve", []string{"affected_entity", "impact", "planned_use", "estimated_needs", "mitigation_taken", "other_support"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.ReserveRequestBody{AffectedEntity: f.Get("affected_entity"), Impact: f.Get("impact"), PlannedUse: f.Get("planned_use"),
				EstimatedNeeds: f.Get("estimated_needs"), Mitigation: f.Get("mitigation_taken"), OtherSupport: f.Get("other_support")}
			now := u.d.Cases.Now()
			return func(c crisis.Case) (crisis.Draft, error) {
				return crisis.DecideReserveRequest(who, c, newRecordID("reserve", c), req, now)
			}, nil
		})
}

func (u *webUI) reserveStatus() uiHandler {
	return u.caseCommand(caseForm{tab: "response",
		id: func(f uiForm) string { return "reserve-status-form-" + f.Get("request") },
		labels: func(f uiForm) fieldLabels {
			r := f.Get("request")
			return fieldLabels{"status": {"Status", "reserve-status-" + r}, "note": {"Note", "reserve-note-" + r}}
		},
		decide: func(r *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			id := r.PathValue("request")
			req := crisis.ReserveUpdateBody{Status: crisis.ReserveStatus(f.Get("status")), Note: f.Get("note")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideReserveUpdate(who, c, id, req) }, nil
		},
	})
}

func (u *webUI) hybrid() uiHandler {
	return u.responseForm("hybrid-form", "hybrid", []string{"reason"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.HybridRequest{Flagged: f.Get("flagged") == "yes", Reason: f.Get("reason")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideHybrid(who, c, req) }, nil
		})
}

func (u *webUI) mechanismRecord() uiHandler {
	return u.responseForm("mechanism-form", "mechanism", []string{"mechanism", "action", "contact", "detail"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.MechanismRequest{Mechanism: f.Get("mechanism"), Action: crisis.MechanismAction(f.Get("action")), Contact: f.Get("contact"), Detail: f.Get("detail")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideMechanism(u.d.Model, who, c, req) }, nil
		})
}

// analysisFields: the options are one per line, and an error about one
// points at the textarea that holds them all.
func (u *webUI) analysis() uiHandler {
	return u.caseCommand(caseForm{tab: "response",
		id: func(uiForm) string { return "analysis-form" },
		labels: func(f uiForm) fieldLabels {
			l := fieldLabels{"analysis": {"Analysis", "analysis-analysis"}, "options": {"Options", "analysis-options"}}
			for i := range optionLines(f.Get("options")) {
				l[fmt.Sprintf("options[%d]", i)] = fieldInfo{fmt.Sprintf("Option %d", i+1), "analysis-options"}
			}
			return l
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := analysisRequest(f)
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideAnalysis(who, c, req) }, nil
		},
	})
}

func analysisRequest(f uiForm) crisis.AnalysisRequest {
	return crisis.AnalysisRequest{Analysis: f.Get("analysis"), Options: optionLines(f.Get("options"))}
}

// optionLines splits a textarea into its non-empty lines.
func optionLines(s string) []string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func (u *webUI) communication() uiHandler {
	return u.responseForm("communication-form", "communication", []string{"kind", "audience", "published_at", "link", "embargo_until", "summary"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req, err := communicationRequest(f)
			if err != nil {
				return nil, err
			}
			now := u.d.Cases.Now()
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideCommunication(who, c, req, now) }, nil
		})
}

// communicationRequest reads the communication form; its times are the
// form's datetime-local values, in UTC.
func communicationRequest(f uiForm) (crisis.CommunicationRequest, error) {
	req := crisis.CommunicationRequest{Kind: crisis.CommunicationKind(f.Get("kind")), Audience: f.Get("audience"), Link: f.Get("link"), Summary: f.Get("summary")}
	var errs []error
	var err error
	if req.PublishedAt, err = parseUTC(f.Get("published_at")); err != nil {
		errs = append(errs, failure.Field("published_at", "%s", "the publication time "+err.Error()))
	}
	if strings.TrimSpace(f.Get("embargo_until")) != "" {
		if req.EmbargoUntil, err = parseUTC(f.Get("embargo_until")); err != nil {
			errs = append(errs, failure.Field("embargo_until", "%s", "the embargo "+err.Error()))
		}
	}
	return req, invalidFields(errs)
}

func (u *webUI) diplomacy() uiHandler {
	return u.responseForm("diplomacy-form", "diplomacy", []string{"measure", "stage", "detail"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.DiplomacyRequest{Measure: f.Get("measure"), Stage: crisis.DiplomacyStage(f.Get("stage")), Detail: f.Get("detail")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideDiplomacy(who, c, req) }, nil
		})
}

func (u *webUI) contactPoint() uiHandler {
	return u.responseForm("contact-form", "contact", []string{"partner", "contact", "detail"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.ContactRequest{Partner: f.Get("partner"), Contact: f.Get("contact"), Detail: f.Get("detail")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideContact(who, c, req) }, nil
		})
}

func (u *webUI) militaryNotice() uiHandler {
	return u.responseForm("military-form", "military", []string{"capabilities", "provider_agreed", "detail"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.MilitaryRequest{Capabilities: f.Get("capabilities"), ProviderAgreed: f.Get("provider_agreed") == "yes", Detail: f.Get("detail")}
			recipients := u.d.militaryRecipients()
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideMilitaryNotice(who, c, req, recipients) }, nil
		})
}

func (u *webUI) recovery() uiHandler {
	return u.responseForm("recovery-form", "recovery", []string{"sector", "function", "state", "detail"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.RecoveryRequest{Sector: f.Get("sector"), Function: f.Get("function"), State: crisis.RecoveryState(f.Get("state")), Detail: f.Get("detail")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideRecovery(u.d.Model, who, c, req) }, nil
		})
}

// review requests a review: the Member States concerned are a list of codes,
// and one time says when they all agreed (each agreement is recorded with it).
func (u *webUI) review() uiHandler {
	return u.responseForm("review-form", "review", []string{"member_states", "agreements", "agreed_at", "scope"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req, err := reviewRequest(f)
			if err != nil {
				return nil, err
			}
			now := u.d.Cases.Now()
			return func(c crisis.Case) (crisis.Draft, error) {
				return crisis.DecideReview(u.d.Model, who, c, newRecordID("review", c), req, now)
			}, nil
		})
}

// reviewRequest reads the review form: the Member States concerned are a list
// of codes, and "each agreed" records an agreement for each at one time.
func reviewRequest(f uiForm) (crisis.ReviewRequestBody, error) {
	req := crisis.ReviewRequestBody{Stage: crisis.ReviewRequested, Scope: f.Get("scope")}
	req.MemberStates = strings.FieldsFunc(strings.ToUpper(f.Get("member_states")), func(r rune) bool { return r == ',' || r == ' ' })
	if f.Get("agreed") == "yes" {
		at, err := parseUTC(f.Get("agreed_at"))
		if err != nil {
			return req, failure.Field("agreed_at", "%s", "the time of the agreement "+err.Error())
		}
		for _, ms := range req.MemberStates {
			req.Agreements = append(req.Agreements, crisis.Consultation{Party: "member-state:" + ms, At: at})
		}
	}
	return req, nil
}

func (u *webUI) reviewDelivery() uiHandler {
	return u.responseForm("delivery-form", "delivery", []string{"review", "delivery"},
		func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.ReviewRequestBody{Stage: crisis.ReviewDelivered, Review: f.Get("review"), Delivery: f.Get("delivery")}
			now := u.d.Cases.Now()
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideReview(u.d.Model, who, c, "", req, now) }, nil
		})
}

// formField is one input of a form as the response tab's partials draw it:
// its label and hint, the value sent back, and its error.
type formField struct {
	ID, Name, Label, Hint, Value string
	Error                        fieldMessage
	Invalid                      bool
	Describe                     string
}

// Field describes the input named name, whose element id is
// "<prefix>-<name>" with dashes.
func (f uiForm) Field(prefix, name, label, hint string) formField {
	id := prefix + "-" + strings.ReplaceAll(name, "_", "-")
	ff := formField{ID: id, Name: name, Label: label, Hint: hint, Value: f.Get(name), Error: f.ErrorFor(name), Invalid: f.Errors.Has(name)}
	help := ""
	if hint != "" {
		help = id + "-hint"
	}
	ff.Describe = f.Describe(help, name)
	return ff
}
