package playbook

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// t0 is when the test cases open; at(h) is h hours later.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func at(hours float64) time.Time { return t0.Add(time.Duration(hours * float64(time.Hour))) }

// occ is an event at the given hour, recorded by an organisation of actor.
func occ(id, typ, kind string, hours float64, actor string) Occurrence {
	return Occurrence{EventID: id, Type: typ, Kind: kind, At: at(hours), Organisation: actor + "-org", Actor: actor}
}

// newCase is a case opened at t0 with the given events after its opening.
func newCase(events ...Occurrence) Case {
	return Case{ID: "case-1", OpenedAt: t0, Events: append([]Occurrence{occ("opened", EventOpened, "", 0, "enisa")}, events...)}
}

// statusOf finds the status of a step (and instance) or fails the test.
func statusOf(t *testing.T, sts []Status, step, instance string) Status {
	t.Helper()
	for _, st := range sts {
		if st.Step.ID == step && st.Instance == instance {
			return st
		}
	}
	t.Fatalf("no status for step %q instance %q", step, instance)
	return Status{}
}

// idsIn lists the step ids in a state, in order.
func idsIn(sts []Status, state string) []string {
	var ids []string
	for _, st := range sts {
		if st.State == state {
			ids = append(ids, st.Step.ID)
		}
	}
	return ids
}

func TestEvaluateEmptyCase(t *testing.T) {
	p := MustDefault(t)
	sts := p.Evaluate(newCase(), at(1))
	if len(sts) != len(p.Steps()) {
		t.Fatalf("%d statuses for %d steps; without reports each per-report step gives one", len(sts), len(p.Steps()))
	}
	// A fresh case expects only what applies from its opening.
	want := []string{"share-indications", "csirts-network-activation", "cyclone-activation", "csirts-network-advice"}
	if got := idsIn(sts, StatePending); !slices.Equal(got, want) {
		t.Errorf("pending = %v, want %v", got, want)
	}
	for _, st := range sts {
		switch st.State {
		case StatePending:
			if !st.Since.Equal(t0) || !st.Due.IsZero() {
				t.Errorf("%s: since %v due %v, want since the opening and no clock", st.Step.ID, st.Since, st.Due)
			}
		case StateNotApplicable:
			if !st.Since.IsZero() || !st.Due.IsZero() || st.DoneBy != "" {
				t.Errorf("%s: not applicable but %+v", st.Step.ID, st)
			}
		default:
			t.Errorf("%s: state %s in an empty case", st.Step.ID, st.State)
		}
	}
	for i, st := range sts {
		if st.Step.ID != p.Steps()[i].ID {
			t.Fatalf("status %d is %s, want the data order (%s)", i, st.Step.ID, p.Steps()[i].ID)
		}
	}
}

