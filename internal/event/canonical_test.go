package event

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gowebpki/jcs"

	"github.com/eucyber/blueprint/internal/tlp"
)

// referenceCanonical is the slow, obviously right way: encode with encoding/json
// and let the JCS library put it in canonical form.
func referenceCanonical(t *testing.T, e Event) []byte {
	t.Helper()
	e.OccurredAt, e.RecordedAt = e.OccurredAt.UTC(), e.RecordedAt.UTC()
	raw, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jcs.Transform(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func canonicalSample() Event {
	return Event{
		ID: "01936b2e-7c3a-7d4e-8f00-0123456789ab", Stream: "case-x", Version: 3, Type: "case.opened",
		OccurredAt: time.Date(2026, 12, 1, 3, 4, 5, 600, time.FixedZone("CET", 3600)),
		RecordedAt: time.Date(2026, 12, 1, 2, 4, 5, 0, time.UTC),
		Actor:      Actor{User: "sanne", Organisation: "nl-ncsc"},
		Marking:    tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network", "eu-cyclone"}}, Exercise: "cyber-europe-2026"},
		Payload:    json.RawMessage(`{"z":1,"a":[true,null,1.50,"x"],"é":"<&>"}`),
	}
}

func TestCanonicalMatchesReference(t *testing.T) {
	e := canonicalSample()
	for _, mutate := range []func(*Event){
		func(*Event) {},
		func(e *Event) { e.Marking.Exercise = "" },
		func(e *Event) { e.Marking.Audience = tlp.Audience{Kind: tlp.Community}; e.Marking.TLP = tlp.Green },
		func(e *Event) { e.Actor.User = "quote\" back\\ tab\t nl\n ctl\x01 del\x7f sep\u2028 ελληνικά" },
		func(e *Event) { e.Payload = json.RawMessage(`{}`) },
	} {
		c := e
		mutate(&c)
		got, err := c.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceCanonical(t, c); !bytes.Equal(got, want) {
			t.Errorf("canonical form differs from the JCS reference\n got %s\nwant %s", got, want)
		}
	}
}

// FuzzCanonicalMatchesReference: for any strings in the envelope, the hand-written
// encoder gives exactly the JCS library's bytes.
func FuzzCanonicalMatchesReference(f *testing.F) {
	f.Add("sanne", "nl-ncsc", "csirts-network", "ex", `{"a":1}`)
	f.Add("\u2028\x00\"\\", "é", "<>&", "", `{"b":[1e21,0.1,-0]}`)
	f.Fuzz(func(t *testing.T, user, org, network, exercise, payload string) {
		e := canonicalSample()
		e.Actor = Actor{User: user, Organisation: org}
		e.Marking.Audience.IDs = []string{network}
		e.Marking.Exercise = exercise
		e.Payload = json.RawMessage(payload)
		got, err := e.Canonical()
		if err != nil {
			return // invalid input; the reference would refuse it too or it fails Validate
		}
		e.OccurredAt, e.RecordedAt = e.OccurredAt.UTC(), e.RecordedAt.UTC()
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		want, err := jcs.Transform(raw)
		if err != nil {
			t.Fatalf("the reference refuses what Canonical accepted: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("differs\n got %q\nwant %q", got, want)
		}
		if !isCanonical(got) {
			t.Fatalf("not a fixed point of JCS: %q", got)
		}
	})
}
