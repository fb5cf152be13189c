package playbook

import (
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

func TestParseOverrides(t *testing.T) {
	got, err := ParseOverrides(" undue-delay=12h, reserve-deployment = 90m,nis2-final-report=2mo ")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Duration{
		"undue-delay":        {Span: 12 * time.Hour},
		"reserve-deployment": {Span: 90 * time.Minute},
		"nis2-final-report":  {Months: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for id, d := range want {
		if got[id] != d {
			t.Errorf("%s = %v, want %v", id, got[id], d)
		}
	}
	if s := FormatOverrides(got); s != "nis2-final-report=2mo,reserve-deployment=1h30m,undue-delay=12h" {
		t.Errorf("FormatOverrides = %q", s)
	}
	if o, err := ParseOverrides(""); err != nil || len(o) != 0 {
		t.Errorf("empty: %v, %v", o, err)
	}
}

func TestParseOverridesRefuses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"undue=1h", `clock override "undue=1h": no clock "undue"; known clocks: `},
		{"undue-delay=abc", `clock override "undue-delay=abc": "abc" is not a duration`},
		{"undue-delay=0s", `"0s" is not positive`},
		{"undue-delay=-1h", `"-1h" is not positive`},
		{"undue-delay=0mo", `"0mo" is not a number of months`},
		{"undue-delay=1.5mo", `"1.5mo" is not a number of months`},
		{"undue-delay", `clock override "undue-delay": write id=span`},
		{"=12h", `clock override "=12h": write id=span`},
		{"undue-delay=1h,undue-delay=2h", `clock "undue-delay" is given twice`},
		{"undue-delay=1h,", "empty item"},
	}
	for _, tt := range tests {
		o, err := ParseOverrides(tt.in)
		if err == nil {
			t.Errorf("%q: accepted as %v", tt.in, o)
			continue
		}
		if !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v (kind %s), want invalid saying %q", tt.in, err, failure.KindOf(err), tt.want)
		}
		// The message a client sees must say what is wrong too.
		if !strings.Contains(failure.PublicMessage(err), tt.want) {
			t.Errorf("%q: public message %q lacks %q", tt.in, failure.PublicMessage(err), tt.want)
		}
	}
}

func TestWithClocksRefuses(t *testing.T) {
	p := MustDefault(t)
	for name, o := range map[string]map[string]Duration{
		"unknown":  {"undue": {Span: time.Hour}},
		"zero":     {"undue-delay": {}},
		"negative": {"undue-delay": {Span: -time.Hour}},
		"both":     {"undue-delay": {Span: time.Hour, Months: 1}},
	} {
		if _, err := p.WithClocks(o); !failure.Is(err, failure.Invalid) {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		d     Duration
		s     string
		words string
	}{
		{Duration{Span: 24 * time.Hour}, "24h", "24h"},
		{Duration{Span: 90 * time.Minute}, "1h30m", "1h30m"},
		{Duration{Span: 45 * time.Second}, "45s", "45s"},
		{Duration{Months: 1}, "1mo", "1 month"},
		{Duration{Months: 3}, "3mo", "3 months"},
	} {
		if tt.d.String() != tt.s || tt.d.Words() != tt.words {
			t.Errorf("%#v: %q, %q", tt.d, tt.d.String(), tt.d.Words())
		}
		var back Duration
		if err := back.UnmarshalText([]byte(tt.s)); err != nil || back != tt.d {
			t.Errorf("%q read back as %#v, %v", tt.s, back, err)
		}
	}
	// A calendar month, kept to the end of a shorter month.
	jan31 := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	if got := (Duration{Months: 1}).From(jan31); !got.Equal(time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("31 January + 1 month = %v", got)
	}
	if got := (Duration{Span: 24 * time.Hour}).From(jan31); !got.Equal(jan31.Add(24 * time.Hour)) {
		t.Errorf("31 January + 24h = %v", got)
	}
}

// TestClocksMatchTheModel: the playbook's clocks give the model's figures, and
// the undue-delay default says it is the node's own.
func TestClocksMatchTheModel(t *testing.T) {
	p := MustDefault(t)
	m := MustModel(t)
	for _, c := range p.Clocks() {
		if c.Overridden() {
			t.Errorf("%s overridden in the default playbook", c.ID)
		}
		if len(c.Model) == 0 {
			t.Errorf("%s names no model clock", c.ID)
		}
		for _, id := range c.Model {
			if _, ok := m.Clock(id); !ok {
				t.Errorf("%s: model clock %q missing", c.ID, id)
			}
		}
	}
	u, ok := p.Clock("undue-delay")
	if !ok || u.Duration.Span != 24*time.Hour || !strings.Contains(u.Source, "no figure") {
		t.Errorf("undue-delay: %+v", u)
	}
	if f, _ := p.Clock("nis2-final-report"); f.Duration != (Duration{Months: 1}) {
		t.Errorf("nis2-final-report: %v, want one calendar month", f.Duration)
	}
}
