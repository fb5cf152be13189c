package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
)

// The case room's forms for signals, the networks' arrangements (§51), IPCR
// decisions (Annex II(3)) and IPCR roundtables (§58(c)). Like the other
// decision forms, they post through the crisis Decide functions.

func (u *webUI) signal() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id: func(uiForm) string { return "signal-form" },
		labels: func(uiForm) fieldLabels {
			return fieldLabels{"kind": {"Signal", "signal-kind"}, "source": {"Source", "signal-source"}, "detail": {"Detail", "signal-detail"}}
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.SignalRequest{Kind: crisis.SignalKind(f.Get("kind")), Source: f.Get("source"), Detail: f.Get("detail"), Ended: f.Get("ended") == "yes"}
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideSignal(who, c, req) }, nil
		},
	})
}

func (u *webUI) arrangements() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id:     func(uiForm) string { return "arrangements-form" },
		labels: func(uiForm) fieldLabels { return fieldLabels{"text": {"Arrangements", "arrangements-text"}} },
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			text := f.Get("text")
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideArrangements(who, c, text) }, nil
		},
	})
}

// consultedParties are the parties ticked on the IPCR form, in a stable
// order: the checkboxes are named consulted_<party>.
func consultedParties(f uiForm) []string {
	var ps []string
	for k, vs := range f.Values {
		p, ok := strings.CutPrefix(k, "consulted_")
		if !ok || strings.HasPrefix(p, "at_") || strings.HasPrefix(p, "summary_") || len(vs) == 0 || vs[0] == "" {
			continue
		}
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func (u *webUI) ipcr() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id: func(uiForm) string { return "ipcr-form" },
		labels: func(f uiForm) fieldLabels {
			l := fieldLabels{"mode": {"Mode", "ipcr-mode"}, "reason": {"Reason", "ipcr-reason"},
				"with_presidency": {"With the Presidency", "ipcr-with-presidency"}, "consultations": {"Consultations", "ipcr-consultations"}}
			for i, p := range consultedParties(f) {
				l[fmt.Sprintf("consultations[%d].party", i)] = fieldInfo{"Consulted " + p, "consulted_" + p}
				l[fmt.Sprintf("consultations[%d].at", i)] = fieldInfo{"Consulted " + p + " at", "consulted_at_" + p}
				l["consulted_at_"+p] = fieldInfo{"Consulted " + p + " at", "consulted_at_" + p}
				l[fmt.Sprintf("consultations[%d].summary", i)] = fieldInfo{"Consultation of " + p, "consulted_summary_" + p}
			}
			return l
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			req := crisis.IPCRRequest{Mode: crisis.IPCRMode(f.Get("mode")), Reason: f.Get("reason"),
				SolidarityClause: f.Get("solidarity_clause") == "yes", WithPresidency: f.Get("with_presidency") == "yes",
				Consultations: []crisis.Consultation{}}
			var errs []error
			for _, p := range consultedParties(f) {
				at, err := parseUTC(f.Get("consulted_at_" + p))
				if err != nil {
					errs = append(errs, failure.Field("consulted_at_"+p, "%s", "the time of the consultation "+err.Error()))
				}
				req.Consultations = append(req.Consultations, crisis.Consultation{Party: p, At: at, Summary: strings.TrimSpace(f.Get("consulted_summary_" + p))})
			}
			if err := invalidFields(errs); err != nil {
				return nil, err
			}
			now := u.d.Cases.Now()
			return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideIPCR(who, c, req, now) }, nil
		},
	})
}

// gapRowCount is how many gap rows the roundtable form offers.
const gapRowCount = 3

// gapRows are the numbers (1-based) of the gap rows filled in; empty rows
// are ignored.
func gapRows(f uiForm) []int {
	var rows []int
	for n := 1; n <= gapRowCount; n++ {
		s := strconv.Itoa(n)
		if strings.TrimSpace(f.Get("gap_description_"+s)+f.Get("gap_actor_"+s)+f.Get("gap_due_"+s)) != "" {
			rows = append(rows, n)
		}
	}
	return rows
}

// reportBackGaps are the gaps a report-back was written for, in a stable
// order: the textareas are named report_back_<gap id>.
func reportBackGaps(f uiForm) []string {
	var gs []string
	for k := range f.Values {
		if g, ok := strings.CutPrefix(k, "report_back_"); ok && strings.TrimSpace(f.Get(k)) != "" {
			gs = append(gs, g)
		}
	}
	slices.Sort(gs)
	return gs
}

func (u *webUI) roundtable() uiHandler {
	return u.caseCommand(caseForm{tab: "decisions",
		id: func(uiForm) string { return "roundtable-form" },
		labels: func(f uiForm) fieldLabels {
			l := fieldLabels{"held_at": {"Held at", "roundtable-held-at"}, "summary": {"Summary", "roundtable-summary"}}
			for i, n := range gapRows(f) {
				l[fmt.Sprintf("gaps[%d].description", i)] = fieldInfo{fmt.Sprintf("Gap %d", n), fmt.Sprintf("gap_description_%d", n)}
				l[fmt.Sprintf("gaps[%d].invited_actor", i)] = fieldInfo{fmt.Sprintf("Gap %d: invited actor", n), fmt.Sprintf("gap_actor_%d", n)}
				l[fmt.Sprintf("gap_due_%d", n)] = fieldInfo{fmt.Sprintf("Gap %d: due", n), fmt.Sprintf("gap_due_%d", n)}
			}
			for i, g := range reportBackGaps(f) {
				l[fmt.Sprintf("report_backs[%d].gap", i)] = fieldInfo{"Report-back on " + g, "report_back_" + g}
				l[fmt.Sprintf("report_backs[%d].summary", i)] = fieldInfo{"Report-back on " + g, "report_back_" + g}
			}
			return l
		},
		decide: func(_ *http.Request, who crisis.Reporter, f uiForm) (cases.Decider, error) {
			var errs []error
			held, err := parseUTC(f.Get("held_at"))
			if err != nil {
				errs = append(errs, failure.Field("held_at", "%s", err.Error()))
			}
			req := crisis.RoundtableRequest{HeldAt: held, Summary: f.Get("summary"), Gaps: []crisis.GapRequest{}, ReportBacks: []crisis.ReportBack{}}
			for _, n := range gapRows(f) {
				s := strconv.Itoa(n)
				g := crisis.GapRequest{Description: f.Get("gap_description_" + s), InvitedActor: f.Get("gap_actor_" + s)}
				if due := f.Get("gap_due_" + s); strings.TrimSpace(due) != "" {
					if g.Due, err = parseUTC(due); err != nil {
						errs = append(errs, failure.Field("gap_due_"+s, "%s", err.Error()))
					}
				}
				req.Gaps = append(req.Gaps, g)
			}
			for _, g := range reportBackGaps(f) {
				req.ReportBacks = append(req.ReportBacks, crisis.ReportBack{Gap: g, Summary: f.Get("report_back_" + g)})
			}
			if err := invalidFields(errs); err != nil {
				return nil, err
			}
			now := u.d.Cases.Now()
			id := "roundtable-" + strconv.FormatInt(now.UnixNano(), 36)
			return func(c crisis.Case) (crisis.Draft, error) {
				return crisis.DecideRoundtable(u.d.Model, who, c, id, req, now)
			}, nil
		},
	})
}

// invalidFields joins what the form could not read into one error that
// errorsOf puts next to each field.
func invalidFields(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return &failure.Error{Kind: failure.Invalid, Message: "the form could not be read", Err: crisis.FieldErrors(errs)}
}
