package crisis

import (
	"fmt"
	"slices"
	"strings"
)

// The ladder's suggestion (R5). The node computes which criteria of §7, §48
// and §50 the case meets from the reports and signals the viewer may see, and
// suggests the highest level they support; the competent actor decides. The
// suggestion never moves the decided level by itself.

// Criterion is one rule of the ladder, met or not, with the sentence that
// says why.
type Criterion struct {
	Level  Level  `json:"level"`
	Rule   string `json:"rule"`
	Ref    string `json:"ref"`
	Met    bool   `json:"met"`
	Reason string `json:"reason"`
}

// Ladder is where the case stands: the decided level beside the suggested one.
type Ladder struct {
	Decided Level `json:"decided"`
	// DecidedBy is the decision that set the level; nil while none was taken.
	DecidedBy *Decision   `json:"decided_by,omitempty"`
	Suggested Level       `json:"suggested"`
	Criteria  []Criterion `json:"criteria"`
	// Differs is true when the suggestion is above or below the decision:
	// someone competent should look.
	Differs bool `json:"differs"`
	// Unread counts the linked reports the viewer may not read, which the
	// suggestion therefore does not use: the screen says so.
	Unread int `json:"unread_reports"`
}

// Suggest computes the ladder from a case and its linked reports (each the
// current version). Pass only what the viewer may see.
func Suggest(c Case, reps []NationalReport) Ladder {
	l := Ladder{Decided: c.Level, Criteria: []Criterion{}}
	for i := len(c.Decisions) - 1; i >= 0; i-- {
		if d := c.Decisions[i]; !d.Closure && !d.Reopening {
			l.DecidedBy = &c.Decisions[i]
			break
		}
	}
	significant := SignificantMemberStates(c, reps)
	add := func(level Level, rule, ref string, met bool, reason string) {
		l.Criteria = append(l.Criteria, Criterion{Level: level, Rule: rule, Ref: ref, Met: met, Reason: reason})
	}

	add(LevelIncident, "reported", "§7(a)", len(reps) > 0,
		fmt.Sprintf("%d national report(s) linked, from %s", len(reps), listOrNone(memberStatesOf(reps))))

	sigMS := sortedKeys(significant)
	reason := "no linked report suggests a significant incident"
	if len(sigMS) > 0 {
		var parts []string
		for _, ms := range sigMS {
			parts = append(parts, ms+": "+significant[ms])
		}
		reason = "significant impact reported by " + strings.Join(parts, "; ")
	}
	add(LevelSignificant, "significant-report", "§7(b)", len(sigMS) > 0, reason)

	hubs := signalsOf(c, SignalHubAlert)
	reason = "no cross-border cyber hub alert recorded"
	if len(hubs) > 0 {
		reason = "cross-border cyber hub alert from " + joinField(hubs, func(s Signal) string { return s.Source }) + ", §48"
	}
	add(LevelPotentialLargeScale, "hub-alert", "§48", len(hubs) > 0, reason)

	spread, worsening := crossBorderAndWorsening(reps, significant)
	reason = "no significant report names other Member States as affected"
	if len(spread) > 0 {
		reason = "significant impact that also affects other Member States: " + strings.Join(spread, "; ") + "; could escalate, §50"
	}
	add(LevelPotentialLargeScale, "cross-border-spread", "§50", len(spread) > 0, reason)
	reason = "no significant report has a worsening outlook"
	if len(worsening) > 0 {
		reason = "outlook worsening in the significant report of " + strings.Join(worsening, ", ") + ", §55(a)(v)"
	}
	add(LevelPotentialLargeScale, "worsening", "§55(a)(v)", len(worsening) > 0, reason)

	reason = "significant impact reported by fewer than two Member States"
	if len(sigMS) >= 2 {
		reason = "significant impact reported by " + joinAnd(sigMS) + ": at least two Member States, §7(c)"
	}
	add(LevelLargeScale, "two-member-states", "§7(c)", len(sigMS) >= 2, reason)
	exceeded := signalsOf(c, SignalCapacityExceeded)
	reason = "no Member State declared its response capacity exceeded"
	if len(exceeded) > 0 {
		reason = "the " + joinField(exceeded, func(s Signal) string { return s.MemberState }) + " authority declared its response capacity exceeded, §7(c)"
	}
	add(LevelLargeScale, "capacity-exceeded", "§7(c)", len(exceeded) > 0, reason)

	largeScale := len(sigMS) >= 2 || len(exceeded) > 0 || c.Level.Rank() >= LevelLargeScale.Rank()
	for _, k := range []struct {
		kind SignalKind
		what string
	}{{SignalInternalMarket, "hinders the proper functioning of the internal market"}, {SignalPublicSafety, "poses serious risks to public safety and security"}} {
		found := signalsOf(c, k.kind)
		reason := "EU-CyCLONe has not found that the incident " + k.what
		met := len(found) > 0 && largeScale
		switch {
		case met:
			reason = "EU-CyCLONe found that the large-scale incident " + k.what + ", §7(d)"
		case len(found) > 0:
			reason = "EU-CyCLONe found that the incident " + k.what + ", but it is not (yet) large-scale, §7(d)"
		}
		add(LevelCyberCrisis, string(k.kind), "§7(d)", met, reason)
	}

	l.Suggested = LevelIncident
	for _, cr := range l.Criteria {
		if cr.Met && cr.Level.Rank() > l.Suggested.Rank() {
			l.Suggested = cr.Level
		}
	}
	l.Differs = l.Suggested != l.Decided
	l.Unread = max(0, len(c.Reports)-len(reps))
	return l
}

