package playbook

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// Case is what the playbook needs to know of a Union-level case.
type Case struct {
	ID       string
	OpenedAt time.Time
	Closed   bool
	ClosedAt time.Time
	// Events are the case's events in order (already filtered to what the
	// viewer may see).
	Events []Occurrence
	// Reports are the national reports linked to the case (visible to the
	// viewer).
	Reports []Report
}

// Occurrence is one event of a case as the playbook reads it.
type Occurrence struct {
	EventID string
	Type    string // e.g. "case.level-decided"
	// Kind is the event's sub-kind: a level, a network id, an IPCR mode, a
	// signal, a Member State code; see the Event and Signal constants.
	Kind         string
	At           time.Time
	Organisation string // organisation id of the actor
	Actor        string // model actor id of the organisation, or "member-states" for national ones
	MemberState  string // for national organisations
}

// Report is a national report linked to the case.
type Report struct {
	ID, Organisation, MemberState string
	AwareAt, FiledAt              time.Time
	FiledEventID                  string
	Amendments                    []Amendment // in order
	// Significant is set when the §7(b) suggestion or a national decision
	// says the incident is significant.
	Significant bool
}

// Amendment is one update of a national report.
type Amendment struct {
	EventID string
	At      time.Time
	Status  string // open, mitigating, resolved, withdrawn
}

// States of a step.
const (
	StateNotApplicable = "not-applicable"
	StatePending       = "pending"
	StateDone          = "done"
	StateOverdue       = "overdue"
)

// memberStates is the model actor id of the Member States.
const memberStates = "member-states"

// Status is where one step stands in a case.
type Status struct {
	Step Step `json:"step"`
	// Instance is the report id of a per-report step, else "".
	Instance    string    `json:"instance,omitempty"`
	MemberState string    `json:"member_state,omitempty"`
	State       string    `json:"state"`
	Since       time.Time `json:"since,omitzero"` // when it became applicable; zero if it is not
	Due         time.Time `json:"due,omitzero"`   // zero without a clock, or before the clock starts
	DoneBy      string    `json:"done_by,omitempty"`
	DoneAt      time.Time `json:"done_at,omitzero"`
	Late        bool      `json:"late,omitempty"` // done after Due
	ClockSource string    `json:"clock_source,omitempty"`
}

// Evaluate returns the status of every step in a case as at now, in the data
// file's order; a per-report step gives one status per linked report, by
// Member State then report id (one not-applicable status if there are none).
// Events and amendments after now are ignored, so a past moment can be
// replayed. The package doc says how applicability, completion and clocks are
// read.
func (p *Playbook) Evaluate(c Case, now time.Time) []Status {
	tl := p.replay(c, now)
	// A closed case's clocks stop at its closing: nothing falls overdue
	// after the case ended, though events after it still complete steps.
	clockNow := now
	if c.Closed && !c.ClosedAt.IsZero() && c.ClosedAt.Before(now) {
		clockNow = c.ClosedAt
	}
	reports := slices.Clone(c.Reports)
	slices.SortStableFunc(reports, func(a, b Report) int {
		return cmp.Or(cmp.Compare(a.MemberState, b.MemberState), cmp.Compare(a.ID, b.ID))
	})
	out := make([]Status, 0, len(p.steps)+len(reports)*4)
	for i, s := range p.steps {
		ev := evaluation{p: p, tl: tl, step: s, c: p.compiled[i], now: now, clockNow: clockNow}
		if ev.c.afterType >= 0 {
			ev.afterAt, ev.afterOK = tl.firstAt(ev.c.afterType, ev.c.afterKind)
		}
		if !s.When.PerReport {
			out = append(out, ev.forCase(c.OpenedAt))
			continue
		}
		if len(reports) == 0 {
			out = append(out, Status{Step: s, State: StateNotApplicable})
			continue
		}
		for _, r := range reports {
			out = append(out, ev.forReport(r, c.OpenedAt))
		}
	}
	return out
}

// evaluation is one step being evaluated in one case.
type evaluation struct {
	p             *Playbook
	tl            *timeline
	step          Step
	c             compiled
	now, clockNow time.Time
	// afterAt is when the event the condition waits for happened, if it did.
	afterAt time.Time
	afterOK bool
}

func (ev *evaluation) forCase(opened time.Time) Status {
	st := Status{Step: ev.step}
	since, ok := ev.since(opened)
	if !ok {
		st.State = StateNotApplicable
		return st
	}
	st.Since = since
	st.DoneBy, st.DoneAt = ev.doneByEvent(since, "")
	return ev.finish(st, ev.holds(ev.tl.stateAt(ev.now), ev.now), since)
}

