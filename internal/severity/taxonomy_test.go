package severity

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eucyber/blueprint/internal/failure"
)

// mustDefault loads the embedded default or stops the test.
func mustDefault(tb testing.TB) *Taxonomy {
	tb.Helper()
	t, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return t
}

func TestDefault(t *testing.T) {
	tax := mustDefault(t)
	if got, want := tax.Tag(), "blueprint-default@1.0"; got != want {
		t.Errorf("Tag = %q, want %q", got, want)
	}
	if !strings.Contains(tax.Status, "§30") || !strings.Contains(tax.Status, "default") {
		t.Errorf("status does not say it is the default pending the §30 taxonomy: %q", tax.Status)
	}
	var ids []string
	weights := map[string]int{}
	for _, d := range tax.Dimensions {
		ids = append(ids, d.ID)
		weights[d.ID] = d.Weight
		if d.Ref != "§30" {
			t.Errorf("dimension %q: ref %q, want §30", d.ID, d.Ref)
		}
		if d.Max() != 3 {
			t.Errorf("dimension %q: max level %d, want 3", d.ID, d.Max())
		}
		if d.Question == "" {
			t.Errorf("dimension %q has no question", d.ID)
		}
	}
	if want := []string{"service-delivery", "affected-entities", "other-services", "damage"}; !slices.Equal(ids, want) {
		t.Errorf("dimensions = %v, want the four of §30 in its order %v", ids, want)
	}
	if want := map[string]int{"service-delivery": 30, "affected-entities": 25, "other-services": 20, "damage": 25}; !mapsEqual(weights, want) {
		t.Errorf("weights = %v, want %v", weights, want)
	}
	var bands []string
	for _, b := range tax.Bands {
		bands = append(bands, b.ID)
		if want := `nis2:impact-severity="` + b.ID + `"`; b.Tag != want {
			t.Errorf("band %q: tag %q, want %q", b.ID, b.Tag, want)
		}
	}
	if !slices.Equal(bands, []string{White, Green, Yellow, Red}) {
		t.Errorf("bands = %v", bands)
	}
	if len(tax.Floors) != 1 || tax.Floors[0].Dimension != AnyDimension || tax.Floors[0].Level != MaxLevel || tax.Floors[0].AtLeast != Yellow {
		t.Errorf("floors = %+v, want one: any dimension at max → at least yellow", tax.Floors)
	}
	if s := tax.Significance; s == nil || s.SevereDisruption == nil || s.FinancialLoss == nil || !strings.Contains(s.Ref, "§7(b)") {
		t.Errorf("significance = %+v", s)
	}
	// Each call is a fresh copy: changing one does not change the next.
	tax.Dimensions[0].Weight = 999
	if again := mustDefault(t); again.Dimensions[0].Weight != 30 {
		t.Error("Default shares state between calls")
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestTaxonomyJSON(t *testing.T) {
	b, err := json.Marshal(mustDefault(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":"blueprint-default"`, `"dimensions":`, `"levels":`, `"anchor":`, `"bands":`, `"at_least":"yellow"`, `"significance":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestLoadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"etc/taxonomy.yaml": {Data: defaultYAML},
		"etc/broken.yaml":   {Data: []byte("id: x\nunknown: 1\n")},
	}
	tax, err := LoadFile(fsys, "etc/taxonomy.yaml")
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	if tax.Tag() != mustDefault(t).Tag() {
		t.Errorf("loaded %s", tax.Tag())
	}
	_, err = LoadFile(fsys, "etc/missing.yaml")
	if !failure.Is(err, failure.NotFound) || !strings.Contains(err.Error(), "etc/missing.yaml") {
		t.Errorf("missing file: %v (kind %s)", err, failure.KindOf(err))
	}
	_, err = LoadFile(fsys, "etc/broken.yaml")
	if !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), "etc/broken.yaml: line 2: field unknown not found") {
		t.Errorf("broken file: %v", err)
	}
}

// edit replaces the one occurrence of old in the default file; a test whose
// old text no longer matches the data fails here rather than passing
// vacuously.
func edit(tb testing.TB, data []byte, old, new string) []byte {
	tb.Helper()
	s := string(data)
	if n := strings.Count(s, old); n != 1 {
		tb.Fatalf("%q occurs %d times in the default, want 1", old, n)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

// problemsOf flattens the Problems in a Parse error.
func problemsOf(err error) []*Problem {
	var out []*Problem
	var walk func(error)
	walk = func(err error) {
		if p, ok := err.(*Problem); ok {
			out = append(out, p)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func TestParseBroken(t *testing.T) {
	type edit1 struct{ old, new string }
	for _, tc := range []struct {
		name  string
		edits []edit1
		data  string // replaces the whole file when set
		want  []string
	}{
		{
			name:  "duplicate dimension",
			edits: []edit1{{"  - id: other-services\n", "  - id: damage\n"}},
			want:  []string{`custom.yaml: dimension "damage": is defined twice`},
		},
		{
			name:  "gap in bands",
			edits: []edit1{{"    min: 35\n", "    min: 40\n"}},
			want:  []string{`custom.yaml: band "yellow": leaves a gap: scores 35–39 fall in no band (between band "green" and band "yellow")`},
		},
		{
			name:  "overlapping bands",
			edits: []edit1{{"    min: 70\n", "    min: 60\n"}},
			want:  []string{`custom.yaml: band "red": overlaps band "yellow" at scores 60–69`},
		},
		{
			name:  "bands do not reach 100",
			edits: []edit1{{"    max: 100\n", "    max: 99\n"}},
			want:  []string{`custom.yaml: band "red": ends at 99: score 100 falls in no band`},
		},
		{
			name:  "bands do not start at 0",
			edits: []edit1{{"    min: 0\n", "    min: 1\n"}},
			want:  []string{`custom.yaml: band "white": starts at 1: score 0 falls in no band`},
		},
		{
			name:  "band not on the impact scale",
			edits: []edit1{{"  - id: white\n", "  - id: blue\n"}},
			want: []string{
				`custom.yaml: band "blue": id "blue" is not one of white, green, yellow, red`,
				`custom.yaml: has no band "white"`,
			},
		},
		{
			name:  "bands out of order",
			edits: []edit1{{"  - id: green\n", "  - id: red\n"}, {"  - id: red\n    name: Very", "  - id: green\n    name: Very"}},
			want:  []string{`custom.yaml: band "green": is out of order; list the bands as white, green, yellow, red`},
		},
		{
			name:  "level gap",
			edits: []edit1{{"      - level: 2\n        label: major\n", "      - level: 3\n        label: major\n"}},
			want:  []string{`custom.yaml: dimension "service-delivery": level 3: levels must be numbered 0, 1, 2… in order without gaps: level 2 expected at entry #3`},
		},
		{
			name:  "level without anchor",
			edits: []edit1{{"        anchor: No effect on other services or infrastructure.\n", ""}},
			want:  []string{`custom.yaml: dimension "other-services": level 0: has no anchor`},
		},
		{
			name:  "weight not positive",
			edits: []edit1{{"    weight: 30\n", "    weight: 0\n"}},
			want:  []string{`custom.yaml: dimension "service-delivery": weight 0 is not a whole number from 1 to 1000`},
		},
		{
			name:  "unknown floor dimension",
			edits: []edit1{{"    dimension: any\n", "    dimension: impact\n"}},
			want:  []string{`custom.yaml: floor "dimension-at-maximum": dimension "impact" is not a dimension of this taxonomy`},
		},
		{
			name:  "floor level out of range",
			edits: []edit1{{"    level: max\n", "    level: 7\n"}},
			want:  []string{`custom.yaml: floor "dimension-at-maximum": level 7 is not a level from 1 to 3`},
		},
		{
			name:  "floor level not a number",
			edits: []edit1{{"    level: max\n", "    level: high\n"}},
			want:  []string{`custom.yaml: floor "dimension-at-maximum": level "high" is neither a level number nor "max"`},
		},
		{
			name:  "floor to an unknown band",
			edits: []edit1{{"    at_least: yellow\n", "    at_least: amber\n"}},
			want:  []string{`custom.yaml: floor "dimension-at-maximum": at_least "amber" is not a band of this taxonomy`},
		},
		{
			name:  "significance names an unknown dimension",
			edits: []edit1{{"    dimension: damage\n", "    dimension: money\n"}},
			want:  []string{`custom.yaml: significance: financial_loss: dimension "money" is not a dimension of this taxonomy`},
		},
		{
			name:  "unknown field",
			edits: []edit1{{"    weight: 20\n", "    weight: 20\n    colour: blue\n"}},
			want:  []string{`custom.yaml: dimension "other-services": line `, `field colour not found`},
		},
		{
			name:  "unknown field in a level",
			edits: []edit1{{"        label: cascading\n", "        label: cascading\n        note: x\n"}},
			want:  []string{`custom.yaml: dimension "other-services": level 2: line `, `field note not found`},
		},
		{
			name:  "wrong type",
			edits: []edit1{{"    weight: 30\n", "    weight: heavy\n"}},
			want:  []string{`custom.yaml: dimension "service-delivery": line `, "cannot unmarshal"},
		},
		{
			name:  "no status",
			edits: []edit1{{"status: >-\n", "old_status: >-\n"}},
			want:  []string{"custom.yaml: line ", "field old_status not found"},
		},
		{
			name: "empty file",
			data: " ",
			want: []string{"custom.yaml: holds no YAML document"},
		},
		{
			name: "two documents",
			data: string(defaultYAML) + "---\nid: again\n",
			want: []string{"custom.yaml: holds more than one YAML document"},
		},
		{
			name: "not a mapping",
			data: "- id: x\n",
			want: []string{"custom.yaml: line 1: cannot unmarshal !!seq into a taxonomy (the file must be a mapping"},
		},
		{
			name: "nothing but an id",
			data: "id: x\n",
			want: []string{
				"custom.yaml: has no version", "custom.yaml: has no name", "custom.yaml: has no status",
				"custom.yaml: has no dimensions", "custom.yaml: has no bands; scores 0–100 fall in no band",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := defaultYAML
			for _, e := range tc.edits {
				data = edit(t, data, e.old, e.new)
			}
			if tc.data != "" {
				data = []byte(tc.data)
			}
			tax, err := Parse("custom.yaml", data)
			if err == nil {
				t.Fatalf("Parse accepted a broken file (%s)", tax.Tag())
			}
			if tax != nil {
				t.Error("Parse returned a taxonomy with its error")
			}
			if !failure.Is(err, failure.Invalid) {
				t.Errorf("kind %s, want invalid", failure.KindOf(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			ps := problemsOf(err)
			if len(ps) == 0 {
				t.Fatalf("error holds no *Problem: %v", err)
			}
			for _, p := range ps {
				if p.File != "custom.yaml" {
					t.Errorf("problem names file %q: %v", p.File, p)
				}
			}
		})
	}
}

// TestParseReportsAll checks that Parse reports every problem at once, so the
// editor of a file fixes everything in one pass.
func TestParseReportsAll(t *testing.T) {
	data := edit(t, defaultYAML, "  - id: other-services\n", "  - id: damage\n")
	data = edit(t, data, "    min: 35\n", "    min: 40\n")
	data = edit(t, data, "    at_least: yellow\n", "    at_least: amber\n")
	_, err := Parse("custom.yaml", data)
	if got := len(problemsOf(err)); got != 3 {
		t.Errorf("got %d problems, want 3:\n%v", got, err)
	}
}

// TestParseCustom checks a minimal valid taxonomy of another shape: two
// dimensions with different numbers of levels, a floor on one dimension at
// a numbered level, no significance rule.
func TestParseCustom(t *testing.T) {
	tax, err := Parse("small.yaml", []byte(smallTaxonomy))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if tax.Tag() != "small@2" || tax.Significance != nil {
		t.Errorf("got %s, significance %+v", tax.Tag(), tax.Significance)
	}
}

// smallTaxonomy is valid: dimension a has levels 0–1, b has 0–4; b at 3 or
// more raises the result to at least red.
const smallTaxonomy = `id: small
name: Small
version: "2"
status: a test taxonomy
dimensions:
  - id: a
    name: A
    weight: 1
    ref: r
    levels:
      - {level: 0, label: none, anchor: nothing}
      - {level: 1, label: some, anchor: something}
  - id: b
    name: B
    weight: 7
    ref: r
    levels:
      - {level: 0, label: l0, anchor: x}
      - {level: 1, label: l1, anchor: x}
      - {level: 2, label: l2, anchor: x}
      - {level: 3, label: l3, anchor: x}
      - {level: 4, label: l4, anchor: x}
bands:
  - {id: white, name: W, min: 0, max: 12}
  - {id: green, name: G, min: 13, max: 13}
  - {id: yellow, name: Y, min: 14, max: 50}
  - {id: red, name: R, min: 51, max: 100}
floors:
  - {id: b-high, dimension: b, level: 3, at_least: red, explanation: b at 3 or more is at least red, ref: r}
`
