package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Union-level cases (R5, R6, R8, R18). Every answer is the caller's view of the
// case (cases.View): built from the events and reports the TLP gate lets them
// see. A case whose opening the caller may not see answers 404, as one that
// does not exist; so does every command on it.

// conditionSection20 is the model's condition on the Commission's EU-CyCLONe
// membership (memberships.yaml).
const conditionSection20 = "significant-impact-on-nis2-services"

// caseGate is the TLP gate for one case's items. While §20 holds for the case,
// an organisation whose EU-CyCLONe membership depends on it (the Commission)
// is a member for this case's items: the condition is effective for access,
// not only shown.
func (d Deps) caseGate(r *http.Request, c crisis.Case) (cases.Gate, error) {
	v := d.viewer(r)
	if d.conditionalCyCLONeMember(r) && !slices.Contains(v.Networks, tlp.MembersOf(crisis.NetworkCyCLONe)) {
		member, err := d.Cases.CommissionMember(r.Context(), c)
		if err != nil {
			return nil, err
		}
		if member {
			v.Networks = append(slices.Clone(v.Networks), crisis.NetworkCyCLONe, tlp.MembersOf(crisis.NetworkCyCLONe))
		}
	}
	return func(it tlp.Item) bool { return tlp.CanSee(v, it) }, nil
}

// conditionalCyCLONeMember says whether the caller's organisation is a member
// of EU-CyCLONe under §20's condition (the Commission).
func (d Deps) conditionalCyCLONeMember(r *http.Request) bool {
	org, ok := d.Auth.Dir.Organisation(callerFrom(r.Context()).User.Organisation)
	return ok && slices.ContainsFunc(org.Memberships, func(m auth.Membership) bool {
		return m.Network == crisis.NetworkCyCLONe && m.Condition == conditionSection20
	})
}

// caseResponse is the caller's view with their own next steps.
type caseResponse struct {
	cases.View
	NextSteps []playbook.Status `json:"next_steps"`
}

// actorsOf lists the model actors the caller's organisation acts as, for the
// playbook's owners: its Union actor, or the Member States; and the networks
// it takes part in.
func (d Deps) actorsOf(orgID string) (actors []string, memberState string) {
	org, ok := d.Auth.Dir.Organisation(orgID)
	if !ok {
		return nil, ""
	}
	if org.Actor != "" {
		actors = append(actors, org.Actor)
	}
	if org.MemberState != "" {
		actors = append(actors, "member-states")
	}
	return append(actors, org.Networks()...), org.MemberState
}

// caseView builds the caller's view of a case, audits the reading of
// AMBER+STRICT and RED items in it, and returns it with the caller's steps.
func (d Deps) caseView(r *http.Request, id string) (caseResponse, error) {
	c, err := d.Cases.Get(r.Context(), id)
	if err != nil {
		return caseResponse{}, err
	}
	see, err := d.caseGate(r, c)
	if err != nil {
		return caseResponse{}, err
	}
	v, err := d.Cases.View(r.Context(), id, see, d.Cases.Now())
	if err != nil {
		return caseResponse{}, err
	}
	if err := d.recordReads(r, v.Timeline); err != nil {
		return caseResponse{}, err
	}
	if err := d.recordReportReads(r, v.Reports...); err != nil {
		return caseResponse{}, err
	}
	actors, ms := d.actorsOf(callerFrom(r.Context()).User.Organisation)
	return caseResponse{View: v, NextSteps: playbook.ForActors(v.Playbook, actors, ms)}, nil
}

func writeCase(w http.ResponseWriter, status int, v caseResponse) error {
	w.Header().Set("ETag", etag(v.Case.Version))
	return writeJSON(w, status, v)
}

func handleOpenCase(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req crisis.OpenCase
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		opened, created, err := d.Cases.Open(r.Context(), d.reporter(c), r.Header.Get("Idempotency-Key"), req)
		if err != nil {
			return err
		}
		v, err := d.caseView(r, opened.ID)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiPrefix+"/cases/"+opened.ID)
		status := http.StatusCreated
		if !created {
			status = http.StatusOK
		}
		return writeCase(w, status, v)
	}
}

func handleGetCase(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		v, err := d.caseView(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeCase(w, http.StatusOK, v)
	}
}

// caseCommand builds the handler of one command on a case: the caller must see
// the case; the body decodes into T; decide turns it into the decision. An
// If-Match header, when sent, must name the case's current version.
func caseCommand[T any](d Deps, decide func(r *http.Request, who crisis.Reporter, req T) (cases.Decider, error)) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := d.caseView(r, id); err != nil {
			return err
		}
		version, err := optionalIfMatch(r)
		if err != nil {
			return err
		}
		var req T
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		who := d.reporter(c)
		decider, err := decide(r, who, req)
		if err != nil {
			return err
		}
		if _, err := d.Cases.DoOnce(r.Context(), who, id, version, r.Header.Get("Idempotency-Key"), decider); err != nil {
			return err
		}
		v, err := d.caseView(r, id)
		if err != nil {
			return err
		}
		return writeCase(w, http.StatusOK, v)
	}
}

func optionalIfMatch(r *http.Request) (int64, error) {
	if strings.TrimSpace(r.Header.Get("If-Match")) == "" {
		return 0, nil
	}
	return ifMatch(r)
}

type linkRequest struct {
	Report string `json:"report"`
	Reason string `json:"reason,omitempty"`
}

