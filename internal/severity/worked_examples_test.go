package severity_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/eucyber/blueprint/internal/severity"
)

// workedExample is one entry of testdata/worked_examples.yaml: a plain
// scenario, its assessment on each §30 dimension with the reason for the
// level, and what the default taxonomy makes of it.
type workedExample struct {
	ID       string `yaml:"id"`
	Scenario string `yaml:"scenario"`
	Impact   map[string]struct {
		Level int    `yaml:"level"`
		Why   string `yaml:"why"`
	} `yaml:"impact"`
	// OtherPersonsAffected is the reporter's answer to §7(b)(b); absent
	// means not known yet.
	OtherPersonsAffected *bool `yaml:"other_persons_affected"`
	Expect               struct {
		Score        int              `yaml:"score"`
		Level        string           `yaml:"level"`
		Significance severity.Outcome `yaml:"significance"`
		Explanation  string           `yaml:"explanation"`
	} `yaml:"expect"`
}

// TestWorkedExamples scores the worked examples with the default taxonomy
// and compares score, level, §7(b) suggestion and explanation exactly. The
// file is reviewed by hand for plausibility, so it is never regenerated: a
// change to the taxonomy that moves an example must be looked at example by
// example. On a mismatch the test prints the block the file would need.
func TestWorkedExamples(t *testing.T) {
	tax, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/worked_examples.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var examples []workedExample
	if err := dec.Decode(&examples); err != nil {
		t.Fatalf("testdata/worked_examples.yaml: %v", err)
	}
	if len(examples) < 12 {
		t.Errorf("%d worked examples; the issue asks for at least 12", len(examples))
	}

	// Across the set, every level of every dimension and every band is used.
	used := map[string]bool{}
	ids := map[string]bool{}
	for _, ex := range examples {
		t.Run(ex.ID, func(t *testing.T) {
			if ex.ID == "" || ids[ex.ID] || strings.TrimSpace(ex.Scenario) == "" {
				t.Fatalf("example %q needs a unique id and a scenario", ex.ID)
			}
			ids[ex.ID] = true
			a := severity.Assessment{}
			for id, l := range ex.Impact {
				a[id] = l.Level
				if strings.TrimSpace(l.Why) == "" {
					t.Errorf("%s: say why it is at level %d", id, l.Level)
				}
				used[fmt.Sprintf("%s=%d", id, l.Level)] = true
			}
			r, err := tax.Score(a)
			if err != nil {
				t.Fatal(err)
			}
			used["band="+r.Level] = true
			in := tax.SignificanceInput(a)
			in.OtherPersonsAffected = ex.OtherPersonsAffected
			sig := severity.SuggestSignificant(in)

			e := ex.Expect
			if r.Score != e.Score || r.Level != e.Level || sig.Outcome != e.Significance || r.Explanation != e.Explanation {
				t.Errorf("the taxonomy gives\n%s", expectBlock(r, sig.Outcome))
			}
		})
	}
	for _, d := range tax.Dimensions {
		for _, l := range d.Levels {
			if !used[fmt.Sprintf("%s=%d", d.ID, l.Level)] {
				t.Errorf("no worked example has %s at level %d (%s)", d.ID, l.Level, l.Label)
			}
		}
	}
	for _, b := range tax.Bands {
		if !used["band="+b.ID] {
			t.Errorf("no worked example ends %s", b.ID)
		}
	}
}

// expectBlock writes the expect block of an example as the file holds it,
// the explanation folded at spaces.
func expectBlock(r severity.Result, o severity.Outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  expect:\n    score: %d\n    level: %s\n    significance: %s\n    explanation: >-\n", r.Score, r.Level, o)
	line := ""
	for _, w := range strings.Fields(r.Explanation) {
		if line != "" && len(line)+1+len(w) > 88 {
			fmt.Fprintf(&b, "      %s\n", line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	fmt.Fprintf(&b, "      %s\n", line)
	return b.String()
}
