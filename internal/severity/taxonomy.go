package severity

import (
	"strconv"
	"strings"
)

// The bands of every taxonomy are the NIS Cooperation Group impact scale (CG
// Publication 04/2018; MISP taxonomy nis2, predicate impact-severity), lowest
// first. They are the vocabulary that makes results comparable across Member
// States, so a taxonomy file may move their boundaries but not rename them.
const (
	White  = "white"  // no impact
	Green  = "green"  // minor impact
	Yellow = "yellow" // large impact
	Red    = "red"    // very large impact
)

// Values of Floor.Dimension and Floor.Level with a meaning of their own.
const (
	AnyDimension = "any" // the floor applies to every dimension
	MaxLevel     = "max" // each dimension's highest level
)

// Limits that keep a taxonomy file readable and its arithmetic small.
const (
	maxWeight    = 1000
	maxLevels    = 101 // levels 0..100
	maxFileBytes = 1 << 20
)

// scaleRank is the position of a band id on the impact scale, or -1.
func scaleRank(id string) int {
	switch id {
	case White:
		return 0
	case Green:
		return 1
	case Yellow:
		return 2
	case Red:
		return 3
	}
	return -1
}

// scale lists the band ids in order.
func scale() []string { return []string{White, Green, Yellow, Red} }

// Taxonomy is a common incident severity taxonomy (§30): the dimensions an
// incident is assessed on, how the assessment becomes a 0–100 score, and how
// the score maps to the NIS Cooperation Group impact scale. Get one from
// Default, Parse or LoadFile, which validate it; a Taxonomy built by hand is
// only as sound as its builder made it, though Score never panics on one.
type Taxonomy struct {
	ID      string `yaml:"id" json:"id"`
	Name    string `yaml:"name" json:"name"`
	Version string `yaml:"version" json:"version"`
	// Status says plainly what the taxonomy is, e.g. that it is the project's
	// default pending the §30 taxonomy. Show it with results.
	Status string `yaml:"status" json:"status"`
	// Basis lists the existing scales the taxonomy builds on (§30).
	Basis        []string          `yaml:"basis" json:"basis"`
	Dimensions   []Dimension       `yaml:"dimensions" json:"dimensions"`
	Bands        []Band            `yaml:"bands" json:"bands"`
	Floors       []Floor           `yaml:"floors" json:"floors"`
	Significance *SignificanceRule `yaml:"significance" json:"significance,omitempty"`
}

// Dimension is one factor an incident is assessed on, such as the impact on
// service delivery (§30).
type Dimension struct {
	ID       string `yaml:"id" json:"id"`
	Name     string `yaml:"name" json:"name"`
	Question string `yaml:"question" json:"question"`
	// Weight is a positive integer; only its ratio to the other weights matters.
	Weight int    `yaml:"weight" json:"weight"`
	Ref    string `yaml:"ref" json:"ref"`
	// Levels are ordinal, numbered 0, 1, 2… in order; Levels[i].Level == i.
	Levels []Level `yaml:"levels" json:"levels"`
}

// Max is the dimension's highest level.
func (d Dimension) Max() int { return len(d.Levels) - 1 }

// Level is one step of a dimension.
type Level struct {
	Level int `yaml:"level" json:"level"`
	// Label is one or two words ("degraded").
	Label string `yaml:"label" json:"label"`
	// Anchor says what the level looks like, in plain language.
	Anchor string `yaml:"anchor" json:"anchor"`
}

// Band maps a range of scores, both ends included, to a level of the impact
// scale.
type Band struct {
	ID     string `yaml:"id" json:"id"` // White, Green, Yellow or Red
	Name   string `yaml:"name" json:"name"`
	Min    int    `yaml:"min" json:"min"`
	Max    int    `yaml:"max" json:"max"`
	Tag    string `yaml:"tag" json:"tag,omitempty"` // e.g. nis2:impact-severity="red"
	Colour string `yaml:"colour" json:"colour,omitempty"`
}

// Floor raises the level a score gives: when Dimension (a dimension id, or
// AnyDimension) is assessed at or above Level (a level number, or MaxLevel
// for the dimension's highest level), the result is at least the band
// AtLeast. It keeps a catastrophe on one dimension from being averaged away.
type Floor struct {
	ID        string `yaml:"id" json:"id"`
	Dimension string `yaml:"dimension" json:"dimension"`
	Level     string `yaml:"level" json:"level"`
	AtLeast   string `yaml:"at_least" json:"at_least"`
	// Explanation is the clause added to a result the floor raises, e.g. "a
	// dimension at its maximum raises the result to at least yellow".
	Explanation string `yaml:"explanation" json:"explanation"`
	Ref         string `yaml:"ref" json:"ref"`
}

// threshold is the level at which the floor applies to d, and whether it
// applies to d at all.
func (f Floor) threshold(d Dimension) (int, bool) {
	if f.Dimension != AnyDimension && f.Dimension != d.ID {
		return 0, false
	}
	if f.Level == MaxLevel {
		return d.Max(), true
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.Level))
	if err != nil || n < 1 || n > d.Max() {
		return 0, false
	}
	return n, true
}

// SignificanceRule gives the levels from which an assessment meets §7(b)(a)
// of the Recommendation (NIS2 art. 23(3)(a)): a severe operational
// disruption of the services, or financial loss for the entity. A nil
// threshold means the taxonomy has no level for it, and SuggestSignificant
// will say it lacks the information.
type SignificanceRule struct {
	Ref              string     `yaml:"ref" json:"ref"`
	SevereDisruption *Threshold `yaml:"severe_disruption" json:"severe_disruption,omitempty"`
	FinancialLoss    *Threshold `yaml:"financial_loss" json:"financial_loss,omitempty"`
}

// Threshold is a level on one dimension.
type Threshold struct {
	Dimension string `yaml:"dimension" json:"dimension"`
	Level     int    `yaml:"level" json:"level"`
}

// Tag is "id@version", the taxonomy's name in stored results.
func (t *Taxonomy) Tag() string { return t.ID + "@" + t.Version }

// Dimension returns the dimension with the given id.
func (t *Taxonomy) Dimension(id string) (Dimension, bool) {
	for _, d := range t.Dimensions {
		if d.ID == id {
			return d, true
		}
	}
	return Dimension{}, false
}

// Band returns the band with the given id.
func (t *Taxonomy) Band(id string) (Band, bool) {
	for _, b := range t.Bands {
		if b.ID == id {
			return b, true
		}
	}
	return Band{}, false
}

// bandFor returns the band holding score.
func (t *Taxonomy) bandFor(score int) (Band, bool) {
	for _, b := range t.Bands {
		if b.Min <= score && score <= b.Max {
			return b, true
		}
	}
	return Band{}, false
}
