package tlp_test

import (
	"slices"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

func TestParseAudience(t *testing.T) {
	for s, want := range map[string]tlp.Audience{
		"community":                           {Kind: tlp.Community},
		"public":                              {Kind: tlp.Public},
		"networks:csirts-network, eu-cyclone": {Kind: tlp.Networks, IDs: []string{"csirts-network", "eu-cyclone"}},
		"organisations:nl-ncsc,,":             {Kind: tlp.Organisations, IDs: []string{"nl-ncsc"}},
	} {
		got, err := tlp.ParseAudience(s)
		if err != nil || got.Kind != want.Kind || !slices.Equal(got.IDs, want.IDs) {
			t.Errorf("%q: %+v %v, want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "everyone", "Networks:x"} {
		if _, err := tlp.ParseAudience(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// FuzzParseAudience: whatever is typed, parsing never panics, and an accepted
// audience has a known kind and no empty id.
func FuzzParseAudience(f *testing.F) {
	for _, s := range []string{"community", "networks:csirts-network,eu-cyclone", "users:", "organisations: , ,x", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := tlp.ParseAudience(s)
		if err != nil {
			return
		}
		if !slices.Contains([]tlp.AudienceKind{tlp.Public, tlp.Community, tlp.Networks, tlp.Organisations, tlp.Users}, a.Kind) || slices.Contains(a.IDs, "") {
			t.Fatalf("%q → %+v", s, a)
		}
	})
}
