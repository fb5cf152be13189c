package severity

import (
	"encoding/json"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// Span is how long something lasted, as EntityImpact gives it. It is a
// time.Duration that JSON writes as a Go duration string ("90m", "1h30m0s"),
// because the nanosecond count a Duration marshals to is something no
// reporter reads or types correctly. It is never negative: nothing lasts less
// than no time, and a negative figure is a mistake, not an impact.
type Span time.Duration

// String writes the span as time.Duration does: 1h30m0s.
func (s Span) String() string { return time.Duration(s).String() }

// MarshalJSON refuses a negative span, so that what it writes always reads
// back.
func (s Span) MarshalJSON() ([]byte, error) {
	if s < 0 {
		return nil, failure.New(failure.Invalid, "duration %s is negative", s)
	}
	return json.Marshal(s.String())
}

// UnmarshalJSON reads a string in the form of time.ParseDuration: "90m",
// "1h30m", "45s", "1.5h". A number is refused rather than taken as
// nanoseconds or seconds: guessing the unit would change the suggestion.
func (s *Span) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil // as encoding/json treats null for other types
	}
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		return failure.New(failure.Invalid, `a duration is a string such as "90m" or "1h30m", not %s`, jsonValueKind(b))
	}
	d, err := time.ParseDuration(text)
	switch {
	case err != nil:
		return failure.New(failure.Invalid, `%q is not a duration: write hours, minutes and seconds as in "90m", "1h30m" or "45s"`, text)
	case d < 0:
		return failure.New(failure.Invalid, "duration %q is negative: give how long it lasted", text)
	}
	*s = Span(d)
	return nil
}

// jsonValueKind names the kind of a JSON value for a message, without
// quoting what may be a whole object.
func jsonValueKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "an object"
	case b[0] == '[':
		return "an array"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		return "a number"
	}
	return "that value"
}
