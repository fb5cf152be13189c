package tlp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/tlp"
)

// TestParseLabelRefusesClassified checks that every EU classification marking,
// in the forms people actually type, is refused with a *ClassifiedError that
// points to the accredited channels (§76), rather than a bare "unknown label".
func TestParseLabelRefusesClassified(t *testing.T) {
	tests := []struct {
		in    string
		level string // the canonical level the error names
	}{
		{"RESTREINT UE", "RESTREINT UE/EU RESTRICTED"},
		{"EU RESTRICTED", "RESTREINT UE/EU RESTRICTED"},
		{"RESTREINT UE/EU RESTRICTED", "RESTREINT UE/EU RESTRICTED"},
		{"restreint ue / eu restricted", "RESTREINT UE/EU RESTRICTED"},
		{"  Restreint-UE  ", "RESTREINT UE/EU RESTRICTED"},
		{"EU_RESTRICTED", "RESTREINT UE/EU RESTRICTED"},
		{"eu-restricted", "RESTREINT UE/EU RESTRICTED"},
		{"RESTREINT\u00a0UE", "RESTREINT UE/EU RESTRICTED"},
		{"TLP:RESTREINT-UE", "RESTREINT UE/EU RESTRICTED"},
		{"CONFIDENTIEL UE", "CONFIDENTIEL UE/EU CONFIDENTIAL"},
		{"EU CONFIDENTIAL", "CONFIDENTIEL UE/EU CONFIDENTIAL"},
		{"CONFIDENTIEL UE/EU CONFIDENTIAL", "CONFIDENTIEL UE/EU CONFIDENTIAL"},
		{"confidentiel_ue", "CONFIDENTIEL UE/EU CONFIDENTIAL"},
		{"SECRET UE", "SECRET UE/EU SECRET"},
		{"EU SECRET", "SECRET UE/EU SECRET"},
		{"SECRET UE/EU SECRET", "SECRET UE/EU SECRET"},
		{"Secret-UE", "SECRET UE/EU SECRET"},
		{"TRES SECRET UE", "TRÈS SECRET UE/EU TOP SECRET"},
		{"TRÈS SECRET UE", "TRÈS SECRET UE/EU TOP SECRET"},
		{"très secret ue", "TRÈS SECRET UE/EU TOP SECRET"},
		{"TRE\u0300S SECRET UE", "TRÈS SECRET UE/EU TOP SECRET"}, // È decomposed: E and a combining grave accent
		{"EU TOP SECRET", "TRÈS SECRET UE/EU TOP SECRET"},
		{"TRÈS SECRET UE/EU TOP SECRET", "TRÈS SECRET UE/EU TOP SECRET"},
		{"tres-secret-ue/eu-top-secret", "TRÈS SECRET UE/EU TOP SECRET"},
		{"EU_TOP_SECRET", "TRÈS SECRET UE/EU TOP SECRET"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			l, err := tlp.ParseLabel(tc.in)
			if err == nil {
				t.Fatalf("ParseLabel(%q) = %q, want a *ClassifiedError", tc.in, l)
			}
			var ce *tlp.ClassifiedError
			if !errors.As(err, &ce) {
				t.Fatalf("ParseLabel(%q) error = %v (%T), want a *ClassifiedError", tc.in, err, err)
			}
			if ce.Marking != tc.level {
				t.Errorf("ParseLabel(%q): ClassifiedError.Marking = %q, want %q", tc.in, ce.Marking, tc.level)
			}
			msg := err.Error()
			for _, want := range []string{"classified information (EU RESTRICTED and above) may not be entered on this platform", "accredited", "§76", "2013/488/EU"} {
				if !strings.Contains(msg, want) {
					t.Errorf("ParseLabel(%q) error = %q, want it to contain %q", tc.in, msg, want)
				}
			}
			if !tlp.IsClassifiedMarking(tc.in) {
				t.Errorf("IsClassifiedMarking(%q) = false, want true", tc.in)
			}
			if err := tlp.CheckClassified(tc.in); !errors.As(err, &ce) {
				t.Errorf("CheckClassified(%q) = %v, want a *ClassifiedError", tc.in, err)
			}
		})
	}
}

// TestIsClassifiedMarkingInText checks markings inside longer text, as a
// free-text form field or a STIX statement marking would carry them.
func TestIsClassifiedMarkingInText(t *testing.T) {
	for _, s := range []string{
		"This report is classified RESTREINT UE and must not be shared.",
		"Marking: EU RESTRICTED.",
		"(EU-SECRET) annex",
		"Copy 3 of 5 — TRÈS SECRET UE",
		"statement: SECRET UE/EU SECRET",
	} {
		if !tlp.IsClassifiedMarking(s) {
			t.Errorf("IsClassifiedMarking(%q) = false, want true", s)
		}
	}
}

// TestIsClassifiedMarkingOrdinaryWords checks that the words the phrases are
// made of, used on their own, are not mistaken for a classification: this
// platform says "secretariat" and "restricted" every day.
func TestIsClassifiedMarkingOrdinaryWords(t *testing.T) {
	for _, s := range []string{
		"",
		"secret",
		"SECRET",
		"restricted",
		"Restricted",
		"confidential",
		"Secretariat",
		"EU Secretariat",
		"EU-CyCLONe secretariat",
		"the CSIRTs Network secretariat",
		"EU secretariats",
		"EU confidentiality rules",
		"access restricted to EU Member States",
		"restreint",
		"confidentiel",
		"UE",
		"EU",
		"top secret",
		"TOP SECRET",
		"the secret used by the attacker",
		"TLP:RED",
		"TLP:AMBER+STRICT",
		"eu-cyclone",
		"ENISA",
		"CERT-EU",
	} {
		if tlp.IsClassifiedMarking(s) {
			t.Errorf("IsClassifiedMarking(%q) = true, want false", s)
		}
		if err := tlp.CheckClassified(s); err != nil {
			t.Errorf("CheckClassified(%q) = %v, want nil", s, err)
		}
	}
	// TLP labels still parse as before.
	for _, l := range tlp.Labels() {
		if got, err := tlp.ParseLabel(string(l)); err != nil || got != l {
			t.Errorf("ParseLabel(%q) = %q, %v; want %q", l, got, err, l)
		}
	}
	// Words that are not a label stay an ordinary refusal, not a classified one.
	for _, s := range []string{"SECRET", "restricted", "Secretariat"} {
		_, err := tlp.ParseLabel(s)
		var ce *tlp.ClassifiedError
		if err == nil || errors.As(err, &ce) {
			t.Errorf("ParseLabel(%q) error = %v, want an unknown-label error, not a classified one", s, err)
		}
	}
}

// TestClassifiedErrorZeroValue checks that a ClassifiedError built by another
// parser without a level still says where to go.
func TestClassifiedErrorZeroValue(t *testing.T) {
	msg := (&tlp.ClassifiedError{}).Error()
	if !strings.HasPrefix(msg, "classified information") || !strings.Contains(msg, "§76") {
		t.Errorf("ClassifiedError{}.Error() = %q", msg)
	}
}
