package event_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/event"
)

// FuzzDecode feeds arbitrary bytes to Decode, as a corrupted or hostile database
// row would. Decode must never panic; and an event that decodes and validates must
// encode, and its canonical bytes must read back as the same event and re-encode
// to the same bytes (the ledger hashes exactly these bytes).
func FuzzDecode(f *testing.F) {
	canon, err := validEvent().Canonical()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(canon)
	f.Add([]byte(`{"actor":{"organisation":"o","user":"u"},"id":"` + fixedID + `","marking":{"audience":{"kind":"public"},"tlp":"TLP:CLEAR"},` +
		`"occurred_at":"2026-11-30T03:40:00+01:00","payload":{ "b" : [1, 2.50, -0], "a" : "\u00e9" },"recorded_at":"2026-11-30T02:40:00Z",` +
		`"stream":"case-1","type":"case.opened","version":1}`))
	f.Add([]byte{})
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add(canon[:len(canon)/2])
	f.Add(append(append([]byte{}, canon...), '{', '}'))
	f.Add(bytes.Replace(canon, []byte(`"version":3`), []byte(`"version":-1`), 1))
	f.Add(bytes.Replace(canon, []byte(`"payload":{`), []byte(`"payload":[{`), 1))
	f.Add(append([]byte(`{"extra":true,`), canon[1:]...))
	// Boundaries: the largest version JSON numbers (IEEE doubles, RFC 8785) hold
	// exactly is 2^53; a time in year 0 that is in year -1 in UTC.
	f.Add(bytes.Replace(canon, []byte(`"version":3`), []byte(`"version":9007199254740993`), 1))
	f.Add(bytes.Replace(canon, []byte(`"occurred_at":"2026-11-30T02:40:00.123456789Z"`), []byte(`"occurred_at":"0000-01-01T00:30:00+01:00"`), 1))

	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := event.Decode(body)
		if err != nil {
			return
		}
		if e.Validate() != nil {
			return
		}
		c1, err := e.Canonical()
		if err != nil {
			t.Fatalf("Validate accepted the event but Canonical failed: %v\ninput: %q", err, body)
		}
		e2, err := event.Decode(c1)
		if err != nil {
			t.Fatalf("Decode refused Canonical's own output: %v\ncanonical: %s", err, c1)
		}
		if e2.ID != e.ID || e2.Stream != e.Stream || e2.Version != e.Version || e2.Type != e.Type ||
			!e2.OccurredAt.Equal(e.OccurredAt) || !e2.RecordedAt.Equal(e.RecordedAt) ||
			e2.Actor != e.Actor || e2.Marking.TLP != e.Marking.TLP || e2.Marking.Exercise != e.Marking.Exercise {
			t.Fatalf("canonical bytes read back as a different event\n  in: %s\n out: %s\ncanonical: %s", summary(e), summary(e2), c1)
		}
		c2, err := e2.Canonical()
		if err != nil {
			t.Fatalf("Canonical refused an event decoded from canonical bytes: %v\ncanonical: %s", err, c1)
		}
		if !bytes.Equal(c1, c2) {
			t.Fatalf("canonicalisation is not idempotent:\nfirst:  %s\nsecond: %s", c1, c2)
		}
	})
}

func summary(e event.Event) string {
	return fmt.Sprintf("id=%s stream=%s version=%d type=%s occurred_at=%s recorded_at=%s actor=%+v marking=%+v",
		e.ID, e.Stream, e.Version, e.Type, e.OccurredAt.Format(time.RFC3339Nano), e.RecordedAt.Format(time.RFC3339Nano), e.Actor, e.Marking)
}
