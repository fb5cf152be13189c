package crisis_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/eucyber/blueprint/internal/crisis"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/severity"
)

// TestSameFactsSameLevel is what §30 asks the common taxonomy for: severity
// comparable across Member States. Two national CSIRTs reporting the same
// facts (impact, entities, sectors, Member States), each in its own words
// and order, get the same score, level, explanation and §7(b) suggestion.
func TestSameFactsSameLevel(t *testing.T) {
	m, tax := mustModel(t)
	beCCB := crisis.Reporter{Organisation: "be-ccb", User: "u-lotte", Role: "analyst", NationalKind: "csirt", MemberState: "BE"}
	for _, tc := range []struct {
		name   string
		impact severity.Assessment
		others *bool
	}{
		{"ransomware at hospitals", impact(tax, 2), severity.Known(true)},
		{"degraded service, other persons not known", impact(tax, 1), nil},
		{"one dimension at its maximum", severity.Assessment{"service-delivery": 0, "affected-entities": 3, "other-services": 0, "damage": 1}, severity.Known(false)},
		{"cross-border blackout", impact(tax, 3), severity.Known(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nl := MustContent(t, tax)
			nl.Title, nl.Summary = "Ransomware bij ziekenhuizen", "Versleutelde systemen; spoedeisende hulp omgeleid."
			nl.AffectedMemberStates, nl.Sectors = []string{"BE", "NL"}, []string{"health", "energy"}
			nl.Impact, nl.OtherPersonsAffected = tc.impact, tc.others

			be := nl
			be.Title, be.Summary = "Rançongiciel dans des hôpitaux", "Systèmes chiffrés ; urgences détournées."
			be.AffectedMemberStates, be.Sectors = []string{"NL"}, []string{"energy", "health", "health"}
			be.Impact = severity.Assessment{}
			for k, v := range tc.impact { // a map of its own, filled in another order
				be.Impact[k] = v
			}

			rNL := fileAndFold(t, m, tax, nlCSIRT, "r-nl", nl)
			rBE := fileAndFold(t, m, tax, beCCB, "r-be", be)
			if rNL.MemberState == rBE.MemberState {
				t.Fatalf("both reports are from %s", rNL.MemberState)
			}
			if !slices.Equal(rNL.Content.AffectedMemberStates, rBE.Content.AffectedMemberStates) || !slices.Equal(rNL.Content.Sectors, rBE.Content.Sectors) {
				t.Fatalf("the facts differ after filing: %v %v and %v %v", rNL.Content.AffectedMemberStates, rNL.Content.Sectors, rBE.Content.AffectedMemberStates, rBE.Content.Sectors)
			}
			if !reflect.DeepEqual(rNL.Severity, rBE.Severity) {
				t.Errorf("same facts, different severity:\nNL %d %s: %s\nBE %d %s: %s",
					rNL.Severity.Score, rNL.Severity.Level, rNL.Severity.Explanation, rBE.Severity.Score, rBE.Severity.Level, rBE.Severity.Explanation)
			}
			if !reflect.DeepEqual(rNL.Significance, rBE.Significance) {
				t.Errorf("same facts, different suggestion:\nNL %+v\nBE %+v", rNL.Significance, rBE.Significance)
			}
			if rNL.Severity.Level == "" || rNL.Significance.Outcome == "" {
				t.Errorf("no severity or suggestion: %+v %+v", rNL.Severity, rNL.Significance)
			}
		})
	}
}

// fileAndFold files c for who and returns the report as the fold makes it.
func fileAndFold(t *testing.T, m *model.Model, tax *severity.Taxonomy, who crisis.Reporter, id string, c crisis.ReportContent) crisis.NationalReport {
	t.Helper()
	d, err := crisis.DecideFile(m, tax, who, id, c, now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := crisis.ApplyReport(crisis.NationalReport{}, d.Type, mustJSON(t, d.Payload), 1, who.User, now)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
