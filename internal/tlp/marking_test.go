package tlp_test

import (
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// TestValidateAudienceTooWide checks that an audience wider than the label
// allows is refused with a message saying why and what to use instead.
func TestValidateAudienceTooWide(t *testing.T) {
	tests := []struct {
		m    tlp.Marking
		want []string // fragments of the error; none means valid
	}{
		{tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Community}}, []string{"TLP:AMBER needs a networks, organisations or users audience", "every organisation on the platform"}},
		{tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Community}}, []string{"TLP:AMBER+STRICT needs a networks, organisations or users audience"}},
		{tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Public}}, []string{"public audience needs TLP:CLEAR"}},
		{tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Community}}, []string{"TLP:RED needs a users audience", "every user on the platform"}},
		{tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"eu-cyclone"}}}, []string{"TLP:RED needs a users audience", "whole organisations", "TLP:AMBER+STRICT"}},
		{tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: []string{"nl-ncsc"}}}, []string{"TLP:RED needs a users audience", "individual recipients"}},
		{tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Public}}, []string{"public audience needs TLP:CLEAR"}},
		{tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{"marie"}}}, nil},
		{tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{"marie"}}}, nil},
		{tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"eu-cyclone"}}}, nil},
		{tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}, nil},
		{tlp.Marking{TLP: tlp.Clear, Audience: tlp.Audience{Kind: tlp.Public}}, nil},
	}
	for _, tc := range tests {
		err := tc.m.Validate()
		if len(tc.want) == 0 {
			if err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tc.m, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Validate(%+v) accepted it, want an error containing %q", tc.m, tc.want)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Validate(%+v) = %v\nwant it to contain %q", tc.m, err, w)
			}
		}
	}
}