// TestEvaluateProceduralArrangements follows §51: agreed without undue delay
// once the incident is a potential large-scale one.
func TestEvaluateProceduralArrangements(t *testing.T) {
	p := MustDefault(t)
	pls := occ("lvl", EventLevelDecided, LevelPotentialLargeScale, 2, "eu-cyclone")
	tests := []struct {
		name       string
		c          Case
		now        float64
		state      string
		since, due time.Time
		doneBy     string
		late       bool
	}{
		{"no level decided yet", newCase(), 30, StateNotApplicable, time.Time{}, time.Time{}, "", false},
		{"within the clock", newCase(pls), 10, StatePending, at(2), at(26), "", false},
		{"at the due time", newCase(pls), 26, StatePending, at(2), at(26), "", false},
		{"overdue after 24h", newCase(pls), 27, StateOverdue, at(2), at(26), "", false},
		{"done on time", newCase(pls, occ("arr", EventArrangementsRecorded, "", 20, "csirts-network")), 30, StateDone, at(2), at(26), "arr", false},
		{"done late", newCase(pls, occ("arr", EventArrangementsRecorded, "", 30, "csirts-network")), 40, StateDone, at(2), at(26), "arr", true},
		{"arrangements before the decision answer another situation",
			newCase(occ("arr", EventArrangementsRecorded, "", 1, "csirts-network"), pls), 10, StatePending, at(2), at(26), "", false},
		{"straight to large-scale counts as potential large-scale",
			newCase(occ("lvl", EventLevelDecided, LevelLargeScale, 3, "eu-cyclone")), 10, StatePending, at(3), at(27), "", false},
		{"de-escalated before it was done",
			newCase(pls, occ("down", EventLevelDecided, LevelSignificant, 5, "eu-cyclone")), 30, StateNotApplicable, time.Time{}, time.Time{}, "", false},
		{"events after now are not seen", newCase(occ("lvl", EventLevelDecided, LevelPotentialLargeScale, 50, "eu-cyclone")), 10, StateNotApplicable, time.Time{}, time.Time{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := statusOf(t, p.Evaluate(tt.c, at(tt.now)), "procedural-arrangements", "")
			if st.State != tt.state || !st.Since.Equal(tt.since) || !st.Due.Equal(tt.due) || st.DoneBy != tt.doneBy || st.Late != tt.late {
				t.Errorf("got %s since %v due %v done by %q late %v\nwant %s since %v due %v done by %q late %v",
					st.State, st.Since, st.Due, st.DoneBy, st.Late, tt.state, tt.since, tt.due, tt.doneBy, tt.late)
			}
			if tt.state != StateNotApplicable && !strings.Contains(st.ClockSource, "§51") {
				t.Errorf("clock source %q does not cite §51", st.ClockSource)
			}
		})
	}
	// §50 applies from the opening, so advice given before the decision counts.
	c := newCase(occ("adv", EventNetworkAdvice, LevelPotentialLargeScale, 1, "csirts-network"), pls)
	if st := statusOf(t, p.Evaluate(c, at(10)), "csirts-network-advice", ""); st.State != StateDone || st.DoneBy != "adv" || !st.DoneAt.Equal(at(1)) {
		t.Errorf("§50 advice: %+v", st)
	}
}

func TestEvaluateClosedCaseStopsTheClocks(t *testing.T) {
	p := MustDefault(t)
	pls := occ("lvl", EventLevelDecided, LevelPotentialLargeScale, 2, "eu-cyclone")
	for _, tt := range []struct {
		closedAt float64
		want     string
	}{
		{10, StatePending}, // closed before the due time: nothing falls overdue later
		{30, StateOverdue}, // it was overdue when the case closed
	} {
		c := newCase(pls, occ("close", EventClosed, "", tt.closedAt, "eu-cyclone"))
		c.Closed, c.ClosedAt = true, at(tt.closedAt)
		if st := statusOf(t, p.Evaluate(c, at(100)), "procedural-arrangements", ""); st.State != tt.want {
			t.Errorf("closed at %vh: %s, want %s", tt.closedAt, st.State, tt.want)
		}
	}
	// §74: the lessons apply once a large-scale case is closed, and may
	// arrive after the closing.
	ls := occ("lvl", EventLevelDecided, LevelLargeScale, 1, "eu-cyclone")
	c := newCase(ls, occ("close", EventClosed, "", 10, "eu-cyclone"))
	c.Closed, c.ClosedAt = true, at(10)
	st := statusOf(t, p.Evaluate(c, at(20)), "lessons-learned", "")
	if st.State != StatePending || !st.Since.Equal(at(10)) {
		t.Errorf("lessons after closing: %+v", st)
	}
	c.Events = append(c.Events, occ("lessons", "sitrep.published", "lessons", 15, "eu-cyclone"))
	if st := statusOf(t, p.Evaluate(c, at(20)), "lessons-learned", ""); st.State != StateDone || st.DoneBy != "lessons" {
		t.Errorf("lessons published after closing: %+v", st)
	}
	if st := statusOf(t, p.Evaluate(newCase(ls), at(20)), "lessons-learned", ""); st.State != StateNotApplicable {
		t.Errorf("lessons in an open case: %s", st.State)
	}
}