// significantMemberStates maps each Member State whose linked report is
// significant — by the §7(b) suggestion, or because its own authority decided
// so on this case — to the reason.
func SignificantMemberStates(c Case, reps []NationalReport) map[string]string {
	out := map[string]string{}
	for _, r := range reps {
		if r.Content.Status == StatusWithdrawn {
			continue
		}
		if sig, why := r.IsSignificant(); sig {
			out[r.MemberState] = why
		}
	}
	orgMS := map[string]string{}
	for _, lr := range c.Reports {
		orgMS[lr.Organisation] = lr.MemberState
	}
	for _, d := range c.Decisions {
		if ms, ok := orgMS[d.Organisation]; ok && d.Authority == AuthorityNational && d.Level == LevelSignificant {
			if _, seen := out[ms]; !seen {
				out[ms] = "its authority assessed the incident significant"
			}
		}
	}
	return out
}

func crossBorderAndWorsening(reps []NationalReport, significant map[string]string) (spread, worsening []string) {
	for _, r := range reps {
		if _, ok := significant[r.MemberState]; !ok || r.Content.Status == StatusWithdrawn {
			continue
		}
		var others []string
		for _, ms := range r.Content.AffectedMemberStates {
			if ms != r.MemberState {
				others = append(others, ms)
			}
		}
		if len(others) > 0 {
			spread = append(spread, r.MemberState+" reports "+strings.Join(others, ", ")+" affected too")
		}
		if r.Content.Outlook == "worsening" && !slices.Contains(worsening, r.MemberState) {
			worsening = append(worsening, r.MemberState)
		}
	}
	slices.Sort(spread)
	slices.Sort(worsening)
	return slices.Compact(spread), worsening
}

func signalsOf(c Case, k SignalKind) []Signal {
	var out []Signal
	for _, s := range c.Signals {
		if s.Kind == k {
			out = append(out, s)
		}
	}
	return out
}

func joinField(ss []Signal, f func(Signal) string) string {
	var vs []string
	for _, s := range ss {
		vs = append(vs, f(s))
	}
	slices.Sort(vs)
	return joinAnd(slices.Compact(vs))
}

func memberStatesOf(reps []NationalReport) []string {
	var ms []string
	for _, r := range reps {
		ms = append(ms, r.MemberState)
	}
	slices.Sort(ms)
	return slices.Compact(ms)
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "no Member State"
	}
	return joinAnd(xs)
}

// CommissionMembership says whether the Commission is a member of EU-CyCLONe
// for this case, not only an observer (§20): when a possible or ongoing
// large-scale incident has or may have significant impact on services within
// NIS2 scope. Every Annex II(4) sector of a national report is within NIS2
// scope, so the condition is: the decided level is potential large-scale or
// above, and a linked report is significant.
type CommissionMembership struct {
	Member bool   `json:"member"`
	Reason string `json:"reason"`
	Ref    string `json:"ref"`
}

// Membership20 computes §20 for the case, from what the caller passes.
func Membership20(c Case, reps []NationalReport) CommissionMembership {
	sig := sortedKeys(SignificantMemberStates(c, reps))
	possible := c.Level.Rank() >= LevelPotentialLargeScale.Rank() && !c.Closed
	switch {
	case possible && len(sig) > 0:
		return CommissionMembership{Member: true, Ref: "§20",
			Reason: fmt.Sprintf("the case is decided %s and %s report(s) significant impact on services within NIS2 scope: the Commission is a member of EU-CyCLONe for it", c.Level, joinAnd(sig))}
	case possible:
		return CommissionMembership{Ref: "§20", Reason: "no linked report shows significant impact on services within NIS2 scope yet: the Commission observes EU-CyCLONe"}
	}
	return CommissionMembership{Ref: "§20", Reason: "the case is not a possible or ongoing large-scale incident (decided " + string(c.Level) + "): the Commission observes EU-CyCLONe"}
}
