package severity

import (
	"reflect"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/failure"
)

// levels assesses the default's four dimensions in taxonomy order.
func levels(sd, ae, os, dmg int) Assessment {
	return Assessment{"service-delivery": sd, "affected-entities": ae, "other-services": os, "damage": dmg}
}

func TestScore(t *testing.T) {
	tax := mustDefault(t)
	for _, tc := range []struct {
		name       string
		a          Assessment
		score      int
		level      string
		scoreLevel string
		floors     []string
		points     []float64
		explain    []string
	}{
		{
			name: "every dimension at 0", a: levels(0, 0, 0, 0), score: 0, level: White, scoreLevel: White,
			points:  []float64{0, 0, 0, 0},
			explain: []string{"Score 0 (white, no impact): service delivery 0/3 (none) contributes 0 points; affected entities 0/3 (none) contributes 0 points; other services and infrastructure 0/3 (none) contributes 0 points; damage 0/3 (none) contributes 0 points."},
		},
		{
			name: "every dimension at its maximum", a: levels(3, 3, 3, 3), score: 100, level: Red, scoreLevel: Red,
			points:  []float64{30, 25, 20, 25},
			explain: []string{"Score 100 (red, very large impact):", "service delivery 3/3 (severe) contributes 30 points"},
		},
		{
			// The floor: a catastrophe on one dimension is not averaged away.
			name: "service delivery alone at its maximum", a: levels(3, 0, 0, 0), score: 30, level: Yellow, scoreLevel: Green,
			floors: []string{"dimension-at-maximum"}, points: []float64{30, 0, 0, 0},
			explain: []string{
				"Score 30 (yellow, large impact): service delivery 3/3 (severe) contributes 30 points;",
				"The score alone gives green; a dimension at its maximum raises the result to at least yellow (service delivery 3/3).",
			},
		},
		{
			name: "two dimensions at their maximum", a: levels(0, 3, 0, 3), score: 50, level: Yellow, scoreLevel: Yellow,
			points:  []float64{0, 25, 0, 25},
			explain: []string{"Score 50 (yellow, large impact)"},
		},
		{
			name: "floor names every dimension that triggers it", a: levels(0, 0, 3, 0), score: 20, level: Yellow, scoreLevel: Green,
			floors: []string{"dimension-at-maximum"}, points: []float64{0, 0, 20, 0},
			explain: []string{"(other services and infrastructure 3/3)"},
		},
		{
			name: "floor does not lower a red", a: levels(3, 3, 3, 0), score: 75, level: Red, scoreLevel: Red,
			points: []float64{30, 25, 20, 0},
		},
		{
			// 33.33… rounds down; the points are shown to one decimal.
			name: "every dimension at 1", a: levels(1, 1, 1, 1), score: 33, level: Green, scoreLevel: Green,
			points:  []float64{10, 8.3, 6.7, 8.3},
			explain: []string{"affected entities 1/3 (few) contributes 8.3 points", "other services and infrastructure 1/3 (limited) contributes 6.7 points"},
		},
		{
			// 36.67 rounds up.
			name: "service delivery and affected entities at 2", a: levels(2, 2, 0, 0), score: 37, level: Yellow, scoreLevel: Yellow,
			points: []float64{20, 16.7, 0, 0},
		},
		{name: "every dimension at 2", a: levels(2, 2, 2, 2), score: 67, level: Yellow, scoreLevel: Yellow},
		{name: "service delivery at 3, the others at 2", a: levels(3, 2, 2, 2), score: 77, level: Red, scoreLevel: Red},
		{name: "affected entities at 3, the others at 2", a: levels(2, 3, 2, 2), score: 75, level: Red, scoreLevel: Red},
		{name: "other services at 3, the others at 2", a: levels(2, 2, 3, 2), score: 73, level: Red, scoreLevel: Red},
		{name: "damage at 3, the others at 2", a: levels(2, 2, 2, 3), score: 75, level: Red, scoreLevel: Red},
		{name: "one dimension at 1: service delivery", a: levels(1, 0, 0, 0), score: 10, level: Green, scoreLevel: Green},
		{name: "one dimension at 1: other services", a: levels(0, 0, 1, 0), score: 7, level: Green, scoreLevel: Green},
		{name: "one dimension at 1: affected entities", a: levels(0, 1, 0, 0), score: 8, level: Green, scoreLevel: Green},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tax.Score(tc.a)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if r.Score != tc.score || r.Level != tc.level || r.ScoreLevel != tc.scoreLevel {
				t.Errorf("got score %d %s (score alone %s), want %d %s (%s)", r.Score, r.Level, r.ScoreLevel, tc.score, tc.level, tc.scoreLevel)
			}
			if !reflect.DeepEqual(r.Floors, tc.floors) {
				t.Errorf("floors %v, want %v", r.Floors, tc.floors)
			}
			band, _ := tax.Band(r.Level)
			if r.LevelName != band.Name {
				t.Errorf("level name %q, want %q", r.LevelName, band.Name)
			}
			if r.Taxonomy != "blueprint-default@1.0" {
				t.Errorf("taxonomy %q", r.Taxonomy)
			}
			if len(r.Contributions) != len(tax.Dimensions) {
				t.Fatalf("%d contributions for %d dimensions", len(r.Contributions), len(tax.Dimensions))
			}
			for i, c := range r.Contributions {
				d := tax.Dimensions[i]
				if c.Dimension != d.ID || c.Level != tc.a[d.ID] || c.MaxLevel != 3 || c.Weight != d.Weight ||
					c.Label != d.Levels[c.Level].Label || c.Anchor != d.Levels[c.Level].Anchor {
					t.Errorf("contribution %d = %+v does not match dimension %q", i, c, d.ID)
				}
				if tc.points != nil && c.Points != tc.points[i] {
					t.Errorf("%s: %v points, want %v", d.ID, c.Points, tc.points[i])
				}
				// The explanation names each dimension's contribution.
				if !strings.Contains(r.Explanation, inSentence(c.Name)+" ") || strings.Count(r.Explanation, " contributes ") != len(tax.Dimensions) {
					t.Errorf("explanation does not name %s's contribution: %s", d.ID, r.Explanation)
				}
			}
			for _, w := range tc.explain {
				if !strings.Contains(r.Explanation, w) {
					t.Errorf("explanation lacks %q:\n%s", w, r.Explanation)
				}
			}
			if (len(r.Floors) > 0) != strings.Contains(r.Explanation, "The score alone gives") {
				t.Errorf("explanation and floors disagree: %v / %s", r.Floors, r.Explanation)
			}
		})
	}
}

