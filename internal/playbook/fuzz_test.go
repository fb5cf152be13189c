package playbook

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse. It must not panic; it must fail
// with problems that each name the file, or give a playbook that evaluates
// an empty and a busy case with a status for every step.
func FuzzParse(f *testing.F) {
	// The embedded file is too large a seed: the fuzzer spends its time
	// minimising mutations of it. The unit tests parse it; the small valid
	// file exercises the same grammar.
	f.Add([]byte(validFile))
	for _, seed := range []string{
		"", "---", "{}", "[]", "null", "steps: 3", "*a", "&a [*a]", "---\n---\n", "...\n]]]",
		"clocks: [{id: undue-delay, name: U, months: 1, source: s, model: [procedural-arrangements]}]\nsteps: [{id: a, title: T, ref: \"§51\", owner: eu-cyclone, level: operational, done_by: {event: case.opened}, clock: {id: undue-delay, from: applicable}}]\n",
		"clocks: [{id: x, name: X, duration: 1ns, source: s}]\nsteps: [{id: a, title: T, ref: \"§1\", owner: member-states, level: political, when: {per_report: true, after: case.level-decided/cyber-crisis, network_active: eu-cyclone, ipcr_at_least: full, reports: true}, done_by: {report: resolved}, clock: {id: x, from: notified}}]\n",
		"steps: [{done_by: {event: sitrep.published, kind: nope}, clock: {from: later}}]\n",
	} {
		f.Add([]byte(seed))
	}
	m := MustModel(f)
	busy := newCase(
		occ("l", EventLevelDecided, LevelCyberCrisis, 1, "eu-cyclone"),
		occ("n", EventNetworkActivated, "eu-cyclone", 2, "eu-cyclone"),
		occ("i", EventIPCRDecided, IPCRFull, 3, "presidency"),
		occ("r", EventReportLinked, "FR", 4, "enisa"),
	)
	busy.Reports = []Report{{ID: "r", MemberState: "FR", AwareAt: at(0), FiledAt: at(1), FiledEventID: "f", Significant: true,
		Amendments: []Amendment{{"a", at(5), "resolved"}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data, m)
		if err != nil {
			if p != nil {
				t.Error("Parse returned a playbook with its error")
			}
			ps := problemsOf(err)
			if len(ps) == 0 {
				t.Fatalf("error holds no *Problem: %v", err)
			}
			for _, pr := range ps {
				if pr.File != "fuzz.yaml" || !strings.HasPrefix(pr.Error(), "fuzz.yaml: ") {
					t.Errorf("problem does not name the file: %v", pr)
				}
			}
			return
		}
		for _, c := range []Case{newCase(), busy} {
			if sts := p.Evaluate(c, at(100)); len(sts) < len(p.Steps()) {
				t.Errorf("%d statuses for %d steps", len(sts), len(p.Steps()))
			}
		}
	})
}

// FuzzParseOverrides must not panic; what it accepts names known clocks with
// positive spans, and reads back the same from FormatOverrides.
func FuzzParseOverrides(f *testing.F) {
	for _, seed := range []string{
		"", "undue-delay=12h", "undue-delay=12h,reserve-deployment=24h", "nis2-final-report=1mo",
		"x=1h", "undue-delay=", "=", ",", "undue-delay=1h,undue-delay=1h", "undue-delay=9999999999h",
		"undue-delay=-0s", "nis2-final-report=+1mo", "nis2-final-report=99999999999mo", "a=b=c",
	} {
		f.Add(seed)
	}
	p := MustDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOverrides(s)
		if err != nil {
			if o != nil {
				t.Error("ParseOverrides returned overrides with its error")
			}
			return
		}
		for id, d := range o {
			if _, ok := p.Clock(id); !ok {
				t.Errorf("accepted unknown clock %q", id)
			}
			if !d.positive() {
				t.Errorf("accepted %s=%v", id, d)
			}
		}
		back, err := ParseOverrides(FormatOverrides(o))
		if err != nil || len(back) != len(o) {
			t.Fatalf("%q read back as %v, %v", FormatOverrides(o), back, err)
		}
		for id, d := range o {
			if back[id] != d {
				t.Errorf("%s: %v read back as %v", id, d, back[id])
			}
		}
		if _, err := p.WithClocks(o); err != nil {
			t.Errorf("WithClocks refused what ParseOverrides accepted: %v", err)
		}
	})
}