// TestEvaluateNIS2Clocks follows the NIS2 art. 23(4) clocks of each national
// report: early warning 24 h and notification 72 h from awareness, final
// report a calendar month after the notification.
func TestEvaluateNIS2Clocks(t *testing.T) {
	p := MustDefault(t)
	c := newCase()
	c.Reports = []Report{
		{ID: "r-fr", MemberState: "FR", AwareAt: at(0), FiledAt: at(23), FiledEventID: "f-fr", Significant: true},
		{ID: "r-de", MemberState: "DE", AwareAt: at(0), FiledAt: at(25), FiledEventID: "f-de", Significant: true,
			Amendments: []Amendment{{EventID: "a-de", At: at(50), Status: "mitigating"}}},
		{ID: "r-be", MemberState: "BE", AwareAt: at(0), FiledAt: at(10), FiledEventID: "f-be"},
	}
	sts := p.Evaluate(c, at(73))
	tests := []struct {
		step, report string
		state        string
		due          time.Time
		doneBy       string
		late         bool
	}{
		{"nis2-early-warning", "r-fr", StateDone, at(24), "f-fr", false},
		{"nis2-early-warning", "r-de", StateDone, at(24), "f-de", true},
		{"nis2-early-warning", "r-be", StateNotApplicable, time.Time{}, "", false}, // not significant
		{"nis2-incident-notification", "r-fr", StateOverdue, at(72), "", false},
		{"nis2-incident-notification", "r-de", StateDone, at(72), "a-de", false},
		{"nis2-final-report", "r-fr", StatePending, time.Time{}, "", false}, // no notification yet: the clock has not started
		{"nis2-final-report", "r-de", StatePending, time.Date(2026, 4, 4, 10, 0, 0, 0, time.UTC), "", false},
		{"report-significant-incident", "r-fr", StateDone, time.Time{}, "f-fr", false},
	}
	for _, tt := range tests {
		st := statusOf(t, sts, tt.step, tt.report)
		if st.State != tt.state || !st.Due.Equal(tt.due) || st.DoneBy != tt.doneBy || st.Late != tt.late {
			t.Errorf("%s/%s: %s due %v done by %q late %v; want %s due %v done by %q late %v",
				tt.step, tt.report, st.State, st.Due, st.DoneBy, st.Late, tt.state, tt.due, tt.doneBy, tt.late)
		}
		if tt.state != StateNotApplicable && (st.MemberState != c.Reports[slices.IndexFunc(c.Reports, func(r Report) bool { return r.ID == tt.report })].MemberState || !st.Since.Equal(at(0))) {
			t.Errorf("%s/%s: member state %q since %v", tt.step, tt.report, st.MemberState, st.Since)
		}
	}
	// One instance per report, by Member State.
	var order []string
	for _, st := range sts {
		if st.Step.ID == "nis2-early-warning" {
			order = append(order, st.MemberState)
		}
	}
	if !slices.Equal(order, []string{"BE", "DE", "FR"}) {
		t.Errorf("instances in order %v, want BE, DE, FR", order)
	}
	// Awareness before the case opened still starts the clock.
	c.Reports[0].AwareAt = t0.Add(-20 * time.Hour)
	if st := statusOf(t, p.Evaluate(c, at(73)), "nis2-early-warning", "r-fr"); !st.Due.Equal(at(4)) || !st.Late || !st.Since.Equal(at(-20)) {
		t.Errorf("aware before the case: %+v", st)
	}
	// A withdrawn report owes nothing more, and its withdrawal is no notification.
	c.Reports[0].Amendments = []Amendment{{EventID: "w", At: at(30), Status: "withdrawn"}}
	sts = p.Evaluate(c, at(100))
	for _, step := range []string{"nis2-incident-notification", "nis2-final-report"} {
		if st := statusOf(t, sts, step, "r-fr"); st.State != StateNotApplicable {
			t.Errorf("%s of a withdrawn report: %s", step, st.State)
		}
	}
	if st := statusOf(t, sts, "nis2-early-warning", "r-fr"); st.State != StateDone {
		t.Errorf("early warning of a withdrawn report: %s, want it to stay done", st.State)
	}
}

