package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Deadline is when a clock runs out. Exactly one of Duration, Months, By and
// Date is set, or UndueDelay alone. UndueDelay may also accompany Duration or
// Months, for "without undue delay and in any event within ...".
type Deadline struct {
	// Duration is a fixed span in Go duration syntax ("24h"). It stays a string
	// so the JSON API and the data file show the same text.
	Duration string `yaml:"duration,omitempty" json:"duration,omitempty"`
	// Months counts calendar months, because "within one month" is not 30 days.
	Months int `yaml:"months,omitempty" json:"months,omitempty"`
	// UndueDelay is "without undue delay": act at once, no fixed span.
	UndueDelay bool `yaml:"undue_delay,omitempty" json:"undue_delay,omitempty"`
	// By is a day (MM-DD) in every year.
	By string `yaml:"by,omitempty" json:"by,omitempty"`
	// Date is a fixed calendar day (YYYY-MM-DD).
	Date string `yaml:"date,omitempty" json:"date,omitempty"`
	// Recurring restarts a Months deadline each time it is met.
	Recurring bool `yaml:"recurring,omitempty" json:"recurring,omitempty"`
}

// check reports what is wrong with the deadline, or nil.
func (d Deadline) check() error {
	kinds := 0
	if d.Duration != "" {
		kinds++
		dur, err := time.ParseDuration(d.Duration)
		if err != nil {
			return fmt.Errorf("duration %q: %w", d.Duration, err)
		}
		if dur <= 0 {
			return fmt.Errorf("duration %q must be positive", d.Duration)
		}
	}
	if d.Months != 0 {
		kinds++
		if d.Months < 0 {
			return fmt.Errorf("months %d must be positive", d.Months)
		}
	}
	if d.By != "" {
		kinds++
		if _, err := parseMonthDay(d.By); err != nil {
			return err
		}
	}
	if d.Date != "" {
		kinds++
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			return fmt.Errorf("date %q is not YYYY-MM-DD", d.Date)
		}
	}
	switch {
	case kinds > 1:
		return errors.New("deadline sets more than one of duration, months, by and date")
	case kinds == 0 && !d.UndueDelay:
		return errors.New("deadline sets none of duration, months, by, date and undue_delay")
	case d.UndueDelay && (d.By != "" || d.Date != ""):
		return errors.New("undue_delay goes with duration or months, not with a calendar day")
	case d.Recurring && d.Months == 0:
		return errors.New("recurring needs months")
	}
	return nil
}

func parseMonthDay(s string) (time.Time, error) {
	// Year 2000 is a leap year, so "02-29" is accepted as a yearly day.
	t, err := time.Parse("2006-01-02", "2000-"+s)
	if err != nil || len(s) != 5 {
		return time.Time{}, fmt.Errorf("by %q is not MM-DD", s)
	}
	return t, nil
}

// Fixed returns the fixed span of a Duration deadline.
func (d Deadline) Fixed() (time.Duration, bool) {
	if d.Duration == "" {
		return 0, false
	}
	dur, err := time.ParseDuration(d.Duration)
	return dur, err == nil
}

// Due returns when a clock started at start runs out. Calendar deadlines run to
// the end of their day in UTC. A bare "without undue delay" has no instant, so
// ok is false; so is a By day with no occurrence after start (never, in
// practice). A Recurring deadline gives its first occurrence.
func (d Deadline) Due(start time.Time) (due time.Time, ok bool) {
	start = start.UTC()
	switch {
	case d.Duration != "":
		dur, ok := d.Fixed()
		if !ok {
			return time.Time{}, false
		}
		return start.Add(dur), true
	case d.Months > 0:
		return addMonths(start, d.Months), true
	case d.Date != "":
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			return time.Time{}, false
		}
		return t.AddDate(0, 0, 1), true
	case d.By != "":
		md, err := parseMonthDay(d.By)
		if err != nil {
			return time.Time{}, false
		}
		// Look a few years ahead so that 02-29 finds its next leap year.
		for y := start.Year(); y <= start.Year()+8; y++ {
			day := time.Date(y, md.Month(), md.Day(), 0, 0, 0, 0, time.UTC)
			if day.Month() != md.Month() {
				continue // 02-29 in a common year
			}
			if end := day.AddDate(0, 0, 1); end.After(start) {
				return end, true
			}
		}
	}
	return time.Time{}, false
}

// addMonths adds calendar months, keeping to the last day of a shorter month
// (31 January + 1 month = 28 or 29 February), as legal deadlines are counted;
// time.AddDate would overflow into March.
func addMonths(t time.Time, months int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}

// String renders the deadline in words for tables and the UI.
func (d Deadline) String() string {
	var parts []string
	if d.UndueDelay {
		parts = append(parts, "without undue delay")
	}
	switch {
	case d.Duration != "":
		parts = append(parts, "within "+d.Duration)
	case d.Months == 1:
		parts = append(parts, "within 1 month")
	case d.Months > 0 && d.Recurring:
		parts = append(parts, fmt.Sprintf("every %d months", d.Months))
	case d.Months > 0:
		parts = append(parts, fmt.Sprintf("within %d months", d.Months))
	case d.By != "":
		parts = append(parts, "by "+d.By+" each year")
	case d.Date != "":
		parts = append(parts, "by "+d.Date)
	}
	return strings.Join(parts, ", at the latest ")
}
