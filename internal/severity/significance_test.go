package severity

import (
	"strings"
	"testing"
)

func TestSuggestSignificant(t *testing.T) {
	tax := mustDefault(t)
	input := func(a Assessment, other *bool) SignificanceInput {
		in := tax.SignificanceInput(a)
		in.OtherPersonsAffected = other
		return in
	}
	for _, tc := range []struct {
		name    string
		in      SignificanceInput
		outcome Outcome
		want    []string // substrings of the reasons, in order
	}{
		{
			name:    "severe disruption at the threshold",
			in:      input(levels(2, 0, 0, 0), Known(false)),
			outcome: OutcomeSignificant,
			want:    []string{"§7(b)(a): service delivery at level 2 (major), at or above level 2: a severe operational disruption of the services"},
		},
		{
			name:    "financial loss at the threshold",
			in:      input(levels(0, 0, 0, 2), Known(false)),
			outcome: OutcomeSignificant,
			want:    []string{"§7(b)(a): damage at level 2 (considerable), at or above level 2: financial loss for the entity"},
		},
		{
			name:    "other persons affected",
			in:      input(levels(0, 0, 0, 0), Known(true)),
			outcome: OutcomeSignificant,
			want:    []string{"§7(b)(b): other natural or legal persons are, or can be, affected by considerable material or non-material damage"},
		},
		{
			name:    "both limbs",
			in:      input(levels(3, 0, 0, 3), Known(true)),
			outcome: OutcomeSignificant,
			want:    []string{"service delivery at level 3", "damage at level 3", "§7(b)(b)"},
		},
		{
			name:    "below every threshold",
			in:      input(levels(1, 3, 3, 1), Known(false)),
			outcome: OutcomeNotSignificant,
			want: []string{
				"§7(b)(a): service delivery at level 1 (degraded), below level 2, from which the severity taxonomy counts it as a severe operational disruption of the services",
				"§7(b)(a): damage at level 1 (limited), below level 2",
				"§7(b)(b): no other natural or legal persons",
			},
		},
		{
			name:    "other persons not known",
			in:      input(levels(1, 0, 0, 1), nil),
			outcome: OutcomeNotEnoughInformation,
			want:    []string{"§7(b)(b): not enough information: the report does not say whether other natural or legal persons", "§7(b)(a): service delivery at level 1"},
		},
		{
			name:    "levels not assessed",
			in:      input(Assessment{}, Known(false)),
			outcome: OutcomeNotEnoughInformation,
			want: []string{
				"§7(b)(a): not enough information: service delivery is not assessed, so it is unknown whether there is a severe operational disruption of the services",
				"§7(b)(a): not enough information: damage is not assessed",
			},
		},
		{
			name:    "met despite missing information",
			in:      input(Assessment{"service-delivery": 3}, nil),
			outcome: OutcomeSignificant,
			want:    []string{"service delivery at level 3"},
		},
		{
			name:    "no thresholds at all",
			in:      SignificanceInput{OtherPersonsAffected: Known(false)},
			outcome: OutcomeNotEnoughInformation,
			want:    []string{"the severity taxonomy sets no service delivery level that means a severe operational disruption of the services"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SuggestSignificant(tc.in)
			if s.Outcome != tc.outcome || s.Significant != (tc.outcome == OutcomeSignificant) {
				t.Errorf("got %s (significant %v), want %s: %+v", s.Outcome, s.Significant, tc.outcome, s.Reasons)
			}
			checkReasons(t, s, tc.want)
			for _, r := range s.Reasons {
				if !strings.Contains(r.Ref, "§7(b)") || !strings.HasPrefix(r.Text, "§7(b)") {
					t.Errorf("reason does not cite §7(b): %+v", r)
				}
			}
		})
	}
}

// checkReasons checks that the reasons hold each wanted substring, in order.
func checkReasons(t *testing.T, s Suggestion, want []string) {
	t.Helper()
	if len(s.Reasons) == 0 {
		t.Fatal("suggestion without reasons")
	}
	texts := make([]string, len(s.Reasons))
	for i, r := range s.Reasons {
		texts[i] = r.Text
		if r.Ref == "" {
			t.Errorf("reason without ref: %q", r.Text)
		}
	}
	all := strings.Join(texts, "\n")
	at := 0
	for _, w := range want {
		i := strings.Index(all[at:], w)
		if i < 0 {
			t.Errorf("reasons lack %q (in this order):\n%s", w, all)
			return
		}
		at += i + len(w)
	}
}

func TestSignificanceInput(t *testing.T) {
	tax := mustDefault(t)
	in := tax.SignificanceInput(Assessment{"service-delivery": 2, "damage": 9})
	if want := (Reading{Assessed: true, Level: 2, Threshold: 2, Dimension: "Service delivery", Label: "major"}); in.ServiceDelivery != want {
		t.Errorf("service delivery reads %+v, want %+v", in.ServiceDelivery, want)
	}
	if in.Damage.Assessed || in.Damage.Threshold != 2 {
		t.Errorf("damage at an impossible level reads %+v, want not assessed", in.Damage)
	}
	if in.OtherPersonsAffected != nil {
		t.Error("OtherPersonsAffected is the caller's to set")
	}
	small, err := Parse("small.yaml", []byte(smallTaxonomy))
	if err != nil {
		t.Fatal(err)
	}
	if in := small.SignificanceInput(Assessment{"a": 1}); in.ServiceDelivery.Threshold != 0 || in.Damage.Threshold != 0 {
		t.Errorf("a taxonomy without a significance rule gave thresholds: %+v", in)
	}
}
