package tlp_test

import (
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

func TestParseLabel(t *testing.T) {
	tests := []struct {
		in   string
		want tlp.Label // "" means refused
	}{
		// The exact FIRST TLP 2.0 forms.
		{"TLP:CLEAR", tlp.Clear},
		{"TLP:GREEN", tlp.Green},
		{"TLP:AMBER", tlp.Amber},
		{"TLP:AMBER+STRICT", tlp.AmberStrict},
		{"TLP:RED", tlp.Red},
		// Lower and mixed case are accepted (capitals are a SHOULD).
		{"tlp:clear", tlp.Clear},
		{"tlp:amber+strict", tlp.AmberStrict},
		{"Tlp:Red", tlp.Red},
		// TLP 1.0's WHITE is read as its replacement.
		{"TLP:WHITE", tlp.Clear},
		{"tlp:white", tlp.Clear},
		// Refused: spaces (a MUST NOT), missing prefix, unknown labels, unmarked.
		{"TLP: RED", ""},
		{"TLP:AMBER STRICT", ""},
		{" TLP:RED", ""},
		{"TLP:RED\n", ""},
		{"TLP:RED\t", ""},
		{"", ""},
		{"RED", ""},
		{"TLP:PURPLE", ""},
		{"TLP:AMBER+", ""},
		{"TLP:AMBER-STRICT", ""},
		{"TLP:", ""},
		{"TLP;RED", ""},
	}
	for _, tc := range tests {
		got, err := tlp.ParseLabel(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseLabel(%q) = %q, want a refusal", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseLabel(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseLabelErrorsExplain(t *testing.T) {
	if _, err := tlp.ParseLabel(""); err == nil || !strings.Contains(err.Error(), "unmarked") {
		t.Errorf("empty label: err = %v, want it to say unmarked input is refused", err)
	}
	if _, err := tlp.ParseLabel("TLP: RED"); err == nil || !strings.Contains(err.Error(), "space") {
		t.Errorf("label with a space: err = %v, want it to mention the space", err)
	}
	if _, err := tlp.ParseLabel("TLP:PURPLE"); err == nil || !strings.Contains(err.Error(), "TLP:AMBER+STRICT") {
		t.Errorf("unknown label: err = %v, want it to list the labels", err)
	}
}

func TestRankOrder(t *testing.T) {
	order := []tlp.Label{tlp.Clear, tlp.Green, tlp.Amber, tlp.AmberStrict, tlp.Red}
	for i, l := range order {
		if l.Rank() != i {
			t.Errorf("%s.Rank() = %d, want %d", l, l.Rank(), i)
		}
		if !l.Valid() {
			t.Errorf("%s is not Valid", l)
		}
		if i > 0 && order[i-1].Rank() >= l.Rank() {
			t.Errorf("%s must rank below %s", order[i-1], l)
		}
	}
	labels := tlp.Labels()
	if len(labels) != len(order) {
		t.Fatalf("Labels() = %v, want %v", labels, order)
	}
	for i := range order {
		if labels[i] != order[i] {
			t.Fatalf("Labels() = %v, want %v (least to most restrictive)", labels, order)
		}
	}
	for _, bad := range []tlp.Label{"", "TLP:WHITE", "tlp:red", "TLP:PURPLE"} {
		if bad.Rank() != -1 || bad.Valid() {
			t.Errorf("%q: Rank = %d, Valid = %v; want -1, false", bad, bad.Rank(), bad.Valid())
		}
	}
}

func TestMarkingValidate(t *testing.T) {
	tests := []struct {
		name string
		m    tlp.Marking
		want string // "" means valid
	}{
		{"public CLEAR", tlp.Marking{TLP: tlp.Clear, Audience: tlp.Audience{Kind: tlp.Public}}, ""},
		{"community GREEN", tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}}, ""},
		{"networks AMBER", tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}}, ""},
		{"organisations AMBER+STRICT", tlp.Marking{TLP: tlp.AmberStrict, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: []string{"nl-ncsc"}}}, ""},
		{"users RED in an exercise", tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users, IDs: []string{"sanne", "jan"}}, Exercise: "cyber-europe-2026"}, ""},

		{"unmarked", tlp.Marking{}, "marking.tlp is missing"},
		{"unmarked with audience", tlp.Marking{Audience: tlp.Audience{Kind: tlp.Community}}, "marking.tlp is missing"},
		{"unknown label", tlp.Marking{TLP: "TLP:WHITE", Audience: tlp.Audience{Kind: tlp.Community}}, `marking.tlp "TLP:WHITE" is not a TLP 2.0 label`},
		{"public GREEN", tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Public}}, "public audience needs TLP:CLEAR"},
		{"public RED", tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Public}}, "public audience needs TLP:CLEAR"},
		{"public with ids", tlp.Marking{TLP: tlp.Clear, Audience: tlp.Audience{Kind: tlp.Public, IDs: []string{"x"}}}, "ids must be empty"},
		{"networks without ids", tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks}}, "must name at least one recipient"},
		{"users without ids", tlp.Marking{TLP: tlp.Red, Audience: tlp.Audience{Kind: tlp.Users}}, "must name at least one recipient"},
		{"empty id", tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Organisations, IDs: []string{"a", ""}}}, "contains an empty id"},
		{"no audience", tlp.Marking{TLP: tlp.Amber}, "marking.audience.kind is missing"},
		{"unknown kind", tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: "everyone"}}, `marking.audience.kind "everyone" is unknown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate(%+v) = %v, want nil", tc.m, err)
			case tc.want != "" && err == nil:
				t.Fatalf("Validate(%+v) accepted it, want an error containing %q", tc.m, tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("Validate(%+v) = %v\nwant it to contain %q", tc.m, err, tc.want)
			}
		})
	}
}
