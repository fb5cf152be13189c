package severity

import "fmt"

// Outcome is what a significance suggestion concludes.
type Outcome string

const (
	// OutcomeSignificant: at least one criterion is met.
	OutcomeSignificant Outcome = "significant"
	// OutcomeNotSignificant: every criterion was checked and none is met.
	OutcomeNotSignificant Outcome = "not-significant"
	// OutcomeNotEnoughInformation: no criterion is met so far, but some could
	// not be checked because the report does not give what they need.
	OutcomeNotEnoughInformation Outcome = "not-enough-information"
	// OutcomeNotCovered: the rules asked for do not cover the entity; nothing
	// was computed (Regulation2024_2690 for entity types outside its Art 1).
	OutcomeNotCovered Outcome = "not-covered"
)

// Suggestion is the software's suggestion on whether an incident is
// significant, with the reasons for it. It is a suggestion: the CSIRT or
// authority that received the report decides, and records its decision
// itself.
type Suggestion struct {
	Significant bool    `json:"significant"`
	Outcome     Outcome `json:"outcome"`
	// Reasons explain the outcome: the criteria met when significant;
	// otherwise what is missing, then the criteria checked and not met.
	Reasons []Reason `json:"reasons"`
}

// Reason is one sentence of a suggestion and the provision it applies.
type Reason struct {
	Text string `json:"text"`
	Ref  string `json:"ref"`
}

// Reading is a level a report gives on one dimension of the severity
// taxonomy, with the level from which it meets a criterion. Fill it with
// Taxonomy.SignificanceInput rather than by hand.
type Reading struct {
	// Assessed is false when the report does not give the level (yet).
	Assessed bool `json:"assessed"`
	Level    int  `json:"level"`
	// Threshold is the level from which the criterion is met; below 1 means
	// the taxonomy sets none, and the criterion cannot be checked.
	Threshold int `json:"threshold"`
	// Dimension and Label name the dimension and the level in reasons.
	Dimension string `json:"dimension"`
	Label     string `json:"label,omitempty"`
}

// SignificanceInput is what a national report says about the two limbs of
// the definition of a significant incident in §7(b) of the Recommendation
// (the definition of NIS2 art. 23(3)).
type SignificanceInput struct {
	// ServiceDelivery: §7(b)(a), a severe operational disruption of the
	// services, caused or possible.
	ServiceDelivery Reading `json:"service_delivery"`
	// Damage: §7(b)(a), financial loss for the entity, caused or possible.
	Damage Reading `json:"damage"`
	// OtherPersonsAffected: §7(b)(b), whether the incident affected, or can
	// affect, other natural or legal persons by causing considerable material
	// or non-material damage. Nil means the report does not say (yet).
	OtherPersonsAffected *bool `json:"other_persons_affected,omitempty"`
}

// Known returns a pointer to v, for the optional fields of SignificanceInput
// and EntityImpact: a nil pointer means "not known yet", which is not the
// same as zero or false.
func Known[T any](v T) *T { return &v }

// References of the two limbs of §7(b).
const (
	refLimbA = "§7(b)(a); NIS2 art. 23(3)(a)"
	refLimbB = "§7(b)(b); NIS2 art. 23(3)(b)"
	refLimbs = "§7(b); NIS2 art. 23(3)"
)

// SignificanceInput reads the levels of an assessment that §7(b)(a) needs,
// with the thresholds of the taxonomy's significance rule. A dimension
// missing from the assessment, or at a level the dimension does not have,
// reads as not assessed. OtherPersonsAffected is left for the caller, who
// takes it from the report.
func (t *Taxonomy) SignificanceInput(a Assessment) SignificanceInput {
	var in SignificanceInput
	if t.Significance == nil {
		return in
	}
	read := func(th *Threshold) Reading {
		if th == nil {
			return Reading{}
		}
		d, ok := t.Dimension(th.Dimension)
		if !ok {
			return Reading{}
		}
		r := Reading{Threshold: th.Level, Dimension: d.Name}
		if l, ok := a[d.ID]; ok && l >= 0 && l < len(d.Levels) {
			r.Assessed, r.Level, r.Label = true, l, d.Levels[l].Label
		}
		return r
	}
	in.ServiceDelivery = read(t.Significance.SevereDisruption)
	in.Damage = read(t.Significance.FinancialLoss)
	return in
}

