package tlp_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// fakeDirectory is a small platform: who takes part in which network, and which
// organisation each user belongs to.
type fakeDirectory struct {
	networks map[string][]string // organisation -> networks
	orgs     map[string]string   // user -> organisation
}

func (d fakeDirectory) OrganisationNetworks(org string) []string { return d.networks[org] }

func (d fakeDirectory) UserOrganisation(user string) (string, bool) {
	org, ok := d.orgs[user]
	return org, ok
}

func newFakeDirectory() fakeDirectory {
	return fakeDirectory{
		networks: map[string][]string{
			"nl-ncsc":  {"csirts-network"},
			"fr-anssi": {"csirts-network", "eu-cyclone"},
			"fr-vigi":  {"eu-cyclone"},
			"be-ccb":   {"csirts-network", "eu-cyclone"},
			"cert-eu":  {"csirts-network"},
		},
		orgs: map[string]string{
			"sanne": "nl-ncsc",
			"jan":   "nl-ncsc",
			"marie": "fr-anssi",
			"luc":   "fr-vigi",
			"piet":  "be-ccb",
			// "ghost" is a user the directory cannot place.
		},
	}
}

func aud(kind tlp.AudienceKind, ids ...string) tlp.Audience {
	return tlp.Audience{Kind: kind, IDs: ids}
}

// TestCombineAudiences intersects every pair of audience kinds, in both orders:
// the product may reach only those who are in both audiences.
func TestCombineAudiences(t *testing.T) {
	dir := newFakeDirectory()
	tests := []struct {
		name string
		a, b tlp.Audience
		want tlp.Audience
	}{
		{"public∩public", aud(tlp.Public), aud(tlp.Public), aud(tlp.Public)},
		{"public∩community", aud(tlp.Public), aud(tlp.Community), aud(tlp.Community)},
		{"public∩networks", aud(tlp.Public), aud(tlp.Networks, "eu-cyclone"), aud(tlp.Networks, "eu-cyclone")},
		{"public∩organisations", aud(tlp.Public), aud(tlp.Organisations, "nl-ncsc", "fr-anssi"), aud(tlp.Organisations, "fr-anssi", "nl-ncsc")},
		{"public∩users", aud(tlp.Public), aud(tlp.Users, "marie"), aud(tlp.Users, "marie")},
		{"community∩community", aud(tlp.Community), aud(tlp.Community), aud(tlp.Community)},
		{"community∩networks", aud(tlp.Community), aud(tlp.Networks, "csirts-network"), aud(tlp.Networks, "csirts-network")},
		{"community∩organisations", aud(tlp.Community), aud(tlp.Organisations, "cert-eu"), aud(tlp.Organisations, "cert-eu")},
		{"community∩users", aud(tlp.Community), aud(tlp.Users, "piet", "luc"), aud(tlp.Users, "luc", "piet")},
		// Same kind: the ids both name, sorted and without duplicates.
		{"networks∩networks", aud(tlp.Networks, "eu-cyclone", "csirts-network"), aud(tlp.Networks, "eu-cyclone", "eu-cyclone", "other"), aud(tlp.Networks, "eu-cyclone")},
		{"organisations∩organisations", aud(tlp.Organisations, "nl-ncsc", "fr-anssi"), aud(tlp.Organisations, "fr-anssi", "be-ccb"), aud(tlp.Organisations, "fr-anssi")},
		{"users∩users", aud(tlp.Users, "marie", "sanne", "sanne"), aud(tlp.Users, "sanne", "piet"), aud(tlp.Users, "sanne")},
		// Across kinds: the narrower kind, keeping those the wider one reaches.
		{"networks∩organisations", aud(tlp.Networks, "eu-cyclone"), aud(tlp.Organisations, "nl-ncsc", "fr-vigi", "fr-anssi"), aud(tlp.Organisations, "fr-anssi", "fr-vigi")},
		{"networks∩users", aud(tlp.Networks, "eu-cyclone"), aud(tlp.Users, "sanne", "luc", "ghost"), aud(tlp.Users, "luc")},
		{"organisations∩users", aud(tlp.Organisations, "nl-ncsc", "fr-anssi"), aud(tlp.Users, "sanne", "marie", "luc", "ghost"), aud(tlp.Users, "marie", "sanne")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tlp.Marking{TLP: labelFor(tc.a), Audience: tc.a}
			b := tlp.Marking{TLP: labelFor(tc.b), Audience: tc.b}
			aIDs, bIDs := slices.Clone(tc.a.IDs), slices.Clone(tc.b.IDs)
			for _, order := range [][2]tlp.Marking{{a, b}, {b, a}} {
				got, err := tlp.Combine(dir, order[0], order[1])
				if err != nil {
					t.Fatalf("Combine(%+v, %+v): %v", order[0], order[1], err)
				}
				if got.Audience.Kind != tc.want.Kind || !slices.Equal(got.Audience.IDs, tc.want.IDs) {
					t.Errorf("Combine(%+v, %+v).Audience = %+v, want %+v", order[0], order[1], got.Audience, tc.want)
				}
				if err := got.Validate(); err != nil {
					t.Errorf("Combine(%+v, %+v) = %+v, which fails Validate: %v", order[0], order[1], got, err)
				}
			}
			if !slices.Equal(tc.a.IDs, aIDs) || !slices.Equal(tc.b.IDs, bIDs) {
				t.Errorf("Combine changed its inputs' ids: %v, %v; were %v, %v", tc.a.IDs, tc.b.IDs, aIDs, bIDs)
			}
		})
	}
}

