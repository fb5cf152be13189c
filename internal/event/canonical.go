package event

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gowebpki/jcs"
)

// The envelope is written straight into RFC 8785 form: members in code-point
// order, strings escaped as ECMAScript's JSON.stringify does, no whitespace. Only
// the payload, whose shape is the caller's, goes through the general JCS
// transform. Writing the envelope by hand halves the cost of an append compared
// with encoding and re-parsing it; canonical_test.go checks both ways give the
// same bytes.

// maxSafeInteger is the largest integer an IEEE double holds exactly; RFC 8785
// numbers are doubles, so a larger version would change when read back.
const maxSafeInteger = 1<<53 - 1

// timeLayout is RFC 3339 with nanoseconds, as encoding/json writes time.Time.
const timeLayout = time.RFC3339Nano

// canonicalPayload returns the payload in RFC 8785 form, or the reason it has
// none (duplicate keys, invalid UTF-8, lone surrogates, numbers out of range).
func canonicalPayload(p []byte) ([]byte, error) {
	return jcs.Transform(p)
}

// encodeCanonical writes e, whose fields are valid, with payload already canonical.
func encodeCanonical(e Event, payload []byte) []byte {
	b := make([]byte, 0, 320+len(payload))
	b = append(b, `{"actor":{"organisation":`...)
	b = appendString(b, e.Actor.Organisation)
	b = append(b, `,"user":`...)
	b = appendString(b, e.Actor.User)
	b = append(b, `},"id":`...)
	b = appendString(b, e.ID)
	b = append(b, `,"marking":{"audience":{`...)
	if len(e.Marking.Audience.IDs) > 0 {
		b = append(b, `"ids":[`...)
		for i, id := range e.Marking.Audience.IDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, id)
		}
		b = append(b, `],`...)
	}
	b = append(b, `"kind":`...)
	b = appendString(b, string(e.Marking.Audience.Kind))
	b = append(b, '}')
	if e.Marking.Exercise != "" {
		b = append(b, `,"exercise":`...)
		b = appendString(b, e.Marking.Exercise)
	}
	b = append(b, `,"tlp":`...)
	b = appendString(b, string(e.Marking.TLP))
	b = append(b, `},"occurred_at":`...)
	b = appendString(b, e.OccurredAt.UTC().Format(timeLayout))
	b = append(b, `,"payload":`...)
	b = append(b, payload...)
	b = append(b, `,"recorded_at":`...)
	b = appendString(b, e.RecordedAt.UTC().Format(timeLayout))
	b = append(b, `,"stream":`...)
	b = appendString(b, e.Stream)
	b = append(b, `,"type":`...)
	b = appendString(b, e.Type)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, e.Version, 10)
	return append(b, '}')
}

// appendString writes s as RFC 8785 §3.2.2.2 asks: '"' and '\' escaped, the five
// short escapes for \b \f \n \r \t, other control characters as \u00XX in lower
// case hex, everything else (including U+2028, U+2029 and '<') as is. s must be
// valid UTF-8; invalid bytes are written as U+FFFD, as encoding/json does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// isCanonical reports whether body is already in canonical form: decoding and
// encoding it again gives the same bytes.
func isCanonical(body []byte) bool {
	again, err := jcs.Transform(body)
	return err == nil && bytes.Equal(again, body)
}
