package web

import (
	"net/http"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
)

// The case room's forms: a ladder decision, a network's (de)activation,
// closing and reopening, linking a report. Each goes through the same
// decide functions as the JSON API, which have the last word: a form the
// page did not offer is refused there too.

// caseForm describes one kind of form on the case room.
type caseForm struct {
	// tab is where the form lives, and where the caller goes back to.
	tab string
	// id names the form sent, from its values.
	id func(f uiForm) string
	// labels name the form's fields for the error summary.
	labels func(f uiForm) fieldLabels
	// decide turns the form into the command.
	decide func(r *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error)
}

// caseCommand runs a form's command: the caller must see the case (else 404,
// as for one that does not exist); a refused or invalid command shows the
// case room again with the form as it was sent and its messages.
func (u *webUI) caseCommand(cf caseForm) uiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requirePageUser(r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := u.d.caseView(r, id); err != nil {
			return err
		}
		f, err := postedForm(r, "")
		if err != nil {
			return err
		}
		f.ID = cf.id(f)
		who := u.d.reporter(c)
		decider, err := cf.decide(r, who, f)
		if err == nil {
			_, err = u.d.Cases.DoOnce(r.Context(), who, id, 0, f.Get("idempotency_key"), decider)
		}
		if err != nil {
			status, ok := shownInForm(err)
			if !ok {
				return err
			}
			f.Errors = errorsOf(err, cf.labels(f))
			return u.showCase(w, r, id, cf.tab, status, f, "")
		}
		return seeOther(w, r, "/cases/"+id+"?tab="+cf.tab)
	}
}

func (u *webUI) decide() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id: func(f uiForm) string { return "decision-form-" + f.Get("authority") },
		labels: func(f uiForm) fieldLabels {
			a := f.Get("authority")
			return fieldLabels{"level": {"Level", "level-" + a}, "reason": {"Reason", "reason-" + a}}
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.LevelRequest{Authority: crisis.Authority(f.Get("authority")), Level: crisis.Level(f.Get("level")), Reason: f.Get("reason")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLevel(who, c, req) }, nil
		},
	})
}

func (u *webUI) network() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id: func(f uiForm) string { return "network-form-" + f.Get("network") },
		labels: func(f uiForm) fieldLabels {
			return fieldLabels{"reason": {"Reason", "reason-" + f.Get("network")}}
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.NetworkRequest{Network: f.Get("network"), Active: f.Get("active") == "true", Reason: f.Get("reason")}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideNetwork(who, c, req) }, nil
		},
	})
}

// closure makes the close and the reopen form, which differ only in the
// decision.
func (u *webUI) closure(id string, decide func(crisis.Reporter, crisis.Case, string) (crisis.Draft, error)) uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id:     func(uiForm) string { return id },
		labels: func(uiForm) fieldLabels { return fieldLabels{"reason": {"Reason", "reason-" + id}} },
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			reason := f.Get("reason")
			return func(c crisis.Case) (crisis.Draft, error) { return decide(who, c, reason) }, nil
		},
	})
}

func (u *webUI) closeCase() uiHandler  { return u.closure("close-form", crisis.DecideClose) }
func (u *webUI) reopenCase() uiHandler { return u.closure("reopen-form", crisis.DecideReopen) }

// linkReport links one of the caller's visible reports; a report they may
// not see is refused as one that does not exist.
func (u *webUI) linkReport() uiHandler {
	return u.caseCommand(caseForm{tab: "reports",
		id:     func(uiForm) string { return "link-form" },
		labels: func(uiForm) fieldLabels { return fieldLabels{"report": {"Report", "link-report"}} },
		decide: func(r *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			rep, err := u.d.linkedReport(r, f.Get("report"))
			if err != nil {
				return nil, err
			}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLink(who, c, rep) }, nil
		},
	})
}
