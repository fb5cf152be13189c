package crisis

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Commands on a case. Each Decide function checks who asks and what they ask
// against the case as it stands and returns the event to append, or an error
// that says what is wrong and, when refused, who is competent instead.

// OpenCase opens a Union-level case.
type OpenCase struct {
	Title   string      `json:"title"`
	Summary string      `json:"summary"`
	Marking tlp.Marking `json:"marking"`
}

// DecideOpen checks a new case.
func DecideOpen(who Reporter, id string, req OpenCase) (Draft, error) {
	if err := who.mayOpen(); err != nil {
		return Draft{}, err
	}
	var errs []error
	title := strings.TrimSpace(req.Title)
	if n := utf8.RuneCountInString(title); n == 0 || n > 200 {
		errs = append(errs, failure.Field("title", "must be 1-200 characters, e.g. \"Ransomware at hospitals in NL and BE\""))
	}
	if utf8.RuneCountInString(req.Summary) > 20000 {
		errs = append(errs, failure.Field("summary", "must be at most 20 000 characters"))
	}
	if err := req.Marking.Validate(); err != nil {
		errs = append(errs, failure.Field("marking", "%v", err))
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventCaseOpened, Marking: req.Marking,
		Payload: caseOpened{ID: id, Title: title, Summary: strings.TrimSpace(req.Summary), Marking: req.Marking}}, nil
}

// eventMarking is the marking a command asks for, or the case's own.
func eventMarking(c Case, m *tlp.Marking) (tlp.Marking, error) {
	if m == nil {
		return c.Marking, nil
	}
	if err := m.Validate(); err != nil {
		return tlp.Marking{}, failure.Field("marking", "%v", err)
	}
	return *m, nil
}

func reasonText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > max {
		return "", failure.Field(field, "say in 1-%d characters why; the case's timeline shows it", max)
	}
	return s, nil
}

// latestTime is the last time an event can hold: RFC 3339 has four-digit
// years, so a later time could not be stored.
var latestTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// checkTime refuses a time a record cannot hold or that cannot be meant:
// missing, before 1990 (a typo for the year, see earliestReportTime), after
// 9999, or — for what has already happened — more than five minutes ahead.
// what says what the time is: "when the roundtable was held".
func checkTime(field, what string, t, now time.Time, past bool) error {
	switch {
	case t.IsZero():
		return failure.Field(field, "give %s (RFC 3339)", what)
	case t.Before(earliestReportTime) || t.After(latestTime):
		return failure.Field(field, "%s is %s: check the year", what, t.UTC().Format(time.RFC3339))
	case past && t.After(now.Add(5*time.Minute)):
		return failure.Field(field, "%s cannot be in the future (%s)", what, t.UTC().Format(time.RFC3339))
	}
	return nil
}

func notClosed(c Case) error {
	if c.Closed {
		return failure.New(failure.Conflict, "%s", "the case was closed on "+c.ClosedAt.UTC().Format(time.RFC3339)+"; reopen it first")
	}
	return nil
}

// DecideLink links a national report the caller may see to the case.
func DecideLink(who Reporter, c Case, rep NationalReport) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayLink(rep); err != nil {
		return Draft{}, err
	}
	if c.Linked(rep.ID) {
		return Draft{}, failure.New(failure.Conflict, "the report is already linked to this case")
	}
	// The link event names the report and its Member State only; it carries the
	// case's marking, and the report keeps its own.
	return Draft{Type: EventReportLinked, Marking: c.Marking,
		Payload: reportLinked{Report: rep.ID, MemberState: rep.MemberState, Organisation: rep.Organisation}}, nil
}

// DecideUnlink takes a report out of the case, with the reason.
func DecideUnlink(who Reporter, c Case, rep NationalReport, reason string) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayLink(rep); err != nil {
		return Draft{}, err
	}
	if !c.Linked(rep.ID) {
		return Draft{}, failure.New(failure.NotFound, "the report is not linked to this case")
	}
	r, err := reasonText("reason", reason, 1000)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventReportUnlinked, Marking: c.Marking, Payload: reportUnlinked{Report: rep.ID, Reason: r}}, nil
}

// SignalRequest records a signal.
type SignalRequest struct {
	Kind   SignalKind `json:"kind"`
	Source string     `json:"source,omitempty"`
	Detail string     `json:"detail"`
	// Ended records that a signal in force no longer holds.
	Ended   bool         `json:"ended,omitempty"`
	Marking *tlp.Marking `json:"marking,omitempty"`
}

