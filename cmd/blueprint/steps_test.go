package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/playbook"
)

func TestModelStepsCommand(t *testing.T) {
	p, err := playbook.Default()
	if err != nil {
		t.Fatal(err)
	}
	out := MustRunCLI(t, nil, "model", "steps")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(p.Steps())+1 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[0], "COMPLETES-ON") {
		t.Fatalf("want a header and one row per step (%d):\n%s", len(p.Steps()), out)
	}
	for i, s := range p.Steps() {
		row := lines[i+1]
		if !strings.HasPrefix(row, s.ID+" ") || !strings.Contains(row, s.Ref) || !strings.Contains(row, s.Owner) {
			t.Errorf("row %d does not give step %s with its § %q and owner %s:\n%s", i+1, s.ID, s.Ref, s.Owner, row)
		}
	}
	for _, want := range []string{"§51", "24h from applicable", "NIS2 art. 23(4)(a)", "1 month from notified", "reserve.deployed", "member-states (may)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}

	out = MustRunCLI(t, nil, "model", "steps", "--json")
	var doc struct {
		Steps  []playbook.Step  `json:"steps"`
		Clocks []playbook.Clock `json:"clocks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(doc.Steps) != len(p.Steps()) || len(doc.Clocks) != len(p.Clocks()) {
		t.Errorf("--json gives %d steps and %d clocks, want %d and %d", len(doc.Steps), len(doc.Clocks), len(p.Steps()), len(p.Clocks()))
	}
	for _, s := range doc.Steps {
		if s.Ref == "" || s.Owner == "" || (s.DoneBy.Event == "" && s.DoneBy.Report == "") {
			t.Errorf("--json step %+v lacks its ref, owner or completion", s)
		}
	}
	if !strings.Contains(out, `"duration": "1mo"`) {
		t.Errorf("--json does not give the final report's calendar month")
	}

	// The clocks are the node's: the option changes them, from the flag or
	// the environment.
	out = MustRunCLI(t, nil, "model", "steps", "--playbook-clocks", "undue-delay=12h")
	if !strings.Contains(out, "12h from applicable") || !strings.Contains(out, "default 24h") {
		t.Errorf("--playbook-clocks undue-delay=12h not shown:\n%s", out)
	}
	out = MustRunCLI(t, map[string]string{"BLUEPRINT_PLAYBOOK_CLOCKS": "nis2-final-report=2mo"}, "model", "steps")
	if !strings.Contains(out, "2 months from notified") {
		t.Errorf("BLUEPRINT_PLAYBOOK_CLOCKS not applied:\n%s", out)
	}
	if _, err := runCLI(t, nil, "model", "steps", "--playbook-clocks", "undue=1h"); err == nil || !strings.Contains(err.Error(), `no clock "undue"`) {
		t.Errorf("--playbook-clocks with an unknown clock: err = %v", err)
	}
	if _, err := runCLI(t, nil, "model", "steps", "extra"); err == nil {
		t.Error("model steps took an argument")
	}
}
