package severity

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// kebab is the form of taxonomy and dimension ids: stable in URLs, file names
// and stored results.
var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// validate adds a Problem for every fault of a decoded taxonomy.
func (t *Taxonomy) validate(ps *problems) {
	t.checkHeader(ps)
	dims := t.checkDimensions(ps)
	t.checkBands(ps)
	t.checkFloors(ps, dims)
	t.checkSignificance(ps, dims)
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (t *Taxonomy) checkHeader(ps *problems) {
	switch {
	case t.ID == "":
		ps.add("", "has no id")
	case !kebab.MatchString(t.ID):
		ps.add("", "id %q is not in the expected form %s", t.ID, kebab)
	}
	switch {
	case blank(t.Version):
		ps.add("", "has no version; a stored result names the taxonomy as id@version")
	case strings.ContainsAny(t.Version, "@ \t\n"):
		ps.add("", "version %q must not hold spaces or @", t.Version)
	}
	if blank(t.Name) {
		ps.add("", "has no name")
	}
	if blank(t.Status) {
		ps.add("", "has no status; say plainly what the taxonomy is (for example the project's default pending the §30 taxonomy)")
	}
}

// checkDimensions checks the dimensions and returns them by id.
func (t *Taxonomy) checkDimensions(ps *problems) map[string]Dimension {
	dims := make(map[string]Dimension, len(t.Dimensions))
	if len(t.Dimensions) == 0 {
		ps.add("", "has no dimensions; §30 names four")
	}
	for i, d := range t.Dimensions {
		e := entryName("dimension", d.ID, i)
		switch {
		case d.ID == "":
			ps.add(e, "has no id")
		case !kebab.MatchString(d.ID):
			ps.add(e, "id %q is not in the expected form %s", d.ID, kebab)
		case d.ID == AnyDimension:
			ps.add(e, "id %q is reserved: floors use it to mean every dimension", d.ID)
		}
		if _, dup := dims[d.ID]; dup && d.ID != "" {
			ps.add(e, "is defined twice")
		} else if d.ID != "" {
			dims[d.ID] = d
		}
		if blank(d.Name) {
			ps.add(e, "has no name")
		}
		if blank(d.Ref) {
			ps.add(e, "has no ref; cite where the dimension comes from (for example §30)")
		}
		if d.Weight < 1 || d.Weight > maxWeight {
			ps.add(e, "weight %d is not a whole number from 1 to %d", d.Weight, maxWeight)
		}
		checkLevels(ps, e, d.Levels)
	}
	return dims
}

func checkLevels(ps *problems, e string, levels []Level) {
	switch {
	case len(levels) < 2:
		ps.add(e, "has %d levels; it needs at least two (0 and 1)", len(levels))
	case len(levels) > maxLevels:
		ps.add(e, "has %d levels; at most %d are allowed", len(levels), maxLevels)
	}
	for j, l := range levels {
		le := e + ": " + levelName(strconv.Itoa(l.Level), j)
		if l.Level != j {
			ps.add(le, "levels must be numbered 0, 1, 2… in order without gaps: level %d expected at entry #%d", j, j+1)
		}
		if blank(l.Label) {
			ps.add(le, "has no label")
		}
		if blank(l.Anchor) {
			ps.add(le, "has no anchor; say in plain words what the level looks like")
		}
	}
}

func (t *Taxonomy) checkBands(ps *problems) {
	seen := make(map[string]int, len(t.Bands))
	last := -1 // rank of the previous band on the scale
	for i, b := range t.Bands {
		e := entryName("band", b.ID, i)
		rank := scaleRank(b.ID)
		switch {
		case rank < 0:
			ps.add(e, "id %q is not one of white, green, yellow, red (the NIS Cooperation Group impact scale)", b.ID)
		case seen[b.ID] > 0:
			ps.add(e, "is defined twice")
		case rank < last:
			ps.add(e, "is out of order; list the bands as white, green, yellow, red")
		}
		if rank >= 0 {
			seen[b.ID]++
			last = max(last, rank)
		}
		if blank(b.Name) {
			ps.add(e, "has no name")
		}
		if b.Min > b.Max {
			ps.add(e, "min %d is above max %d", b.Min, b.Max)
		}
		if b.Min < 0 || b.Max > 100 {
			ps.add(e, "range %d–%d is outside the score range 0–100", b.Min, b.Max)
		}
	}
	for _, id := range scale() {
		if seen[id] == 0 && len(t.Bands) > 0 {
			ps.add("", "has no band %q; the bands are white, green, yellow, red", id)
		}
	}
	checkCoverage(ps, t.Bands)
}

// checkCoverage checks that the bands, in the order listed, cover 0–100 with
// no gap and no overlap.
func checkCoverage(ps *problems, bands []Band) {
	if len(bands) == 0 {
		ps.add("", "has no bands; scores 0–100 fall in no band")
		return
	}
	first, lastBand := bands[0], bands[len(bands)-1]
	if first.Min > 0 {
		ps.add(entryName("band", first.ID, 0), "starts at %d: %s in no band", first.Min, scoreRange(0, first.Min-1))
	}
	for i := 1; i < len(bands); i++ {
		prev, b := bands[i-1], bands[i]
		e := entryName("band", b.ID, i)
		switch {
		case b.Min > prev.Max+1:
			ps.add(e, "leaves a gap: %s in no band (between %s and %s)",
				scoreRange(prev.Max+1, b.Min-1), entryName("band", prev.ID, i-1), entryName("band", b.ID, i))
		case b.Min <= prev.Max:
			ps.add(e, "overlaps %s at %s; each band starts one above the previous band's max",
				entryName("band", prev.ID, i-1), scores(b.Min, min(prev.Max, b.Max)))
		}
	}
	if lastBand.Max < 100 {
		ps.add(entryName("band", lastBand.ID, len(bands)-1), "ends at %d: %s in no band", lastBand.Max, scoreRange(lastBand.Max+1, 100))
	}
}

// scores writes "scores 35–39", or "score 100" for one.
func scores(lo, hi int) string {
	if lo == hi {
		return fmt.Sprintf("score %d", lo)
	}
	return fmt.Sprintf("scores %d–%d", lo, hi)
}

// scoreRange writes "scores 35–39 fall", or "score 100 falls" for one.
func scoreRange(lo, hi int) string {
	if lo == hi {
		return scores(lo, hi) + " falls"
	}
	return scores(lo, hi) + " fall"
}

func (t *Taxonomy) checkFloors(ps *problems, dims map[string]Dimension) {
	seen := make(map[string]bool, len(t.Floors))
	for i, f := range t.Floors {
		e := entryName("floor", f.ID, i)
		switch {
		case f.ID == "":
			ps.add(e, "has no id")
		case !kebab.MatchString(f.ID):
			ps.add(e, "id %q is not in the expected form %s", f.ID, kebab)
		case seen[f.ID]:
			ps.add(e, "is defined twice")
		}
		seen[f.ID] = true
		if blank(f.Explanation) {
			ps.add(e, "has no explanation; results it raises must say why")
		}
		if blank(f.Ref) {
			ps.add(e, "has no ref")
		}
		if _, ok := t.Band(f.AtLeast); !ok || scaleRank(f.AtLeast) < 0 {
			ps.add(e, "at_least %q is not a band of this taxonomy", f.AtLeast)
		}
		// The level: "max", or a number from 1 up to the dimension's highest
		// level (for "any", up to the highest level of some dimension).
		top := 0
		switch d, ok := dims[f.Dimension]; {
		case f.Dimension == AnyDimension:
			for _, d := range dims {
				top = max(top, d.Max())
			}
		case ok:
			top = d.Max()
		default:
			ps.add(e, "dimension %q is not a dimension of this taxonomy (nor %q)", f.Dimension, AnyDimension)
			continue
		}
		if f.Level == MaxLevel {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.Level))
		switch {
		case err != nil:
			ps.add(e, "level %q is neither a level number nor %q", f.Level, MaxLevel)
		case n < 1 || n > top:
			ps.add(e, "level %d is not a level from 1 to %d of dimension %q", n, top, f.Dimension)
		}
	}
}

func (t *Taxonomy) checkSignificance(ps *problems, dims map[string]Dimension) {
	s := t.Significance
	if s == nil {
		return
	}
	if blank(s.Ref) {
		ps.add("significance", "has no ref; cite §7(b)")
	}
	for _, th := range []struct {
		name string
		th   *Threshold
	}{{"severe_disruption", s.SevereDisruption}, {"financial_loss", s.FinancialLoss}} {
		if th.th == nil {
			continue
		}
		d, ok := dims[th.th.Dimension]
		switch {
		case !ok:
			ps.add("significance", "%s: dimension %q is not a dimension of this taxonomy", th.name, th.th.Dimension)
		case th.th.Level < 1 || th.th.Level > d.Max():
			ps.add("significance", "%s: level %d is not a level from 1 to %d of dimension %q", th.name, th.th.Level, d.Max(), d.ID)
		}
	}
}