// DecideSignal checks a signal.
func DecideSignal(who Reporter, c Case, req SignalRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if !slices.Contains(signalKinds(), req.Kind) {
		return Draft{}, failure.Field("kind", "%q is not a signal kind (hub-alert, response-capacity-exceeded, internal-market-hindered, public-safety-risk)", req.Kind)
	}
	if err := who.maySignal(req.Kind); err != nil {
		return Draft{}, err
	}
	detail, err := reasonText("detail", req.Detail, 2000)
	if err != nil {
		return Draft{}, err
	}
	p := signalRecorded{Kind: req.Kind, Detail: detail, Source: strings.TrimSpace(req.Source), Ended: req.Ended}
	switch req.Kind {
	case SignalHubAlert:
		if p.Source == "" || utf8.RuneCountInString(p.Source) > 200 {
			return Draft{}, failure.Field("source", "name the cross-border cyber hub the alert comes from (1-200 characters, §48)")
		}
	case SignalCapacityExceeded:
		p.MemberState = who.MemberState
	}
	if p.Ended && !slices.ContainsFunc(c.Signals, func(s Signal) bool {
		return s.Kind == p.Kind && s.MemberState == p.MemberState && (p.Source == "" || s.Source == p.Source)
	}) {
		return Draft{}, failure.New(failure.Conflict, "no %s signal in force to end", p.Kind)
	}
	m, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventSignalRecorded, Marking: m, Payload: p}, nil
}

// LevelRequest records a ladder decision.
type LevelRequest struct {
	Authority Authority    `json:"authority"`
	Level     Level        `json:"level"`
	Reason    string       `json:"reason"`
	Marking   *tlp.Marking `json:"marking,omitempty"`
}

// DecideLevel checks a ladder decision: escalation and de-escalation alike.
func DecideLevel(who Reporter, c Case, req LevelRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	rule, ok := authorityRules()[req.Authority]
	if !ok {
		return Draft{}, failure.Field("authority", "%q is not a decision capacity (national-assessment, network-advice, cyclone-assessment, crisis-determination)", req.Authority)
	}
	if err := who.needDecider(); err != nil {
		return Draft{}, err
	}
	if !rule.allowed(who, c) {
		return Draft{}, forbidden(rule.refusal)
	}
	if req.Level.Rank() < 0 {
		return Draft{}, failure.Field("level", "%q is not a ladder level (incident, significant, potential-large-scale, large-scale, cyber-crisis)", req.Level)
	}
	if !slices.Contains(rule.levels, req.Level) {
		return Draft{}, failure.Field("level", "a %s sets %s, not %s (%s)", req.Authority, joinLevels(rule.levels), req.Level, rule.ref)
	}
	if c.Level.Rank() > rule.reach.Rank() {
		return Draft{}, failure.New(failure.Conflict, "%s", fmt.Sprintf("the case stands at %s; a %s cannot change that: %s decides at that level", c.Level, req.Authority, competentFor(c.Level)))
	}
	if err := reachable(req.Authority, c.Level, req.Level); err != nil {
		return Draft{}, err
	}
	if req.Level == c.Level {
		return Draft{}, failure.New(failure.Conflict, "%s", "the case already stands at "+string(c.Level))
	}
	reason, err := reasonText("reason", req.Reason, 2000)
	if err != nil {
		return Draft{}, err
	}
	m, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventLevelDecided, Marking: m,
		Payload: levelDecided{Authority: req.Authority, Level: req.Level, Previous: c.Level, Reason: reason}}, nil
}

// reachable applies the ladder's order to the crisis determination: a cyber
// crisis is a large-scale incident that escalated (§7(d)), so it is declared
// only from large-scale, and the determination sets large-scale only when it
// ends a cyber crisis — deciding large-scale is EU-CyCLONe's (§55(b)(iii)).
func reachable(a Authority, from, to Level) error {
	switch {
	case to == LevelCyberCrisis && from != LevelLargeScale:
		return failure.New(failure.Conflict, "a cyber crisis is a large-scale incident that escalated (§7(d)); the case stands at %s: it must first be decided large-scale", from)
	case a == AuthorityCrisis && to == LevelLargeScale && from != LevelCyberCrisis:
		return failure.New(failure.Conflict, "the cyber-crisis determination sets large-scale only when it ends a cyber crisis; deciding large-scale is EU-CyCLONe's assessment (§55(b)(iii))")
	}
	return nil
}

func joinLevels(ls []Level) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

// DecideClose closes the case; DecideReopen reopens it. Both need a reason.
func DecideClose(who Reporter, c Case, reason string) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	return decideClosure(who, c, reason, EventCaseClosed)
}

