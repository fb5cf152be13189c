package playbook

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// MustModel loads the embedded model or fails the test.
func MustModel(tb testing.TB) *model.Model {
	tb.Helper()
	m, err := model.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// MustDefault loads the embedded playbook or fails the test.
func MustDefault(tb testing.TB) *Playbook {
	tb.Helper()
	p, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// problemsOf flattens the Problems in a Parse error.
func problemsOf(err error) []*Problem {
	var out []*Problem
	var walk func(error)
	walk = func(err error) {
		var p *Problem
		if errors.As(err, &p) && p == err {
			out = append(out, p)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// TestEveryStepIsComplete fails if a step of the embedded file lacks a §, an
// owner or a completion event: the playbook is only as good as its
// traceability.
func TestEveryStepIsComplete(t *testing.T) {
	p := MustDefault(t)
	m := MustModel(t)
	citation := regexp.MustCompile(`^(§[0-9]+|NIS2 art\. )`)
	seen := map[string]bool{}
	for _, s := range p.Steps() {
		if seen[s.ID] {
			t.Errorf("step %q twice", s.ID)
		}
		seen[s.ID] = true
		if !citation.MatchString(s.Ref) {
			t.Errorf("step %q: ref %q does not start with a § or a NIS2 article", s.ID, s.Ref)
		}
		if _, ok := m.Actor(s.Owner); !ok {
			t.Errorf("step %q: owner %q is not a model actor", s.ID, s.Owner)
		}
		if _, ok := m.Level(s.Level); !ok {
			t.Errorf("step %q: level %q is not a model level", s.ID, s.Level)
		}
		if s.DoneBy.Event == "" && s.DoneBy.Report == "" {
			t.Errorf("step %q has no completion", s.ID)
		}
		if s.Title == "" {
			t.Errorf("step %q has no title", s.ID)
		}
		if s.Clock != nil {
			if _, ok := p.Clock(s.Clock.ID); !ok {
				t.Errorf("step %q: clock %q unknown", s.ID, s.Clock.ID)
			}
		}
	}
}

// TestCoverage pins which paragraphs of the case chapters (VI–XI) and which
// NIS2 clocks the playbook cites, and which it leaves out on purpose: a
// paragraph dropped from the data, or one added without deciding, fails here.
func TestCoverage(t *testing.T) {
	cited := []string{
		"§47", "§48", "§49", "§50", "§51",
		"§55(a)(i)", "§55(a)(ii)", "§55(a)(iii)", "§55(a)(iv)", "§55(a)(v)", "§55(a)(vi)",
		"§55(b)(i)", "§55(b)(ii)", "§55(b)(iii)", "§55(b)(iv)(a)", "§55(b)(iv)(e)", "§55(b)(v)",
		"§55(c)(i)", "§55(c)(ii)", "§55(c)(iii)", "§55(c)(iv)", "§55(c)(v)", "§55(c)(vi)",
		"§57", "§58(a)", "§58(b)", "§58(c)", "§58(d)", "§58(f)",
		"§59", "§61", "§62(a)", "§62(b)", "§63", "§65", "§70", "§72", "§73", "§74",
		"NIS2 art. 23(4)(a)", "NIS2 art. 23(4)(b)", "NIS2 art. 23(4)(d)",
	}
	// Left out, with the reason: nothing a case records can complete them.
	left := map[string]string{
		"§52":           "principle: cooperation at three levels",
		"§53":           "principle: activities at each level",
		"§54":           "proportionality; national coherence of sectoral responses, not recorded on the node",
		"§55(b)(iv)(b)": "a consequence of an activation, not an action",
		"§55(b)(iv)(c)": "Commission's integrated cross-sector analysis: no event records it yet",
		"§55(b)(iv)(d)": "Commission's consistency with UCPM requests: no event records it yet",
		"§56":           "rule: the §55 steps still apply in full IPCR mode, which no condition excludes",
		"§58(e)":        "national coherence of sectoral responses, not recorded on the node",
		"§60":           "preparedness",
		"§62(c)":        "standing coordination against persistent threat actors",
		"§64":           "principle of EU–NATO cooperation",
		"§66":           "exercise",
		"§67":           "exercise",
		"§68":           "national civil-military cooperation",
		"§69":           "standing cooperation with military actors",
		"§71":           "exercise",
	}
	var refs []string
	for _, s := range MustDefault(t).Steps() {
		refs = append(refs, strings.Split(s.Ref, "; ")...)
	}
	cites := func(want string) bool {
		for _, r := range refs {
			if r == want || strings.HasPrefix(r, want+"(") {
				return true
			}
		}
		return false
	}
	for _, want := range cited {
		if !cites(want) {
			t.Errorf("no step cites %s", want)
		}
	}
	for para, why := range left {
		if cites(para) {
			t.Errorf("a step cites %s, listed as left out (%s); move it to the cited list", para, why)
		}
	}
}

// validFile is a small steps file that parses; the broken-file cases change
// one thing in it.
const validFile = `clocks:
  - id: undue-delay
    name: Without undue delay
    duration: 24h
    source: "§51; no figure in the text"
    model: [procedural-arrangements]
  - id: nis2-early-warning
    name: NIS2 early warning
    duration: 24h
    source: "NIS2 art. 23(4)(a)"
    model: [nis2-early-warning]
steps:
  - id: procedural-arrangements
    title: Agree procedural arrangements
    ref: "§51"
    owner: csirts-network
    level: technical
    when: {level_at_least: potential-large-scale}
    done_by: {event: case.arrangements-recorded}
    clock: {id: undue-delay, from: applicable}
  - id: nis2-early-warning
    title: Early warning
    ref: "NIS2 art. 23(4)(a)"
    owner: member-states
    level: technical
    when: {per_report: true, significant: true}
    done_by: {report: filed}
    clock: {id: nis2-early-warning, from: aware}
  - id: deploy-reserve
    title: Deploy the Reserve
    ref: "§55(b)(v)"
    owner: commission
    level: operational
    when: {after: reserve.requested}
    done_by: {event: reserve.deployed}
`

func TestParseValidFile(t *testing.T) {
	p, err := Parse("test.yaml", []byte(validFile), MustModel(t))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Steps()); n != 3 {
		t.Fatalf("%d steps, want 3", n)
	}
}

// TestParseRefusesBrokenFiles changes one thing in a valid file and expects
// a Problem naming the step (or clock) and the field.
func TestParseRefusesBrokenFiles(t *testing.T) {
	m := MustModel(t)
	tests := []struct {
		name, old, new string
		want           string // substring of one problem
	}{
		{"no ref", `ref: "§51"`, `ref: ""`, `step "procedural-arrangements": ref: is missing`},
		{"ref not a citation", `ref: "§51"`, `ref: "paragraph 51"`, `step "procedural-arrangements": ref: "paragraph 51" is not a citation`},
		{"ref beyond §82", `ref: "§51"`, `ref: "§99"`, `ref: "§99": the Recommendation has §1 to §82`},
		{"no owner", "    owner: csirts-network\n", "", `step "procedural-arrangements": owner: is missing`},
		{"unknown owner", "owner: csirts-network", "owner: csirt-network", `owner: "csirt-network" is not an actor of the model`},
		{"level not the owner's", "owner: csirts-network\n    level: technical", "owner: csirts-network\n    level: political", `level: "political" is not a level csirts-network works at`},
		{"unknown level", "level: operational", "level: strategic", `step "deploy-reserve": level: "strategic" is not a level of the model`},
		{"no completion", "done_by: {event: case.arrangements-recorded}", "", `step "procedural-arrangements": done_by: is missing`},
		{"unknown event", "case.arrangements-recorded", "case.arrangements-agreed", `done_by.event: "case.arrangements-agreed" is not an event type`},
		{"kind for a kindless event", "{event: case.arrangements-recorded}", "{event: case.arrangements-recorded, kind: full}", `kind "full" does not go with case.arrangements-recorded`},
		{"a field no longer read", "clock: {id: undue-delay, from: applicable}", "clock: {id: undue-delay, from: applicable}\n    tracked: false", `step "procedural-arrangements": line`},
		{"unknown ladder level", "level_at_least: potential-large-scale", "level_at_least: huge", `when.level_at_least: "huge" is not a level of the ladder`},
		{"significant without per_report", "{per_report: true, significant: true}", "{significant: true}", `when.significant: needs per_report`},
		{"report completion without per_report", "{per_report: true, significant: true}", "{}", `done_by.report: needs when.per_report`},
		{"after with a bad kind", "after: reserve.requested", "after: case.ipcr-decided/partial", `when.after: kind "partial" does not go with case.ipcr-decided`},
		{"duplicate id", "id: deploy-reserve", "id: procedural-arrangements", `id: is defined twice`},
		{"misspelt field", "when: {after: reserve.requested}", "wen: {after: reserve.requested}", `step "deploy-reserve": line`},
		{"unknown clock", "{id: undue-delay, from: applicable}", "{id: undue, from: applicable}", `clock.id: "undue" is not a clock`},
		{"report clock on a case step", "{id: undue-delay, from: applicable}", "{id: undue-delay, from: aware}", `clock.from: "aware" is a time of a report`},
		{"optional with a clock", "owner: csirts-network\n", "owner: csirts-network\n    optional: true\n", `step "procedural-arrangements": clock: an optional step`},
		{"clock disagrees with the model", "duration: 24h\n    source: \"NIS2", "duration: 48h\n    source: \"NIS2", `clock "nis2-early-warning": duration: 48h disagrees with the model's clock`},
		{"clock with two spans", "duration: 24h\n    source: \"§51", "duration: 24h\n    months: 1\n    source: \"§51", `clock "undue-delay": sets both duration and months`},
		{"clock without source", `source: "§51; no figure in the text"`, `source: ""`, `clock "undue-delay": source: is missing`},
		{"unused clock", "{id: nis2-early-warning, from: aware}", "{id: undue-delay, from: aware}", `clock "nis2-early-warning": no step uses it`},
		{"two documents", "done_by: {event: reserve.deployed}\n", "done_by: {event: reserve.deployed}\n---\nsteps: []\n", "more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(validFile, tt.old) {
				t.Fatalf("the valid file does not hold %q", tt.old)
			}
			data := strings.Replace(validFile, tt.old, tt.new, 1)
			p, err := Parse("broken.yaml", []byte(data), m)
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", data)
			}
			if p != nil {
				t.Error("Parse returned a playbook with its error")
			}
			if !failure.Is(err, failure.Invalid) {
				t.Errorf("error kind %s, want invalid", failure.KindOf(err))
			}
			ps := problemsOf(err)
			var msgs []string
			for _, p := range ps {
				msgs = append(msgs, p.Error())
				if !strings.HasPrefix(p.Error(), "broken.yaml: ") {
					t.Errorf("problem does not name the file: %v", p)
				}
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
				t.Errorf("no problem says %q; got:\n%s", tt.want, strings.Join(msgs, "\n"))
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	data := strings.NewReplacer("owner: csirts-network", "owner: nobody", `ref: "§55(b)(v)"`, `ref: ""`).Replace(validFile)
	_, err := Parse("broken.yaml", []byte(data), MustModel(t))
	if n := len(problemsOf(err)); n < 2 {
		t.Errorf("%d problems, want both the owner and the ref: %v", n, err)
	}
}

func TestParseRefusesEmptyAndOversizedFiles(t *testing.T) {
	m := MustModel(t)
	for name, data := range map[string]string{
		"empty":     "",
		"no steps":  "clocks: []\nsteps: []\n",
		"a list":    "- id: x\n",
		"oversized": "# " + strings.Repeat("x", maxFileBytes) + "\n",
	} {
		if _, err := Parse(name, []byte(data), m); err == nil || len(problemsOf(err)) == 0 {
			t.Errorf("%s: err = %v, want problems", name, err)
		}
	}
	if _, err := Parse("x", []byte(validFile), nil); err == nil {
		t.Error("Parse without a model succeeded")
	}
}
