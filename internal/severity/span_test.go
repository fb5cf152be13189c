package severity

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

func TestSpanJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		out  string // what it writes back
	}{
		{`"90m"`, 90 * time.Minute, `"1h30m0s"`},
		{`"1h30m0s"`, 90 * time.Minute, `"1h30m0s"`},
		{`"1.5h"`, 90 * time.Minute, `"1h30m0s"`},
		{`"45s"`, 45 * time.Second, `"45s"`},
		{`"10.001s"`, 10*time.Second + time.Millisecond, `"10.001s"`},
		{`"0"`, 0, `"0s"`},
		{`"0s"`, 0, `"0s"`},
		{`"2562047h47m16.854775807s"`, time.Duration(1<<63 - 1), `"2562047h47m16.854775807s"`},
	} {
		var s Span
		if err := json.Unmarshal([]byte(tc.in), &s); err != nil || time.Duration(s) != tc.want {
			t.Errorf("%s: got %v, %v; want %v", tc.in, time.Duration(s), err, tc.want)
			continue
		}
		if b, err := json.Marshal(s); err != nil || string(b) != tc.out {
			t.Errorf("%s: writes %s, %v; want %s", tc.in, b, err, tc.out)
		}
	}
	for in, want := range map[string]string{
		`"5 hours"`:                  `"5 hours" is not a duration: write hours, minutes and seconds as in "90m", "1h30m" or "45s"`,
		`""`:                         `"" is not a duration`,
		`"5"`:                        `"5" is not a duration`,
		`"-5m"`:                      `duration "-5m" is negative`,
		`"2562047h47m16.854775808s"`: `is not a duration`,
		`18000000000000`:             `a duration is a string such as "90m" or "1h30m", not a number`,
		`-1`:                         `not a number`,
		`true`:                       `not a boolean`,
		`{"h":5}`:                    `not an object`,
		`["5h"]`:                     `not an array`,
	} {
		s := Span(time.Minute)
		err := json.Unmarshal([]byte(in), &s)
		if !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want an Invalid error saying %q", in, err, want)
		}
		if s != Span(time.Minute) {
			t.Errorf("%s: a refused value changed the span to %s", in, s)
		}
	}
	// null leaves the span alone, as encoding/json does for other types.
	s := Span(time.Minute)
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || s != Span(time.Minute) {
		t.Errorf("null: %s, %v", s, err)
	}
	if _, err := json.Marshal(Span(-time.Second)); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("a negative span was written: %v", err)
	}
}

