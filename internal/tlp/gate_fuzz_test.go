package tlp_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// splitIDs turns one fuzzed string into a list of ids; "" gives no ids, so the
// fuzzer reaches both empty and non-empty audiences, and empty ids within them.
func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// FuzzDecide checks the gate's safety properties on arbitrary markings and
// viewers: it never panics; an invalid marking is never shown; an anonymous
// viewer sees only CLEAR with a public audience; a RED item is shown only to its
// creator and its named recipients; exercise and real data never mix.
func FuzzDecide(f *testing.F) {
	type seed struct {
		label, kind, ids, exercise, ownerUser, ownerOrg, user, org, networks, viewerExercise string
	}
	for _, s := range []seed{
		{"TLP:CLEAR", "public", "", "", "sanne", "nl-ncsc", "", "", "", ""},
		{"TLP:GREEN", "community", "", "", "sanne", "nl-ncsc", "piet", "be-ccb", "csirts-network", ""},
		{"TLP:AMBER", "networks", "eu-cyclone", "", "sanne", "nl-ncsc", "marie", "fr-anssi", "eu-cyclone", ""},
		{"TLP:AMBER+STRICT", "organisations", "fr-anssi", "", "sanne", "nl-ncsc", "jan", "nl-ncsc", "csirts-network", ""},
		{"TLP:RED", "users", "marie,luc", "", "sanne", "nl-ncsc", "jan", "nl-ncsc", "csirts-network", ""},
		{"TLP:RED", "users", "marie", "cyber-europe-2026", "sanne", "nl-ncsc", "marie", "fr-anssi", "", "cyber-europe-2026"},
		{"TLP:RED", "community", "", "", "sanne", "nl-ncsc", "sanne", "nl-ncsc", "", ""},
		{"TLP:AMBER", "organisations", ",", "", "", "", "x", "", ",", ""},
		{"tlp:red", "users", "sanne", "", "", "", "sanne", "", "", ""},
		{"", "", "", "", "", "", "", "", "", ""},
	} {
		f.Add(s.label, s.kind, s.ids, s.exercise, s.ownerUser, s.ownerOrg, s.user, s.org, s.networks, s.viewerExercise)
	}
	f.Fuzz(func(t *testing.T, label, kind, ids, exercise, ownerUser, ownerOrg, user, org, networks, viewerExercise string) {
		it := tlp.Item{
			Marking: tlp.Marking{
				TLP:      tlp.Label(label),
				Audience: tlp.Audience{Kind: tlp.AudienceKind(kind), IDs: splitIDs(ids)},
				Exercise: exercise,
			},
			OwnerUser:         ownerUser,
			OwnerOrganisation: ownerOrg,
		}
		v := tlp.Viewer{User: user, Organisation: org, Networks: splitIDs(networks), Exercise: viewerExercise}
		d := tlp.Decide(v, it)
		if d.Reason == "" || strings.ContainsAny(d.Reason, "\n\r") {
			t.Fatalf("Decide(%+v, %+v).Reason = %q, want one non-empty line", v, it, d.Reason)
		}
		if tlp.CanSee(v, it) != d.Allowed {
			t.Fatalf("CanSee disagrees with Decide for %+v, %+v", v, it)
		}
		if !d.Allowed {
			return
		}
		m := it.Marking
		if err := m.Validate(); err != nil {
			t.Fatalf("Decide allowed %+v to see an item with an invalid marking (%v): %+v", v, err, it)
		}
		if m.Exercise != v.Exercise {
			t.Fatalf("Decide allowed a view of exercise %q to see an item of exercise %q", v.Exercise, m.Exercise)
		}
		if v.Anonymous() && (m.TLP != tlp.Clear || m.Audience.Kind != tlp.Public) {
			t.Fatalf("Decide allowed an anonymous viewer to see %+v", m)
		}
		if m.TLP == tlp.Red && (v.User == "" || (v.User != it.OwnerUser && !slices.Contains(m.Audience.IDs, v.User))) {
			t.Fatalf("Decide allowed %+v to see a TLP:RED item they neither created nor are named in: %+v", v, it)
		}
		if (m.TLP == tlp.Amber || m.TLP == tlp.AmberStrict) && m.Audience.Kind == tlp.Community {
			t.Fatalf("Decide allowed %+v to see %s with a community audience", v, m.TLP)
		}
	})
}

// FuzzIsClassifiedMarking checks the classification detector on arbitrary text:
// it never panics; any text holding "RESTREINT UE" in any case is classified;
// and ParseLabel refuses exactly the classified text with a *ClassifiedError.
func FuzzIsClassifiedMarking(f *testing.F) {
	for _, s := range []string{
		"RESTREINT UE", "restreint-ue", "RESTREINT UE/EU RESTRICTED", "EU RESTRICTED", "CONFIDENTIEL UE",
		"EU CONFIDENTIAL", "SECRET UE", "EU SECRET", "TRÈS SECRET UE", "tre\u0300s secret ue", "EU TOP SECRET",
		"EU Secretariat", "secret", "restricted", "TLP:RED", "", "\xff\xfeRESTREINT UE", "xRESTREINT UEx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		classified := tlp.IsClassifiedMarking(s)
		if strings.Contains(strings.ToUpper(s), "RESTREINT UE") && !classified {
			t.Fatalf("IsClassifiedMarking(%q) = false, but it contains RESTREINT UE", s)
		}
		var ce *tlp.ClassifiedError
		if err := tlp.CheckClassified(s); (err != nil) != classified || (err != nil && !errors.As(err, &ce)) {
			t.Fatalf("CheckClassified(%q) = %v, but IsClassifiedMarking = %v", s, err, classified)
		}
		if s == "" {
			return
		}
		_, err := tlp.ParseLabel(s)
		if got := errors.As(err, &ce); got != classified {
			t.Fatalf("ParseLabel(%q) error = %v: classified refusal %v, but IsClassifiedMarking = %v", s, err, got, classified)
		}
	})
}