func DecideReopen(who Reporter, c Case, reason string) (Draft, error) {
	if !c.Closed {
		return Draft{}, failure.New(failure.Conflict, "the case is open")
	}
	return decideClosure(who, c, reason, EventCaseReopened)
}

func decideClosure(who Reporter, c Case, reason, typ string) (Draft, error) {
	if err := who.mayClose(c); err != nil {
		return Draft{}, err
	}
	r, err := reasonText("reason", reason, 2000)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: typ, Marking: c.Marking, Payload: caseClosed{Reason: r}}, nil
}

// NetworkRequest activates or deactivates a network for the case.
type NetworkRequest struct {
	Network string `json:"network"`
	Active  bool   `json:"active"`
	Reason  string `json:"reason"`
}

// DecideNetwork checks a network's (de)activation (§49).
func DecideNetwork(who Reporter, c Case, req NetworkRequest) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if req.Network != NetworkCSIRTs && req.Network != NetworkCyCLONe {
		return Draft{}, failure.Field("network", "%q is not a network (csirts-network, eu-cyclone)", req.Network)
	}
	if err := who.mayActivate(req.Network); err != nil {
		return Draft{}, err
	}
	if c.NetworkActive(req.Network) == req.Active {
		state := "not active"
		if req.Active {
			state = "already active"
		}
		return Draft{}, failure.New(failure.Conflict, "%s", req.Network+" is "+state+" for this case")
	}
	reason, err := reasonText("reason", req.Reason, 2000)
	if err != nil {
		return Draft{}, err
	}
	typ := EventNetworkDeactivated
	if req.Active {
		typ = EventNetworkActivated
	}
	return Draft{Type: typ, Marking: c.Marking, Payload: networkChanged{Network: req.Network, Reason: reason}}, nil
}

// DecideArrangements records the networks' procedural arrangements (§51).
func DecideArrangements(who Reporter, c Case, text string) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayArrange(); err != nil {
		return Draft{}, err
	}
	t, err := reasonText("text", text, 5000)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventArrangementsRecorded, Marking: c.Marking, Payload: arrangementsRecorded{Text: t}}, nil
}

// IPCRRequest records an IPCR decision.
type IPCRRequest struct {
	Mode             IPCRMode       `json:"mode"`
	Reason           string         `json:"reason"`
	Consultations    []Consultation `json:"consultations"`
	SolidarityClause bool           `json:"solidarity_clause"`
	WithPresidency   bool           `json:"with_presidency"`
	Marking          *tlp.Marking   `json:"marking,omitempty"`
}

// DecideIPCR checks an IPCR decision: who records it, and that the Presidency
// consulted the affected Member States, the Commission and the High
// Representative, unless the solidarity clause is invoked (Annex II(3)).
func DecideIPCR(who Reporter, c Case, req IPCRRequest, now time.Time) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if !slices.Contains(ipcrModes(), req.Mode) {
		return Draft{}, failure.Field("mode", "%q is not an IPCR mode (monitoring, information-sharing, full, deactivated)", req.Mode)
	}
	if err := who.mayDecideIPCR(req.Mode, req.WithPresidency); err != nil {
		return Draft{}, err
	}
	if req.Mode == c.IPCR.Mode || (req.Mode == IPCRDeactivated && c.IPCR.Mode == IPCRNone) {
		return Draft{}, failure.New(failure.Conflict, "%s", "IPCR is already in "+string(c.IPCR.Mode)+" for this case")
	}
	reason, err := reasonText("reason", req.Reason, 2000)
	if err != nil {
		return Draft{}, err
	}
	for i, cs := range req.Consultations {
		if !validParty(cs.Party) {
			return Draft{}, failure.Field(fmt.Sprintf("consultations[%d].party", i), "%q is not a party: use member-state:XX, commission or high-representative", cs.Party)
		}
		if err := checkTime(fmt.Sprintf("consultations[%d].at", i), "when the consultation took place", cs.At, now, true); err != nil {
			return Draft{}, err
		}
		if utf8.RuneCountInString(cs.Summary) > 2000 {
			return Draft{}, failure.Field(fmt.Sprintf("consultations[%d].summary", i), "must be at most 2 000 characters")
		}
	}
	// The monitoring page is the Presidency's to set up (§39); the modes and
	// deactivation need the consultations.
	if req.Mode != IPCRMonitoring && !req.SolidarityClause {
		if missing := missingConsultations(c.MemberStates(), req.Consultations); len(missing) > 0 {
			return Draft{}, failure.Field("consultations", "IPCR is activated or deactivated after consulting the affected Member States, the Commission and the High Representative (Annex II(3)); not yet recorded: %s. Set solidarity_clause if art. 222 TFEU is invoked", strings.Join(missing, ", "))
		}
	}
	m, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventIPCRDecided, Marking: m, Payload: ipcrDecided{Mode: req.Mode, Previous: c.IPCR.Mode, Reason: reason,
		Consultations: utcConsultations(req.Consultations), SolidarityClause: req.SolidarityClause, WithPresidency: req.WithPresidency}}, nil
}

