package severity

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eucyber/blueprint/internal/failure"
)

// Assessment is an incident assessed on a taxonomy: dimension id → level.
// Every dimension must be assessed; "not known yet" is not a level.
type Assessment map[string]int

// Result is a scored assessment, with everything needed to explain it.
type Result struct {
	// Score is the weighted mean of the levels, 0–100.
	Score int `json:"score"`
	// Level is the band id (white, green, yellow, red) after floors;
	// LevelName the band's name ("Large impact").
	Level     string `json:"level"`
	LevelName string `json:"level_name"`
	// ScoreLevel is the band the score alone falls in; it differs from Level
	// when a floor raised the result.
	ScoreLevel string `json:"score_level"`
	// Contributions has one entry per dimension, in taxonomy order. Their
	// exact points add up to the score before it is rounded.
	Contributions []Contribution `json:"contributions"`
	// Floors lists the ids of the floor rules that raised the result.
	Floors []string `json:"floors,omitempty"`
	// Explanation says in one or two sentences how the result came about.
	Explanation string `json:"explanation"`
	// Taxonomy is "id@version" of the taxonomy that made the result.
	Taxonomy string `json:"taxonomy"`
}

// Contribution is what one dimension adds to a score.
type Contribution struct {
	Dimension string `json:"dimension"` // dimension id
	Name      string `json:"name"`
	Level     int    `json:"level"`
	MaxLevel  int    `json:"max_level"`
	Label     string `json:"label"`
	Anchor    string `json:"anchor"`
	Weight    int    `json:"weight"`
	// Points is the dimension's share of the score, 100 × weight × level ÷
	// (max level × the sum of all weights), rounded half up to one decimal.
	// Shown rounded, the points of all dimensions can differ from the score
	// by a few tenths.
	Points float64 `json:"points"`
}

// Score turns an assessment into a result. Every dimension of the taxonomy
// must be assessed, at a level it has; the error names each unknown
// dimension, each level out of range and all the dimensions missing. The
// same assessment on the same taxonomy always gives the same result: the
// arithmetic is exact (rational numbers), rounded half up only at the end.
func (t *Taxonomy) Score(a Assessment) (Result, error) {
	if err := t.checkAssessment(a); err != nil {
		return Result{}, err
	}
	n := len(t.Dimensions)
	// exact_i = 100 × w_i × l_i ÷ (m_i × W), summed exactly.
	var weights big.Int
	for _, d := range t.Dimensions {
		weights.Add(&weights, big.NewInt(int64(d.Weight)))
	}
	exact := make([]*big.Rat, n)
	total := new(big.Rat)
	for i, d := range t.Dimensions {
		num := new(big.Int).Mul(big.NewInt(100*int64(d.Weight)), big.NewInt(int64(a[d.ID])))
		den := new(big.Int).Mul(big.NewInt(int64(d.Max())), &weights)
		exact[i] = new(big.Rat).SetFrac(num, den)
		total.Add(total, exact[i])
	}
	score := int(floorRat(new(big.Rat).Add(total, big.NewRat(1, 2))))

	band, ok := t.bandFor(score)
	if !ok {
		return Result{}, failure.New(failure.Invalid, "severity taxonomy %s has no band for score %d", t.Tag(), score)
	}
	r := Result{
		Score:         score,
		ScoreLevel:    band.ID,
		Contributions: make([]Contribution, n),
		Taxonomy:      t.Tag(),
	}
	for i, d := range t.Dimensions {
		l := d.Levels[a[d.ID]]
		r.Contributions[i] = Contribution{
			Dimension: d.ID, Name: d.Name, Level: l.Level, MaxLevel: d.Max(),
			Label: l.Label, Anchor: l.Anchor, Weight: d.Weight, Points: tenths(exact[i]),
		}
	}

	// Floors raise the level, never lower it.
	level := band
	var raised []string // explanation clauses of the floors that raised it
	for _, f := range t.Floors {
		at, ok := t.Band(f.AtLeast)
		if !ok || scaleRank(at.ID) <= scaleRank(band.ID) {
			continue
		}
		var by []string
		for _, d := range t.Dimensions {
			if th, ok := f.threshold(d); ok && a[d.ID] >= th {
				by = append(by, fmt.Sprintf("%s %d/%d", inSentence(d.Name), a[d.ID], d.Max()))
			}
		}
		if len(by) == 0 {
			continue
		}
		r.Floors = append(r.Floors, f.ID)
		raised = append(raised, fmt.Sprintf("%s (%s)", f.Explanation, strings.Join(by, ", ")))
		if scaleRank(at.ID) > scaleRank(level.ID) {
			level = at
		}
	}
	r.Level, r.LevelName = level.ID, level.Name

	var b strings.Builder
	fmt.Fprintf(&b, "Score %d (%s, %s): ", score, level.ID, strings.ToLower(level.Name))
	for i, c := range r.Contributions {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %d/%d (%s) contributes %s", inSentence(c.Name), c.Level, c.MaxLevel, c.Label, points(c.Points))
	}
	b.WriteString(".")
	if len(raised) > 0 {
		fmt.Fprintf(&b, " The score alone gives %s; %s.", band.ID, strings.Join(raised, "; "))
	}
	r.Explanation = b.String()
	return r, nil
}