func (ev *evaluation) forReport(r Report, opened time.Time) Status {
	st := Status{Step: ev.step, Instance: r.ID, MemberState: r.MemberState}
	// The report counts from its awareness: that is when the NIS2 clocks
	// start, even if the case was opened later.
	from := r.AwareAt
	if from.IsZero() {
		from = r.FiledAt
	}
	if from.IsZero() {
		from = opened
	}
	if ev.c.significant && !r.Significant {
		st.State = StateNotApplicable
		return st
	}
	since, ok := ev.since(from)
	if !ok {
		st.State = StateNotApplicable
		return st
	}
	st.Since = since
	if d := ev.step.DoneBy; d.Report != "" {
		st.DoneBy, st.DoneAt = reportDone(r, d.Report, ev.now)
	} else {
		// Any time counts for a report's step: the report may predate the case.
		st.DoneBy, st.DoneAt = ev.doneByEvent(time.Time{}, r.MemberState)
	}
	// A withdrawn report owes nothing more.
	holdsNow := ev.holds(ev.tl.stateAt(ev.now), ev.now) && !withdrawn(r, ev.now)
	var start time.Time
	if ev.step.Clock != nil {
		switch ev.step.Clock.From {
		case FromApplicable:
			start = since
		case FromAware:
			start = r.AwareAt
		case FromFiled:
			if !r.FiledAt.After(ev.now) {
				start = r.FiledAt
			}
		case FromNotified:
			_, start = reportDone(r, ReportAmended, ev.now)
		}
	}
	return ev.finish(st, holdsNow, start)
}

// finish sets the state, due time and lateness of an applicable step whose
// clock, if any, started at start (zero: not started).
func (ev *evaluation) finish(st Status, holdsNow bool, start time.Time) Status {
	var clock Clock
	if ref := ev.step.Clock; ref != nil {
		clock, _ = ev.p.Clock(ref.ID)
		st.ClockSource = clock.source()
		if !start.IsZero() {
			st.Due = clock.Duration.From(start)
		}
	}
	switch {
	case st.DoneBy != "":
		st.State = StateDone
		st.Late = !st.Due.IsZero() && st.DoneAt.After(st.Due)
	case !holdsNow:
		// Applicable once, not done, and no longer applicable (after a
		// de-escalation, say): the step is owed no more.
		return Status{Step: st.Step, Instance: st.Instance, MemberState: st.MemberState, State: StateNotApplicable}
	case !st.Due.IsZero() && ev.clockNow.After(st.Due):
		st.State = StateOverdue
	default:
		st.State = StatePending
	}
	return st
}

// since returns the first moment from start on at which the step's condition
// held: start itself or the time of an event after it, up to now.
func (ev *evaluation) since(start time.Time) (time.Time, bool) {
	// An awaited event that has not happened by now rules the step out at
	// once, without scanning the case.
	if start.After(ev.now) || ev.c.afterType >= 0 && !ev.afterOK {
		return time.Time{}, false
	}
	if ev.holds(ev.tl.stateAt(start), start) {
		return start, true
	}
	i := sort.Search(len(ev.tl.snaps), func(i int) bool { return ev.tl.snaps[i].at.After(start) })
	for ; i < len(ev.tl.snaps); i++ {
		if s := ev.tl.snaps[i]; ev.holds(s, s.at) {
			return s.at, true
		}
	}
	return time.Time{}, false
}

// holds evaluates the case part of the condition in state s at time t.
func (ev *evaluation) holds(s snapshot, t time.Time) bool {
	c := ev.c
	switch {
	case c.level >= 0 && s.level < c.level,
		c.ipcr > 0 && s.ipcr < c.ipcr,
		c.network >= 0 && s.nets&(1<<c.network) == 0,
		c.reports && s.links <= 0:
		return false
	}
	return c.afterType < 0 || ev.afterOK && !ev.afterAt.After(t)
}

// doneByEvent returns the first event completing the step at or after from;
// memberState, when set, must be the event's.
func (ev *evaluation) doneByEvent(from time.Time, memberState string) (string, time.Time) {
	d := ev.step.DoneBy
	if ev.c.doneType < 0 {
		return "", time.Time{}
	}
	for _, i := range ev.tl.byType[ev.c.doneType] {
		o := ev.tl.events[i]
		switch {
		case o.At.Before(from),
			d.Kind != "" && o.Kind != d.Kind,
			d.By != "" && o.Actor != d.By,
			memberState != "" && o.MemberState != memberState:
			continue
		}
		return o.EventID, o.At
	}
	return "", time.Time{}
}

// reportDone returns the event of the report that completes a per-report step.
func reportDone(r Report, point string, now time.Time) (string, time.Time) {
	if point == ReportFiled {
		if r.FiledEventID == "" || r.FiledAt.IsZero() || r.FiledAt.After(now) {
			return "", time.Time{}
		}
		return r.FiledEventID, r.FiledAt
	}
	for _, a := range r.Amendments {
		if a.At.After(now) {
			break
		}
		switch {
		case point == ReportAmended && a.Status != "withdrawn",
			point == ReportMitigating && (a.Status == "mitigating" || a.Status == "resolved"),
			point == ReportResolved && a.Status == "resolved":
			return a.EventID, a.At
		}
	}
	return "", time.Time{}
}