func validParty(p string) bool {
	if p == "commission" || p == "high-representative" {
		return true
	}
	ms, ok := strings.CutPrefix(p, "member-state:")
	return ok && len(ms) == 2 && strings.ToUpper(ms) == ms
}

// RoundtableRequest records an IPCR roundtable.
type RoundtableRequest struct {
	HeldAt      time.Time    `json:"held_at"`
	Summary     string       `json:"summary"`
	Gaps        []GapRequest `json:"gaps"`
	ReportBacks []ReportBack `json:"report_backs"`
	Marking     *tlp.Marking `json:"marking,omitempty"`
}

// GapRequest is a gap the roundtable identified.
type GapRequest struct {
	Description  string    `json:"description"`
	InvitedActor string    `json:"invited_actor"`
	Due          time.Time `json:"due,omitzero"`
}

// DecideRoundtable checks a roundtable (§58(c)): gaps name a model actor to
// close them; report-backs answer gaps of earlier roundtables still open.
func DecideRoundtable(m *model.Model, who Reporter, c Case, id string, req RoundtableRequest, now time.Time) (Draft, error) {
	if err := notClosed(c); err != nil {
		return Draft{}, err
	}
	if err := who.mayHoldRoundtable(); err != nil {
		return Draft{}, err
	}
	if c.IPCR.Mode.Rank() < IPCRInformationSharing.Rank() {
		return Draft{}, failure.New(failure.Conflict, "%s", "IPCR roundtables are held while IPCR is active (§58(c)); it is "+string(c.IPCR.Mode)+" for this case")
	}
	var errs []error
	if err := checkTime("held_at", "when the roundtable was held", req.HeldAt, now, true); err != nil {
		errs = append(errs, err)
	}
	summary := strings.TrimSpace(req.Summary)
	if summary == "" || utf8.RuneCountInString(summary) > 5000 {
		errs = append(errs, failure.Field("summary", "say in 1-5 000 characters what the roundtable discussed"))
	}
	p := roundtableHeld{ID: id, HeldAt: req.HeldAt.UTC(), Summary: summary, Gaps: []Gap{}, ReportBacks: []ReportBack{}}
	for i, g := range req.Gaps {
		f := fmt.Sprintf("gaps[%d]", i)
		d := strings.TrimSpace(g.Description)
		if d == "" || utf8.RuneCountInString(d) > 2000 {
			errs = append(errs, failure.Field(f+".description", "describe the gap in the response in 1-2 000 characters"))
		}
		if !g.Due.IsZero() {
			if err := checkTime(f+".due", "the due date", g.Due, now, false); err != nil {
				errs = append(errs, err)
			}
		}
		if _, ok := m.Actor(g.InvitedActor); !ok {
			errs = append(errs, failure.Field(f+".invited_actor", "%q is not an actor of the model (e.g. commission, enisa, eu-cyclone)", g.InvitedActor))
		}
		p.Gaps = append(p.Gaps, Gap{ID: c.nextGapID(i), Description: d, InvitedActor: g.InvitedActor, Due: g.Due.UTC()})
	}
	open := c.OpenGaps()
	for i, rb := range req.ReportBacks {
		f := fmt.Sprintf("report_backs[%d]", i)
		if !slices.ContainsFunc(open, func(g Gap) bool { return g.ID == rb.Gap }) {
			errs = append(errs, failure.Field(f+".gap", "%q is not an open gap of an earlier roundtable of this case", rb.Gap))
		}
		s := strings.TrimSpace(rb.Summary)
		if s == "" || utf8.RuneCountInString(s) > 2000 {
			errs = append(errs, failure.Field(f+".summary", "say in 1-2 000 characters what the invited actor reported"))
		}
		p.ReportBacks = append(p.ReportBacks, ReportBack{Gap: rb.Gap, Summary: s})
	}
	if err := joinFields(errs); err != nil {
		return Draft{}, err
	}
	mk, err := eventMarking(c, req.Marking)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Type: EventRoundtableHeld, Marking: mk, Payload: p}, nil
}