// checkAssessment reports every fault of a against the taxonomy, and guards
// the arithmetic against a taxonomy that was not validated.
func (t *Taxonomy) checkAssessment(a Assessment) error {
	var errs []error
	if len(t.Dimensions) == 0 {
		errs = append(errs, errors.New("the taxonomy has no dimensions"))
	}
	for _, d := range t.Dimensions {
		if d.Weight < 1 || d.Weight > maxWeight || d.Max() < 1 {
			errs = append(errs, fmt.Errorf("dimension %q of the taxonomy is malformed; load taxonomies with Parse", d.ID))
		}
	}
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids) // map order is random; messages are not
	for _, id := range ids {
		d, ok := t.Dimension(id)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("unknown dimension %q; the dimensions are %s", id, t.dimensionList()))
		case a[id] < 0 || a[id] > d.Max():
			errs = append(errs, fmt.Errorf("dimension %q: level %d is out of range 0–%d", id, a[id], d.Max()))
		}
	}
	var missing []string
	for _, d := range t.Dimensions {
		if _, ok := a[d.ID]; !ok {
			missing = append(missing, fmt.Sprintf("%q", d.ID))
		}
	}
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("not assessed: %s; every dimension must be assessed", strings.Join(missing, ", ")))
	}
	if len(errs) == 0 {
		return nil
	}
	return failure.Wrap(failure.Invalid, errors.Join(errs...), "assessment does not fit severity taxonomy %s", t.Tag())
}

func (t *Taxonomy) dimensionList() string {
	ids := make([]string, len(t.Dimensions))
	for i, d := range t.Dimensions {
		ids[i] = fmt.Sprintf("%q", d.ID)
	}
	return strings.Join(ids, ", ")
}

// floorRat is ⌊r⌋ for r ≥ 0.
func floorRat(r *big.Rat) int64 {
	return new(big.Int).Quo(r.Num(), r.Denom()).Int64()
}

// tenths rounds r ≥ 0 half up to one decimal.
func tenths(r *big.Rat) float64 {
	n := floorRat(new(big.Rat).Add(new(big.Rat).Mul(r, big.NewRat(10, 1)), big.NewRat(1, 2)))
	return float64(n) / 10
}

// inSentence lower-cases the first letter of a name for use inside a
// sentence, unless the name starts with an acronym ("EU", "DNS").
func inSentence(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	next, _ := utf8.DecodeRuneInString(name[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(next) {
		return string(unicode.ToLower(r)) + name[n:]
	}
	return name
}

// points writes "1 point", "30 points", "16.7 points".
func points(p float64) string {
	if p == 1 {
		return "1 point"
	}
	return strconv.FormatFloat(p, 'f', -1, 64) + " points"
}