// labelFor picks the widest label valid for the audience, so the audience tests
// isolate the intersection from the label rules.
func labelFor(a tlp.Audience) tlp.Label {
	if a.Kind == tlp.Public {
		return tlp.Clear
	}
	return tlp.Green
}

// TestCombineLabels checks that the most restrictive label wins, whatever the
// order of the markings.
func TestCombineLabels(t *testing.T) {
	dir := newFakeDirectory()
	// A users audience is valid under every label.
	marie := aud(tlp.Users, "marie")
	tests := []struct {
		in   []tlp.Label
		want tlp.Label
	}{
		{[]tlp.Label{tlp.Clear}, tlp.Clear},
		{[]tlp.Label{tlp.Clear, tlp.Green}, tlp.Green},
		{[]tlp.Label{tlp.Green, tlp.Amber}, tlp.Amber},
		{[]tlp.Label{tlp.Amber, tlp.AmberStrict}, tlp.AmberStrict},
		{[]tlp.Label{tlp.AmberStrict, tlp.Red}, tlp.Red},
		{[]tlp.Label{tlp.Red, tlp.Clear}, tlp.Red},
		{[]tlp.Label{tlp.Clear, tlp.Amber, tlp.Green}, tlp.Amber},
		{[]tlp.Label{tlp.Green, tlp.Red, tlp.Clear, tlp.AmberStrict, tlp.Amber}, tlp.Red},
	}
	for _, tc := range tests {
		ms := make([]tlp.Marking, len(tc.in))
		for i, l := range tc.in {
			ms[i] = tlp.Marking{TLP: l, Audience: marie}
		}
		for _, order := range [][]tlp.Marking{ms, reversed(ms)} {
			got, err := tlp.Combine(dir, order...)
			if err != nil {
				t.Fatalf("Combine(%v): %v", tc.in, err)
			}
			if got.TLP != tc.want {
				t.Errorf("Combine(%+v).TLP = %s, want %s", order, got.TLP, tc.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Combine(%+v) = %+v, which fails Validate: %v", order, got, err)
			}
		}
	}
}

func reversed(ms []tlp.Marking) []tlp.Marking {
	out := slices.Clone(ms)
	slices.Reverse(out)
	return out
}

// TestCombineRedNarrowsToItsUsers is the case a situation report meets most: a
// RED item for two people folded into GREEN items for a network. The product is
// RED, for those of the two who are in the network.
func TestCombineRedNarrowsToItsUsers(t *testing.T) {
	got, err := tlp.Combine(newFakeDirectory(),
		tlp.Marking{TLP: tlp.Green, Audience: aud(tlp.Networks, "eu-cyclone")},
		tlp.Marking{TLP: tlp.Red, Audience: aud(tlp.Users, "sanne", "marie")},
		tlp.Marking{TLP: tlp.Amber, Audience: aud(tlp.Organisations, "fr-anssi", "nl-ncsc")},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := tlp.Marking{TLP: tlp.Red, Audience: aud(tlp.Users, "marie")}
	if got.TLP != want.TLP || got.Audience.Kind != want.Audience.Kind || !slices.Equal(got.Audience.IDs, want.Audience.IDs) || got.Exercise != "" {
		t.Errorf("Combine = %+v, want %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("Combine = %+v, which fails Validate: %v", got, err)
	}
}

// TestCombineRefuses covers the products that may not be built.
func TestCombineRefuses(t *testing.T) {
	dir := newFakeDirectory()
	green := func(a tlp.Audience) tlp.Marking { return tlp.Marking{TLP: tlp.Green, Audience: a} }
	exercise := func(m tlp.Marking, e string) tlp.Marking { m.Exercise = e; return m }
	const noOne = "no one could see all of the items together"
	tests := []struct {
		name string
		in   []tlp.Marking
		want string
	}{
		{"no markings", nil, "no markings"},
		{"disjoint organisations", []tlp.Marking{green(aud(tlp.Organisations, "nl-ncsc")), green(aud(tlp.Organisations, "fr-anssi"))}, noOne},
		{"disjoint networks", []tlp.Marking{green(aud(tlp.Networks, "csirts-network")), green(aud(tlp.Networks, "eu-cyclone"))}, noOne},
		{"disjoint users", []tlp.Marking{green(aud(tlp.Users, "sanne")), green(aud(tlp.Users, "marie"))}, noOne},
		{"organisation outside the network", []tlp.Marking{green(aud(tlp.Networks, "eu-cyclone")), green(aud(tlp.Organisations, "nl-ncsc", "cert-eu"))}, noOne},
		{"user outside the network", []tlp.Marking{green(aud(tlp.Networks, "eu-cyclone")), green(aud(tlp.Users, "sanne", "jan"))}, noOne},
		{"user outside the organisations", []tlp.Marking{green(aud(tlp.Organisations, "fr-anssi")), green(aud(tlp.Users, "sanne"))}, noOne},
		{"user the directory cannot place", []tlp.Marking{green(aud(tlp.Organisations, "nl-ncsc")), green(aud(tlp.Users, "ghost"))}, noOne},
		{"pairwise overlap, no common recipient", []tlp.Marking{
			green(aud(tlp.Organisations, "nl-ncsc", "fr-anssi")),
			green(aud(tlp.Organisations, "fr-anssi", "be-ccb")),
			green(aud(tlp.Organisations, "be-ccb", "nl-ncsc")),
		}, noOne},
		{"real and exercise", []tlp.Marking{green(aud(tlp.Community)), exercise(green(aud(tlp.Community)), "cyber-europe-2026")}, "exercise and real-world data are never combined"},
		{"two exercises", []tlp.Marking{exercise(green(aud(tlp.Community)), "cyber-europe-2026"), exercise(green(aud(tlp.Community)), "blue-olex-2026")}, "exercise and real-world data are never combined"},
		{"invalid input", []tlp.Marking{green(aud(tlp.Community)), {TLP: tlp.Red, Audience: aud(tlp.Community)}}, "marking 2 is invalid"},
		{"unmarked input", []tlp.Marking{{}}, "unmarked input is refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tlp.Combine(dir, tc.in...)
			if err == nil {
				t.Fatalf("Combine(%+v) = %+v, want an error containing %q", tc.in, got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Combine(%+v) error = %v\nwant it to contain %q", tc.in, err, tc.want)
			}
		})
	}
}

// TestCombineKeepsTheExercise checks that a product of one exercise's items
// stays in that exercise.
func TestCombineKeepsTheExercise(t *testing.T) {
	const e = "cyber-europe-2026"
	got, err := tlp.Combine(newFakeDirectory(),
		tlp.Marking{TLP: tlp.Clear, Audience: aud(tlp.Public), Exercise: e},
		tlp.Marking{TLP: tlp.Amber, Audience: aud(tlp.Networks, "csirts-network"), Exercise: e},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got.Exercise != e || got.TLP != tlp.Amber || got.Audience.Kind != tlp.Networks {
		t.Errorf("Combine = %+v, want TLP:AMBER for csirts-network in exercise %s", got, e)
	}
}
