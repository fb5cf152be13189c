package playbook

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
)

// Duration is a clock's span: a fixed Span or a number of calendar Months.
// Exactly one is set in a valid Duration. Months are kept apart because "one
// month" in NIS2 art. 23(4)(d) is a calendar month, not 30 days.
type Duration struct {
	Span   time.Duration
	Months int
}

// maxMonths bounds a span in months, far beyond any deadline, so that date
// arithmetic cannot overflow.
const maxMonths = 1200

func (d Duration) positive() bool {
	switch {
	case d.Span != 0 && d.Months != 0:
		return false
	case d.Months != 0:
		return d.Months > 0 && d.Months <= maxMonths
	}
	return d.Span > 0
}

// From returns when a clock of this span started at start runs out. Months
// are added as the model counts legal deadlines: 31 January plus one month is
// the last day of February.
func (d Duration) From(start time.Time) time.Time {
	if d.Months != 0 {
		due, _ := model.Deadline{Months: d.Months}.Due(start)
		return due
	}
	return start.Add(d.Span)
}

// String gives the span in the syntax ParseOverrides reads: "24h", "90m",
// "1h30m", "1mo".
func (d Duration) String() string {
	if d.Months != 0 {
		return strconv.Itoa(d.Months) + "mo"
	}
	s := d.Span.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Words gives the span for people: "24h", "1 month", "3 months".
func (d Duration) Words() string {
	switch {
	case d.Months == 1:
		return "1 month"
	case d.Months != 0:
		return strconv.Itoa(d.Months) + " months"
	}
	return d.String()
}

// MarshalText writes the span as String does, so JSON shows "24h" or "1mo".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// parseDuration reads a Go duration ("12h", "90m") or a number of calendar
// months ("1mo"), which must be positive.
func parseDuration(s string) (Duration, error) {
	if n, ok := strings.CutSuffix(s, "mo"); ok {
		months, err := strconv.Atoi(n)
		if err != nil || months <= 0 || months > maxMonths || n != strconv.Itoa(months) {
			return Duration{}, fmt.Errorf("%q is not a number of months from 1 to %d followed by mo", s, maxMonths)
		}
		return Duration{Months: months}, nil
	}
	span, err := time.ParseDuration(s)
	if err != nil {
		return Duration{}, fmt.Errorf("%q is not a duration such as 24h, 90m or 1mo", s)
	}
	if span <= 0 {
		return Duration{}, fmt.Errorf("%q is not positive", s)
	}
	return Duration{Span: span}, nil
}

// ParseOverrides reads clock overrides as an operator writes them:
// "undue-delay=12h,reserve-deployment=24h". A span is a Go duration or a
// number of calendar months ("1mo"). Each id must be a clock of the embedded
// playbook and appear once. An empty string gives no overrides. The error is
// Invalid and names the item at fault.
func ParseOverrides(s string) (map[string]Duration, error) {
	out := map[string]Duration{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	known, err := embeddedClockIDs()
	if err != nil {
		return nil, fmt.Errorf("playbook.ParseOverrides: %w", err)
	}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		id, span, ok := strings.Cut(item, "=")
		id, span = strings.TrimSpace(id), strings.TrimSpace(span)
		switch {
		case item == "":
			return nil, failure.New(failure.Invalid, "clock overrides %q: empty item; write id=span, separated by commas", s)
		case !ok || id == "" || span == "":
			return nil, failure.New(failure.Invalid, "clock override %q: write id=span, for example undue-delay=12h", item)
		case !known[id]:
			return nil, failure.New(failure.Invalid, "clock override %q: no clock %q; known clocks: %s", item, id, strings.Join(sortedKeys(known), ", "))
		}
		if _, dup := out[id]; dup {
			return nil, failure.New(failure.Invalid, "clock override %q: clock %q is given twice", item, id)
		}
		d, err := parseDuration(span)
		if err != nil {
			return nil, failure.New(failure.Invalid, "clock override %q: %v", item, err)
		}
		out[id] = d
	}
	return out, nil
}

// FormatOverrides writes overrides as ParseOverrides reads them, sorted by id.
func FormatOverrides(o map[string]Duration) string {
	parts := make([]string, 0, len(o))
	for _, id := range sortedKeys(o) {
		parts = append(parts, id+"="+o[id].String())
	}
	return strings.Join(parts, ",")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