func TestEvaluateFinalReportDone(t *testing.T) {
	p := MustDefault(t)
	c := newCase()
	c.Reports = []Report{{ID: "r", MemberState: "NL", AwareAt: at(0), FiledAt: at(2), FiledEventID: "f", Significant: true,
		Amendments: []Amendment{{"a1", at(20), "open"}, {"a2", at(200), "mitigating"}, {"a3", at(400), "resolved"}}}}
	st := statusOf(t, p.Evaluate(c, at(500)), "nis2-final-report", "r")
	if st.State != StateDone || st.DoneBy != "a3" || !st.Due.Equal(at(20).AddDate(0, 1, 0)) || st.Late {
		t.Errorf("final report: %+v", st)
	}
	if st := statusOf(t, p.Evaluate(c, at(300)), "nis2-final-report", "r"); st.State != StatePending || st.DoneBy != "" {
		t.Errorf("final report before the resolved amendment: %+v", st)
	}
	c.Events = append(c.Events, occ("lvl", EventLevelDecided, LevelLargeScale, 1, "eu-cyclone"))
	if st := statusOf(t, p.Evaluate(c, at(500)), "limit-national-impact", "r"); st.State != StateDone || st.DoneBy != "a2" {
		t.Errorf("§55(b)(i) done by the first mitigating amendment: %+v", st)
	}
}

func TestEvaluateIPCR(t *testing.T) {
	p := MustDefault(t)
	ls := occ("lvl", EventLevelDecided, LevelLargeScale, 1, "eu-cyclone")
	full := occ("ipcr", EventIPCRDecided, IPCRFull, 2, "presidency")
	tests := []struct {
		name  string
		c     Case
		now   float64
		state map[string]string
	}{
		{"without IPCR", newCase(ls), 3, map[string]string{
			"ipcr-roundtables": StateNotApplicable, "isaa-reports": StateNotApplicable, "inform-political-level": StateNotApplicable,
			"impact-assessment": StatePending,
		}},
		{"full mode", newCase(ls, full), 3, map[string]string{
			"ipcr-roundtables": StatePending, "isaa-reports": StatePending, "inform-political-level": StatePending,
			"technical-sitrep": StatePending, "operational-sitrep": StatePending, "ipcr-platform-sharing": StatePending,
			"impact-assessment": StatePending, // §56: the §55 steps still apply
		}},
		{"roundtable held", newCase(ls, full, occ("rt", EventRoundtableHeld, "", 5, "presidency")), 6, map[string]string{
			"ipcr-roundtables": StateDone, "isaa-reports": StatePending,
		}},
		{"information-sharing mode only", newCase(ls, occ("ipcr", EventIPCRDecided, IPCRInformationSharing, 2, "presidency")), 3, map[string]string{
			"ipcr-roundtables": StateNotApplicable, "isaa-reports": StatePending,
		}},
		{"deactivated", newCase(ls, full, occ("off", EventIPCRDecided, IPCRDeactivated, 4, "presidency")), 6, map[string]string{
			"ipcr-roundtables": StateNotApplicable, "isaa-reports": StateNotApplicable,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := p.Evaluate(tt.c, at(tt.now))
			for step, want := range tt.state {
				if st := statusOf(t, sts, step, ""); st.State != want {
					t.Errorf("%s: %s, want %s", step, st.State, want)
				}
			}
		})
	}
	st := statusOf(t, p.Evaluate(newCase(ls, full), at(3)), "ipcr-roundtables", "")
	if !st.Since.Equal(at(2)) || st.Step.Ref != "§58(a); §58(c); §58(d)" {
		t.Errorf("roundtables: %+v", st)
	}
	if st := statusOf(t, p.Evaluate(newCase(ls, full), at(3)), "isaa-reports", ""); st.State != StatePending {
		t.Errorf("ISAA reports: %+v", st)
	}
}

// TestEvaluateReserveDeployment: the deployment step applies from the first
// request and runs the 24-hour clock of §55(b)(v); a deployment after it is
// done late.
func TestEvaluateReserveDeployment(t *testing.T) {
	p := MustDefault(t)
	c := newCase(occ("req", EventReserveRequested, "", 1, "member-states"))
	st := statusOf(t, p.Evaluate(c, at(26)), "deploy-reserve", "")
	if st.State != StateOverdue || !st.Due.Equal(at(25)) || !strings.Contains(st.ClockSource, "§55(b)(v)") {
		t.Errorf("Reserve not deployed 25 h after the request: %+v", st)
	}
	if st := statusOf(t, p.Evaluate(c, at(10)), "deploy-reserve", ""); st.State != StatePending {
		t.Errorf("Reserve deployment 9 h after the request: %s", st.State)
	}
	c.Events = append(c.Events, occ("dep", EventReserveDeployed, "", 26, "commission"))
	if st := statusOf(t, p.Evaluate(c, at(30)), "deploy-reserve", ""); st.State != StateDone || !st.Late || st.DoneBy != "dep" {
		t.Errorf("Reserve deployed 25 h after the request: %+v", st)
	}
}