// linkedReport finds the report a link names, among those the caller may see.
func (d Deps) linkedReport(r *http.Request, id string) (crisis.NationalReport, error) {
	rep, err := d.visibleReport(r, id)
	if failure.Is(err, failure.NotFound) {
		return rep, failure.Field("report", "no report with that id that you may see")
	}
	return rep, err
}

func handleLinkReport(d Deps) apiHandler {
	return caseCommand(d, func(r *http.Request, who crisis.Reporter, req linkRequest) (cases.Decider, error) {
		rep, err := d.linkedReport(r, req.Report)
		if err != nil {
			return nil, err
		}
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLink(who, c, rep) }, nil
	})
}

func handleUnlinkReport(d Deps) apiHandler {
	return caseCommand(d, func(r *http.Request, who crisis.Reporter, req linkRequest) (cases.Decider, error) {
		rep, err := d.linkedReport(r, req.Report)
		if err != nil {
			return nil, err
		}
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideUnlink(who, c, rep, req.Reason) }, nil
	})
}

func handleSignal(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.SignalRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideSignal(who, c, req) }, nil
	})
}

func handleDecideLevel(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.LevelRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideLevel(who, c, req) }, nil
	})
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func handleCloseCase(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req reasonRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideClose(who, c, req.Reason) }, nil
	})
}

func handleReopenCase(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req reasonRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideReopen(who, c, req.Reason) }, nil
	})
}

func handleNetwork(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.NetworkRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideNetwork(who, c, req) }, nil
	})
}

type arrangementsRequest struct {
	Text string `json:"text"`
}

func handleArrangements(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req arrangementsRequest) (cases.Decider, error) {
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideArrangements(who, c, req.Text) }, nil
	})
}

func handleIPCR(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.IPCRRequest) (cases.Decider, error) {
		now := d.Cases.Now()
		return func(c crisis.Case) (crisis.Draft, error) { return crisis.DecideIPCR(who, c, req, now) }, nil
	})
}

func handleRoundtable(d Deps) apiHandler {
	return caseCommand(d, func(_ *http.Request, who crisis.Reporter, req crisis.RoundtableRequest) (cases.Decider, error) {
		now := d.Cases.Now()
		id := "roundtable-" + strconv.FormatInt(now.UnixNano(), 36)
		return func(c crisis.Case) (crisis.Draft, error) {
			return crisis.DecideRoundtable(d.Model, who, c, id, req, now)
		}, nil
	})
}

// caseSummary is one line of the case list: what an officer scans at 3 a.m.
type caseSummary struct {
	ID           string          `json:"id"`
	Title        string          `json:"title"`
	Marking      tlp.Marking     `json:"marking"`
	Level        crisis.Level    `json:"level"`
	Suggested    crisis.Level    `json:"suggested"`
	MemberStates []string        `json:"member_states"`
	Networks     []string        `json:"active_networks"`
	IPCR         crisis.IPCRMode `json:"ipcr"`
	Closed       bool            `json:"closed"`
	Overdue      int             `json:"overdue_steps"`
	NextDue      time.Time       `json:"next_due,omitzero"`
	// ReserveOverdue counts the Reserve requests whose deployment clock ran
	// out before deployment (§55(b)(v)).
	ReserveOverdue int `json:"reserve_overdue"`
}

type casePage struct {
	Items []caseSummary `json:"items"`
	Next  string        `json:"next,omitempty"`
}

const casesPurpose = "cases"

// handleListCases lists the cases the caller may see, oldest first; ?open=true
// leaves out closed ones. A hidden case is neither listed nor counted.
func handleListCases(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		limit, start, err := d.pageRequest(r, casesPurpose)
		if err != nil {
			return err
		}
		openOnly := r.URL.Query().Get("open") == "true"
		ids, err := d.Cases.IDs(r.Context())
		if err != nil {
			return err
		}
		page := casePage{Items: []caseSummary{}}
		for i := int(start); i < len(ids); i++ {
			v, err := d.caseView(r, ids[i])
			if failure.Is(err, failure.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if openOnly && v.Case.Closed {
				continue
			}
			if len(page.Items) == limit {
				page.Next = d.Cursors.seal(casesPurpose, int64(i))
				break
			}
			page.Items = append(page.Items, summarise(v.View))
		}
		return writeJSON(w, http.StatusOK, page)
	}
}

func summarise(v cases.View) caseSummary {
	s := caseSummary{ID: v.Case.ID, Title: v.Case.Title, Marking: v.Case.Marking, Level: v.Ladder.Decided,
		Suggested: v.Ladder.Suggested, MemberStates: v.Case.MemberStates(), Networks: []string{}, IPCR: v.Case.IPCR.Mode, Closed: v.Case.Closed}
	if s.MemberStates == nil {
		s.MemberStates = []string{}
	}
	for _, n := range v.Case.Networks {
		if n.Active {
			s.Networks = append(s.Networks, n.Network)
		}
	}
	for _, k := range v.ReserveClocks {
		if k.Overdue {
			s.ReserveOverdue++
		}
	}
	for _, st := range v.Playbook {
		if st.State == playbook.StateOverdue {
			s.Overdue++
		}
		if (st.State == playbook.StatePending || st.State == playbook.StateOverdue) && !st.Due.IsZero() && (s.NextDue.IsZero() || st.Due.Before(s.NextDue)) {
			s.NextDue = st.Due
		}
	}
	return s
}