// SuggestSignificant suggests whether an incident is significant in the sense
// of §7(b) of the Recommendation: one that (a) caused or can cause severe
// operational disruption of the services or financial loss for the entity
// concerned, or (b) affected or can affect other natural or legal persons by
// causing considerable material or non-material damage.
//
// Software suggests, people decide: the result only helps the CSIRT or
// cyber crisis management authority that received the report, which makes
// and records the decision. Each reason cites §7(b). When no criterion is met
// but the report does not give everything needed to check them all, the
// outcome is OutcomeNotEnoughInformation and the reasons say what is missing.
// For the entity types of Regulation (EU) 2024/2690, Regulation2024_2690
// applies its thresholds.
func SuggestSignificant(in SignificanceInput) Suggestion {
	var met, missing, notMet []Reason

	disruption := checkReading(in.ServiceDelivery, "service delivery",
		"a severe operational disruption of the services")
	loss := checkReading(in.Damage, "damage", "financial loss for the entity")
	for _, c := range []readingCheck{disruption, loss} {
		switch c.v {
		case verdictMet:
			met = append(met, Reason{Text: "§7(b)(a): " + c.text, Ref: refLimbA})
		case verdictNotMet:
			notMet = append(notMet, Reason{Text: "§7(b)(a): " + c.text, Ref: refLimbA})
		default:
			missing = append(missing, Reason{Text: "§7(b)(a): not enough information: " + c.text, Ref: refLimbA})
		}
	}

	switch p := in.OtherPersonsAffected; {
	case p == nil:
		missing = append(missing, Reason{
			Text: "§7(b)(b): not enough information: the report does not say whether other natural or legal persons are, or can be, affected by considerable material or non-material damage",
			Ref:  refLimbB,
		})
	case *p:
		met = append(met, Reason{
			Text: "§7(b)(b): other natural or legal persons are, or can be, affected by considerable material or non-material damage",
			Ref:  refLimbB,
		})
	default:
		notMet = append(notMet, Reason{
			Text: "§7(b)(b): no other natural or legal persons are, or can be, affected by considerable material or non-material damage",
			Ref:  refLimbB,
		})
	}
	return conclude(met, missing, notMet)
}

// conclude turns the criteria checked into a suggestion.
func conclude(met, missing, notMet []Reason) Suggestion {
	switch {
	case len(met) > 0:
		return Suggestion{Significant: true, Outcome: OutcomeSignificant, Reasons: met}
	case len(missing) > 0:
		return Suggestion{Outcome: OutcomeNotEnoughInformation, Reasons: append(missing, notMet...)}
	}
	return Suggestion{Outcome: OutcomeNotSignificant, Reasons: notMet}
}

// verdict is the state of one criterion.
type verdict int8

const (
	verdictUnknown verdict = iota // the input it needs is missing
	verdictNotMet
	verdictMet
)

type readingCheck struct {
	v    verdict
	text string
}

// checkReading checks a level against its threshold. what names the
// dimension when the reading carries no name; meaning is what reaching the
// threshold means.
func checkReading(r Reading, what, meaning string) readingCheck {
	name := r.Dimension
	if name == "" {
		name = what
	}
	name = inSentence(name)
	switch {
	case r.Threshold < 1:
		return readingCheck{verdictUnknown, fmt.Sprintf("the severity taxonomy sets no %s level that means %s", name, meaning)}
	case !r.Assessed:
		return readingCheck{verdictUnknown, fmt.Sprintf("%s is not assessed, so it is unknown whether there is %s", name, meaning)}
	}
	level := fmt.Sprintf("%s at level %d", name, r.Level)
	if r.Label != "" {
		level += " (" + r.Label + ")"
	}
	if r.Level >= r.Threshold {
		return readingCheck{verdictMet, fmt.Sprintf("%s, at or above level %d: %s", level, r.Threshold, meaning)}
	}
	return readingCheck{verdictNotMet, fmt.Sprintf("%s, below level %d, from which the severity taxonomy counts it as %s", level, r.Threshold, meaning)}
}