func TestEvaluateHubInformation(t *testing.T) {
	p := MustDefault(t)
	tests := []struct {
		name   string
		c      Case
		state  string
		doneBy string
	}{
		{"no hub information", newCase(), StateNotApplicable, ""},
		{"relayed by a Member State: the hub still owes it", newCase(occ("s", EventSignalRecorded, SignalHubAlert, 1, "member-states")), StatePending, ""},
		{"recorded by the hub", newCase(occ("s", EventSignalRecorded, SignalHubAlert, 1, "cross-border-cyber-hubs")), StateDone, "s"},
	}
	for _, tt := range tests {
		st := statusOf(t, p.Evaluate(tt.c, at(2)), "hub-information", "")
		if st.State != tt.state || st.DoneBy != tt.doneBy {
			t.Errorf("%s: %s done by %q", tt.name, st.State, st.DoneBy)
		}
		if tt.state == StatePending && !st.Due.Equal(at(25)) {
			t.Errorf("%s: due %v, want 24 h after the signal", tt.name, st.Due)
		}
	}
}

func TestEvaluateWithOverriddenClock(t *testing.T) {
	o, err := ParseOverrides("undue-delay=12h")
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	c := newCase(occ("lvl", EventLevelDecided, LevelPotentialLargeScale, 2, "eu-cyclone"))
	st := statusOf(t, p.Evaluate(c, at(15)), "procedural-arrangements", "")
	if !st.Due.Equal(at(14)) || st.State != StateOverdue {
		t.Errorf("with undue-delay=12h: %s due %v, want overdue at %v", st.State, st.Due, at(14))
	}
	if !strings.Contains(st.ClockSource, "this node uses 12h (default 24h)") {
		t.Errorf("clock source %q does not say the node's figure", st.ClockSource)
	}
	if st := statusOf(t, MustDefault(t).Evaluate(c, at(15)), "procedural-arrangements", ""); !st.Due.Equal(at(26)) {
		t.Errorf("the default playbook changed too: due %v", st.Due)
	}
	if cl, _ := p.Clock("undue-delay"); !cl.Overridden() || cl.Default.Span != 24*time.Hour {
		t.Errorf("clock %+v", cl)
	}
}

func TestForActors(t *testing.T) {
	p := MustDefault(t)
	c := newCase(occ("lvl", EventLevelDecided, LevelPotentialLargeScale, 2, "eu-cyclone"))
	c.Reports = []Report{
		{ID: "r-fr", MemberState: "FR", AwareAt: at(0), FiledAt: at(1), FiledEventID: "f-fr", Significant: true},
		{ID: "r-de", MemberState: "DE", AwareAt: at(0), FiledAt: at(1), FiledEventID: "f-de", Significant: true},
	}
	sts := p.Evaluate(c, at(30))

	csirts := ForActors(sts, []string{"csirts-network"}, "")
	if len(csirts) == 0 || csirts[0].Step.ID != "procedural-arrangements" || csirts[0].State != StateOverdue {
		t.Fatalf("the CSIRTs Network's first step should be the overdue §51 arrangements: %v", stepIDs(csirts))
	}
	for _, st := range csirts {
		if st.Step.Owner != "csirts-network" || (st.State != StatePending && st.State != StateOverdue) {
			t.Errorf("CSIRTs Network given %s (%s, %s)", st.Step.ID, st.Step.Owner, st.State)
		}
	}
	if got := stepIDs(csirts); !slices.Contains(got, "csirts-network-advice") || !slices.Contains(got, "escalation-information") {
		t.Errorf("CSIRTs Network steps: %v", got)
	}

	fr := ForActors(sts, []string{"member-states"}, "FR")
	if len(fr) == 0 || fr[0].Step.ID != "nis2-incident-notification" || fr[0].Instance != "r-fr" {
		t.Fatalf("France's first step should be its notification, due first: %v", stepIDs(fr))
	}
	for _, st := range fr {
		if st.MemberState != "" && st.MemberState != "FR" {
			t.Errorf("France given %s of %s", st.Step.ID, st.MemberState)
		}
	}
	if !slices.Contains(stepIDs(fr), "share-indications") {
		t.Errorf("France lacks the Member States' common steps: %v", stepIDs(fr))
	}
	// Due before no clock, optional last.
	for i := 1; i < len(fr); i++ {
		a, b := fr[i-1], fr[i]
		if a.Due.IsZero() && !b.Due.IsZero() || a.Step.Optional && !b.Step.Optional {
			t.Errorf("France's steps out of order at %d: %v", i, stepIDs(fr))
		}
	}

	both := ForActors(sts, []string{"eu-cyclone", "enisa"}, "")
	for _, st := range both {
		if st.Step.Owner != "eu-cyclone" && st.Step.Owner != "enisa" {
			t.Errorf("EU-CyCLONe/ENISA given %s of %s", st.Step.ID, st.Step.Owner)
		}
	}
	if len(ForActors(sts, []string{"council"}, "")) != 0 {
		t.Error("the Council has steps in a potential large-scale case")
	}
}