// TestEntityImpactJSON: durations are strings, money is integer cents, and
// what is written reads back as it was.
func TestEntityImpactJSON(t *testing.T) {
	in := EntityImpact{
		Entity:                   CloudComputingServiceProvider,
		DirectFinancialLoss:      Known[int64](120_000 * eur),
		Users:                    Known[int64](2_000_000),
		CompletelyUnavailableFor: Known(Span(5 * time.Hour)),
		LimitedAvailabilityFor:   Known(Span(90 * time.Minute)),
		LimitedAvailabilityUsers: Known[int64](0),
		Slowdown:                 &Slowdown{AverageResponse: Span(12 * time.Second), Duration: Span(2 * time.Hour)},
		ICACompromised:           Known(false),
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"entity":"cloud-computing-service-provider","direct_financial_loss_cents":12000000,"users":2000000,` +
		`"completely_unavailable_for":"5h0m0s","limited_availability_for":"1h30m0s","limited_availability_users":0,` +
		`"slowdown":{"average_response":"12s","duration":"2h0m0s"},"ica_compromised":false}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back EntityImpact
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Errorf("read back %+v, %v", back, err)
	}
	// Every entity type's quiet incident, with every figure given, too.
	for _, e := range EntityTypes() {
		q := quiet(e)
		var back EntityImpact
		if err := json.Unmarshal(mustMarshal(t, q), &back); err != nil || !reflect.DeepEqual(back, q) {
			t.Errorf("%s: read back %+v, %v", e, back, err)
		}
	}
	// A reporter's own spelling of a duration reads as the same span.
	var typed EntityImpact
	if err := json.Unmarshal([]byte(`{"entity":"trust-service-provider","unavailable_in_week":"75m"}`), &typed); err != nil ||
		typed.UnavailableInWeek == nil || *typed.UnavailableInWeek != Span(75*time.Minute) {
		t.Errorf("75m: %+v, %v", typed, err)
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEntityImpactValidate(t *testing.T) {
	for _, e := range EntityTypes() {
		if err := quiet(e).Validate(); err != nil {
			t.Errorf("%s: %v", e, err)
		}
		if err := (EntityImpact{Entity: e}).Validate(); err != nil {
			t.Errorf("%s with nothing known: %v", e, err)
		}
	}
	for _, tc := range []struct {
		name   string
		change func(*EntityImpact)
		want   []string // "field: message"
	}{
		{"no entity type", func(in *EntityImpact) { in.Entity = "" },
			[]string{"entity: is missing: one of dns-service-provider, tld-name-registry, cloud-computing-service-provider"}},
		{"an entity type the Regulation does not cover", func(in *EntityImpact) { in.Entity = "hospital" },
			[]string{`entity: "hospital" is not an entity type Regulation (EU) 2024/2690 covers: one of dns-service-provider,`, "trust-service-provider (its Art 1)", "national thresholds (NIS2 art. 23(3))"}},
		{"negative figures", func(in *EntityImpact) {
			in.Users, in.DirectFinancialLoss, in.DomainNamesManaged = Known[int64](-1), Known[int64](-1), Known[int64](-5)
			in.CompletelyUnavailableFor, in.Slowdown = Known(Span(-time.Minute)), &Slowdown{Duration: Span(-time.Hour)}
		}, []string{
			"direct_financial_loss_cents: cannot be negative", "users: cannot be negative", "domain_names_managed: cannot be negative",
			"completely_unavailable_for: cannot be negative (-1m0s)", "slowdown.duration: cannot be negative (-1h0m0s)",
		}},
		{"absurd figures", func(in *EntityImpact) {
			in.AnnualTurnover, in.ICAUsers = Known[int64](maxCents+1), Known[int64](1<<53+1)
		}, []string{"annual_turnover_cents: must be at most EUR 1 000 000 000 000", "ica_users: must be at most 10 000 000 000"}},
		{"more users affected than the service has", func(in *EntityImpact) {
			in.Users = Known[int64](1_000)
			in.CompletelyUnavailableUsers, in.LimitedAvailabilityUsers, in.ICAUsers = Known[int64](1_001), Known[int64](1_000), Known[int64](2_000)
		}, []string{"completely_unavailable_users: is more than users (1 000)", "ica_users: is more than users (1 000)"}},
		{"more domain names misconfigured than managed", func(in *EntityImpact) {
			in.DomainNamesAffected, in.DomainNamesManaged = Known[int64](11), Known[int64](10)
		}, []string{"domain_names_affected: is more than domain_names_managed (10)"}},
		{"more than a week in a week", func(in *EntityImpact) { in.UnavailableInWeek = Known(Span(169 * time.Hour)) },
			[]string{"unavailable_in_week: 169h0m0s is longer than a calendar week (168h0m0s)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := quiet(DNSServiceProvider)
			tc.change(&in)
			err := in.Validate()
			if !failure.Is(err, failure.Invalid) {
				t.Fatalf("err = %v, want Invalid", err)
			}
			var msgs []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var fe *failure.Error
				if !errors.As(e, &fe) || fe.Field == "" || fe.Kind != failure.Invalid {
					t.Errorf("not a field error: %v", e)
				}
				msgs = append(msgs, e.Error())
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("errors lack %q:\n%s", w, all)
				}
			}
			if strings.Contains(tc.name, "more users") && strings.Contains(all, "limited_availability_users") {
				t.Errorf("as many users as the service has is not more: %s", all)
			}
		})
	}
}