// FuzzEvaluate replays arbitrary event sequences. It must not panic, and
// every status must be consistent: a not-applicable step has no times; a
// done step has its event; an overdue one is past its due time; a case-level
// step is done at or after it applied.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte{0, 3, 1, 2, 2, 9, 3, 1}, uint16(50))
	f.Add([]byte{1, 4, 1, 5, 5, 0, 6, 3, 7, 1, 8, 2}, uint16(300))
	p := MustDefault(f)
	types := []string{
		EventLevelDecided, EventIPCRDecided, EventNetworkActivated, EventNetworkDeactivated,
		EventArrangementsRecorded, EventNetworkAdvice, EventRoundtableHeld, EventSignalRecorded,
		EventReportLinked, EventClosed, "reserve.requested", "sitrep.published",
	}
	kinds := map[string][]string{
		EventLevelDecided:       Ladder(),
		EventNetworkAdvice:      Ladder(),
		EventIPCRDecided:        {IPCRMonitoring, IPCRInformationSharing, IPCRFull, IPCRDeactivated},
		EventNetworkActivated:   {"csirts-network", "eu-cyclone"},
		EventNetworkDeactivated: {"csirts-network", "eu-cyclone"},
		EventSignalRecorded:     {SignalHubAlert, SignalResponseCapacityExceeded},
		EventReportLinked:       {"FR", "DE"},
		"sitrep.published":      {"technical", "operational", "lessons"},
	}
	actors := []string{"eu-cyclone", "csirts-network", "member-states", "cross-border-cyber-hubs"}
	f.Fuzz(func(t *testing.T, data []byte, nowHours uint16) {
		c := newCase()
		for i := 0; i+1 < len(data) && i < 400; i += 2 {
			typ := types[int(data[i])%len(types)]
			kind := ""
			if ks := kinds[typ]; len(ks) > 0 {
				kind = ks[int(data[i+1])%len(ks)]
			}
			c.Events = append(c.Events, occ("e"+string(rune('a'+i%26)), typ, kind, float64(data[i+1]), actors[int(data[i])%len(actors)]))
		}
		c.Reports = []Report{{ID: "r", MemberState: "FR", AwareAt: at(2), FiledAt: at(float64(len(data) % 40)), FiledEventID: "f", Significant: len(data)%2 == 0}}
		if len(data)%3 == 0 {
			c.Closed, c.ClosedAt = true, at(float64(len(data)))
		}
		now := at(float64(nowHours))
		for _, st := range p.Evaluate(c, now) {
			switch st.State {
			case StateNotApplicable:
				if !st.Since.IsZero() || !st.Due.IsZero() || st.DoneBy != "" {
					t.Errorf("%s: not applicable with %+v", st.Step.ID, st)
				}
			case StateDone:
				if st.DoneBy == "" || st.DoneAt.After(now) {
					t.Errorf("%s: done without an event by now: %+v", st.Step.ID, st)
				}
				if !st.Step.When.PerReport && st.DoneAt.Before(st.Since) {
					t.Errorf("%s: done at %v before it applied at %v", st.Step.ID, st.DoneAt, st.Since)
				}
			case StateOverdue:
				if st.Due.IsZero() || !now.After(st.Due) {
					t.Errorf("%s: overdue with due %v at %v", st.Step.ID, st.Due, now)
				}
			case StatePending:
				if st.DoneBy != "" {
					t.Errorf("%s: pending with an event", st.Step.ID)
				}
			default:
				t.Errorf("%s: state %q", st.Step.ID, st.State)
			}
			if st.State != StateNotApplicable && st.Since.After(now) {
				t.Errorf("%s: applies from %v, after now %v", st.Step.ID, st.Since, now)
			}
		}
		_ = ForActors(p.Evaluate(c, now), []string{"member-states", "eu-cyclone"}, "FR")
	})
}