func stepIDs(sts []Status) []string {
	ids := make([]string, len(sts))
	for i, st := range sts {
		ids[i] = st.Step.ID
		if st.Instance != "" {
			ids[i] += "/" + st.Instance
		}
	}
	return ids
}

// BenchmarkEvaluate measures a busy case against the DESIGN §7 target of
// under 1 ms per evaluation.
func BenchmarkEvaluate(b *testing.B) {
	p := MustDefault(b)
	c := newCase()
	levels := Ladder()
	for i := range 1000 {
		h := float64(i) / 10
		switch i % 5 {
		case 0:
			c.Events = append(c.Events, occ("e", EventLevelDecided, levels[i/5%len(levels)], h, "eu-cyclone"))
		case 1:
			c.Events = append(c.Events, occ("e", EventReportLinked, "FR", h, "member-states"))
		case 2:
			c.Events = append(c.Events, occ("e", EventIPCRDecided, IPCRInformationSharing, h, "presidency"))
		default:
			c.Events = append(c.Events, occ("e", EventNetworkAdvice, LevelLargeScale, h, "csirts-network"))
		}
	}
	for i := range 20 {
		c.Reports = append(c.Reports, Report{ID: string(rune('a' + i)), MemberState: "FR", AwareAt: at(1), FiledAt: at(2), FiledEventID: "f", Significant: true})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Evaluate(c, at(200))
	}
}

func TestEvaluateReportsCondition(t *testing.T) {
	p := MustDefault(t)
	ls := occ("lvl", EventLevelDecided, LevelLargeScale, 1, "eu-cyclone")
	fr := Report{ID: "r-fr", MemberState: "FR", AwareAt: at(0), FiledAt: at(1), FiledEventID: "f"}
	tests := []struct {
		name  string
		c     Case
		state string
		since time.Time
	}{
		{"no reports", newCase(ls), StateNotApplicable, time.Time{}},
		{"linked after the decision", newCase(ls, occ("l", EventReportLinked, "FR", 3, "enisa")), StatePending, at(3)},
		{"linked then unlinked", newCase(ls, occ("l", EventReportLinked, "FR", 3, "enisa"), occ("u", EventReportUnlinked, "FR", 4, "enisa")), StateNotApplicable, time.Time{}},
		{"reports without a visible link event", func() Case { c := newCase(ls); c.Reports = []Report{fr}; return c }(), StatePending, at(1)},
	}
	for _, tt := range tests {
		st := statusOf(t, p.Evaluate(tt.c, at(10)), "aggregate-national-reports", "")
		if st.State != tt.state || !st.Since.Equal(tt.since) {
			t.Errorf("%s: %s since %v, want %s since %v", tt.name, st.State, st.Since, tt.state, tt.since)
		}
	}
}
