package crisis

import (
	"slices"
	"strings"

	"github.com/eucyber/blueprint/internal/model"
)

// MechanismSuggestion is a Union mechanism the case may call on (R9), with
// why the node suggests it. A suggestion, never an activation: requests and
// activations are recorded by the actors concerned.
type MechanismSuggestion struct {
	Mechanism string `json:"mechanism"`
	Name      string `json:"name"`
	Type      string `json:"type"` // the model's type: sectoral, horizontal or cyber-specific
	Ref       string `json:"ref"`
	Why       string `json:"why"`
}

// SuggestMechanisms lists the mechanisms that apply to the case as the viewer
// sees it: the Annex II(4) sectoral mechanisms of the sectors and subsectors
// its reports name (a subsector brings its own and its sector's), and the
// Annex II(3) horizontal ones its facts call for — the EU Law Enforcement
// Emergency Response Protocol when a report gives malicious actions as the
// root cause (criminal origin suspected), the Hybrid Toolbox and the EU Hybrid
// Rapid Response Teams when the case is flagged as part of a hybrid campaign
// (§55(c)(vi)), and the UCPM and the EU
// Cybersecurity Reserve for assistance once the case is decided large-scale
// (§55(b)(iv)–(v)). Order: sectoral by sector, then horizontal.
func SuggestMechanisms(m *model.Model, c Case, reps []NationalReport) []MechanismSuggestion {
	out := []MechanismSuggestion{}
	seen := map[string]bool{}
	add := func(id, why string) {
		mech, ok := m.Mechanism(id)
		if !ok || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, MechanismSuggestion{Mechanism: id, Name: mech.Name, Type: string(mech.Type), Ref: mech.Ref, Why: why})
	}
	bySector := map[string][]string{} // sector or subsector id → Member States naming it
	var malicious []string
	for _, r := range reps {
		if r.Content.Status == StatusWithdrawn {
			continue
		}
		for _, s := range r.Content.Sectors {
			if !slices.Contains(bySector[s], r.MemberState) {
				bySector[s] = append(bySector[s], r.MemberState)
			}
		}
		if r.Content.RootCause == "malicious-actions" && !slices.Contains(malicious, r.MemberState) {
			malicious = append(malicious, r.MemberState)
		}
	}
	ids := make([]string, 0, len(bySector))
	for id := range bySector {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		from := "reported by " + joinAnd(bySector[id])
		if sub, sector, ok := m.Subsector(id); ok {
			for _, mech := range sub.Mechanisms {
				add(mech, sub.Name+" ("+sector.Name+") "+from+", Annex II(4)")
			}
			for _, mech := range sector.Mechanisms {
				add(mech, sector.Name+" "+from+", Annex II(4)")
			}
			continue
		}
		if sector, ok := m.Sector(id); ok {
			for _, mech := range sector.Mechanisms {
				add(mech, sector.Name+" "+from+", Annex II(4)")
			}
		}
	}
	if len(malicious) > 0 {
		slices.Sort(malicious)
		add("eu-le-erp", "malicious actions given as the root cause by "+joinAnd(malicious)+": criminal origin suspected, Annex II(3)")
	}
	if c.Hybrid != nil && c.Hybrid.Flagged {
		why := "the case is recorded as part of a hybrid campaign (" + c.Hybrid.Reason + "), §55(c)(vi), Annex II(3)"
		add("hybrid-toolbox", why)
		add("eu-hrrt", why)
	}
	if c.Level.Rank() >= LevelLargeScale.Rank() {
		add("ucpm", "the case is decided "+strings.ReplaceAll(string(c.Level), "-", " ")+": assistance may be requested through the UCPM, §55(b)(iv)")
		add("eu-cybersecurity-reserve", "the case is decided "+strings.ReplaceAll(string(c.Level), "-", " ")+": Member States may request the Reserve's services, §55(b)(v)")
	}
	return out
}