// withdrawn reports whether the report's latest status by now is withdrawn.
func withdrawn(r Report, now time.Time) bool {
	status := ""
	for _, a := range r.Amendments {
		if a.At.After(now) {
			break
		}
		status = a.Status
	}
	return status == "withdrawn"
}

// snapshot is the state of a case after the events up to at.
type snapshot struct {
	at    time.Time
	level int    // ladder rank of the decided level
	ipcr  int    // IPCR rank of the mode
	links int    // reports linked, less those unlinked
	nets  uint64 // active networks, by their bit
}

// timeline is a case replayed once for all its steps.
type timeline struct {
	// base is the state before any event; snaps the state after each
	// distinct event time, in time order.
	base  snapshot
	snaps []snapshot
	// events are the case's events up to now, in time order; byType lists
	// the positions of those of each of the playbook's types.
	events []Occurrence
	byType [][]int
}

func (p *Playbook) replay(c Case, now time.Time) *timeline {
	tl := &timeline{base: snapshot{level: ladderRank(LevelIncident)}, byType: make([][]int, len(p.types))}
	// The events come in time order, so those up to now are a prefix and
	// need no copy; a caller whose order and times disagree gets a sorted
	// copy.
	byTime := func(a, b Occurrence) int { return a.At.Compare(b.At) }
	if slices.IsSortedFunc(c.Events, byTime) {
		n := sort.Search(len(c.Events), func(i int) bool { return c.Events[i].At.After(now) })
		tl.events = c.Events[:n:n]
	} else {
		for _, o := range c.Events {
			if !o.At.After(now) {
				tl.events = append(tl.events, o)
			}
		}
		slices.SortStableFunc(tl.events, byTime)
	}
	// Reports whose linking the viewer cannot see still count, from the
	// case's opening.
	if len(c.Reports) > 0 && !slices.ContainsFunc(tl.events, func(o Occurrence) bool { return o.Type == EventReportLinked }) {
		tl.base.links = len(c.Reports)
	}
	tl.snaps = make([]snapshot, 0, len(tl.events))
	s := tl.base
	for i, o := range tl.events {
		if t, ok := p.typeIdx[o.Type]; ok {
			tl.byType[t] = append(tl.byType[t], i)
		}
		switch o.Type {
		case EventLevelDecided:
			if r := ladderRank(o.Kind); r >= 0 {
				s.level = r
			}
		case EventIPCRDecided:
			if r := ipcrRank(o.Kind); r >= 0 {
				s.ipcr = r
			}
		case EventNetworkActivated, EventNetworkDeactivated:
			if b := slices.Index(p.networks, o.Kind); b >= 0 && b < 64 {
				if o.Type == EventNetworkActivated {
					s.nets |= 1 << b
				} else {
					s.nets &^= 1 << b
				}
			}
		case EventReportLinked:
			s.links++
		case EventReportUnlinked:
			s.links--
		}
		// Events at the same instant give one state: "at or before t".
		if i+1 == len(tl.events) || !tl.events[i+1].At.Equal(o.At) {
			s.at = o.At
			tl.snaps = append(tl.snaps, s)
		}
	}
	return tl
}

// firstAt returns when the first event of the type (position in p.types)
// and, if given, kind happened by now.
func (tl *timeline) firstAt(typ int, kind string) (time.Time, bool) {
	for _, i := range tl.byType[typ] {
		if o := tl.events[i]; kind == "" || o.Kind == kind {
			return o.At, true
		}
	}
	return time.Time{}, false
}

// stateAt returns the case's state after the events at or before t.
func (tl *timeline) stateAt(t time.Time) snapshot {
	i := sort.Search(len(tl.snaps), func(i int) bool { return tl.snaps[i].at.After(t) })
	if i == 0 {
		return tl.base
	}
	return tl.snaps[i-1]
}

// ForActors returns the next steps of a caller: the pending and overdue
// steps owned by one of its actors. For a per-report step owned by the
// Member States only the caller's own Member State's instances are kept
// (memberState is "" for a Union actor). Overdue steps come first, then
// pending ones by due time, then those without a clock, then the optional
// ones; ties keep the playbook's order.
func ForActors(sts []Status, actors []string, memberState string) []Status {
	var out []Status
	for _, st := range sts {
		switch {
		case st.State != StatePending && st.State != StateOverdue,
			!slices.Contains(actors, st.Step.Owner),
			st.Step.Owner == memberStates && st.MemberState != "" && st.MemberState != memberState:
			continue
		}
		out = append(out, st)
	}
	rank := func(st Status) int {
		switch {
		case st.State == StateOverdue:
			return 0
		case !st.Due.IsZero():
			return 1
		case !st.Step.Optional:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(out, func(a, b Status) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		return a.Due.Compare(b.Due)
	})
	return out
}