// TestScoreReferencePoints pins the reference points the data file lists in
// its header comment, so comment and data cannot drift apart.
func TestScoreReferencePoints(t *testing.T) {
	header := string(defaultYAML[:strings.Index(string(defaultYAML), "\nid:")])
	for _, line := range []string{
		"#   every dimension at 0                            0  white",
		"#   every dimension at 1                           33  green",
		"#   service delivery and affected entities at 2    37  yellow",
		"#   every dimension at 2                           67  yellow",
		"#   one dimension at 3, the others at 2         73–77  red",
		"#   every dimension at 3                          100  red",
		"#   service delivery at 3, the others at 0         30  green by score, yellow by the floor",
		"#   one dimension at 1, the others at 0          7–10  green",
	} {
		if !strings.Contains(header, line) {
			t.Errorf("the data file's reference points no longer read %q; update this test and TestScore together", line)
		}
	}
}

func TestScoreRoundsHalfUp(t *testing.T) {
	tax, err := Parse("small.yaml", []byte(smallTaxonomy))
	if err != nil {
		t.Fatal(err)
	}
	// 100 × 1/8 = 12.5 exactly: half up gives 13 (half to even would give 12).
	r, err := tax.Score(Assessment{"a": 1, "b": 0})
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != 13 || r.Level != Green || r.Contributions[0].Points != 12.5 {
		t.Errorf("12.5 gave %d %s (%v points), want 13 green", r.Score, r.Level, r.Contributions[0].Points)
	}
	// A numbered floor on one dimension.
	r, err = tax.Score(Assessment{"a": 0, "b": 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != 66 || r.ScoreLevel != Red || len(r.Floors) != 0 {
		t.Errorf("b=3 gave %d %s floors %v", r.Score, r.ScoreLevel, r.Floors)
	}
	r, err = tax.Score(Assessment{"a": 1, "b": 1})
	if err != nil {
		t.Fatal(err)
	}
	// 12.5 + 21.875 = 34.375 → 34, yellow; b at 1 is below the floor's 3.
	if r.Score != 34 || r.Level != Yellow || len(r.Floors) != 0 {
		t.Errorf("a=1 b=1 gave %d %s floors %v", r.Score, r.Level, r.Floors)
	}
	tax.Bands[3].Min, tax.Bands[2].Max = 100, 99 // only 100 is red by score now
	r, err = tax.Score(Assessment{"a": 0, "b": 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.ScoreLevel != Yellow || r.Level != Red || !reflect.DeepEqual(r.Floors, []string{"b-high"}) ||
		!strings.Contains(r.Explanation, "The score alone gives yellow; b at 3 or more is at least red (b 3/4).") {
		t.Errorf("numbered floor: %+v", r)
	}
}

// TestScoreDeterministic scores the same assessment many times: map order
// must not change anything, down to the explanation.
func TestScoreDeterministic(t *testing.T) {
	tax := mustDefault(t)
	first, err := tax.Score(levels(2, 1, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		r, err := tax.Score(levels(2, 1, 3, 1))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, first) {
			t.Fatalf("second result differs:\n%+v\n%+v", r, first)
		}
	}
	for range 50 {
		_, err1 := tax.Score(Assessment{"x": 1, "y": 2, "z": 3, "damage": 9})
		_, err2 := tax.Score(Assessment{"x": 1, "y": 2, "z": 3, "damage": 9})
		if err1.Error() != err2.Error() {
			t.Fatalf("error text varies:\n%v\n%v", err1, err2)
		}
	}
}

func TestScoreErrors(t *testing.T) {
	tax := mustDefault(t)
	for _, tc := range []struct {
		name string
		a    Assessment
		want []string
	}{
		{
			name: "missing dimension",
			a:    Assessment{"service-delivery": 1, "affected-entities": 1},
			want: []string{`not assessed: "other-services", "damage"; every dimension must be assessed`},
		},
		{
			name: "nothing assessed",
			a:    nil,
			want: []string{`not assessed: "service-delivery", "affected-entities", "other-services", "damage"`},
		},
		{
			name: "unknown dimension",
			a:    Assessment{"service-delivery": 1, "affected-entities": 1, "other-services": 1, "damage": 1, "reputation": 2},
			want: []string{`unknown dimension "reputation"; the dimensions are "service-delivery", "affected-entities", "other-services", "damage"`},
		},
		{
			name: "level above the maximum",
			a:    levels(4, 0, 0, 0),
			want: []string{`dimension "service-delivery": level 4 is out of range 0–3`},
		},
		{
			name: "negative level",
			a:    levels(0, 0, -1, 0),
			want: []string{`dimension "other-services": level -1 is out of range 0–3`},
		},
		{
			name: "all at once",
			a:    Assessment{"damage": 7, "reputation": 1},
			want: []string{`unknown dimension "reputation"`, `dimension "damage": level 7`, `not assessed: "service-delivery"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tax.Score(tc.a)
			if err == nil {
				t.Fatalf("Score accepted it: %+v", r)
			}
			if !failure.Is(err, failure.Invalid) {
				t.Errorf("kind %s, want invalid", failure.KindOf(err))
			}
			if !strings.Contains(err.Error(), "blueprint-default@1.0") {
				t.Errorf("error does not name the taxonomy: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestScoreUnvalidatedTaxonomy: a Taxonomy built by hand can be wrong; Score
// must say so, not panic.
func TestScoreUnvalidatedTaxonomy(t *testing.T) {
	for name, tax := range map[string]*Taxonomy{
		"empty":         {},
		"no levels":     {Dimensions: []Dimension{{ID: "a", Weight: 1}}},
		"zero weight":   {Dimensions: []Dimension{{ID: "a", Levels: []Level{{}, {Level: 1}}}}},
		"no bands":      {Dimensions: []Dimension{{ID: "a", Weight: 1, Levels: []Level{{}, {Level: 1}}}}},
		"huge weight":   {Dimensions: []Dimension{{ID: "a", Weight: 1 << 40, Levels: []Level{{}, {Level: 1}}}}},
		"floor no band": {Dimensions: []Dimension{{ID: "a", Weight: 1, Levels: []Level{{}, {Level: 1}}}}, Bands: []Band{{ID: White, Max: 100}}, Floors: []Floor{{Dimension: "a", Level: "1", AtLeast: Red}}},
	} {
		t.Run(name, func(t *testing.T) {
			a := Assessment{"a": 1}
			if r, err := tax.Score(a); err == nil && name != "floor no band" {
				t.Errorf("Score accepted a malformed taxonomy: %+v", r)
			}
		})
	}
}
