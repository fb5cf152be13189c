package event_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/tlp"
)

// fixedID is a UUIDv7 (version nibble 7, RFC 4122 variant), so tests do not
// depend on the clock.
const fixedID = "01936b2e-7c3a-7d4e-8f00-0123456789ab"

var when = time.Date(2026, 11, 30, 2, 40, 0, 123456789, time.UTC)

func validEvent() event.Event {
	return event.Event{
		ID:         fixedID,
		Stream:     "case-2026-0042",
		Version:    3,
		Type:       "case.severity_changed",
		OccurredAt: when,
		RecordedAt: when.Add(time.Millisecond),
		Actor:      event.Actor{User: "sanne", Organisation: "nl-ncsc"},
		Marking:    tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}},
		Payload:    json.RawMessage(`{"from":"significant","to":"large-scale","note":"Česko, România: ș ț"}`),
	}
}

func TestValidateAcceptsValidEvent(t *testing.T) {
	if err := validEvent().Validate(); err != nil {
		t.Fatalf("a valid event was refused: %v", err)
	}
	id, err := event.NewID()
	if err != nil {
		t.Fatal(err)
	}
	e := validEvent()
	e.ID = id
	if err := e.Validate(); err != nil {
		t.Fatalf("an event with a NewID id was refused: %v", err)
	}
}

func TestValidateNamesEachBadField(t *testing.T) {
	big := `{"x":"` + strings.Repeat("a", event.MaxPayloadBytes) + `"}`
	tests := []struct {
		name   string
		change func(e *event.Event)
		want   string
	}{
		{"bad UUID", func(e *event.Event) { e.ID = "not-a-uuid" }, `id "not-a-uuid" is not a UUID`},
		{"empty id", func(e *event.Event) { e.ID = "" }, `id "" is not a UUID`},
		{"UUIDv4 instead of v7", func(e *event.Event) { e.ID = uuid.New().String() }, "is a version 4 UUID, want version 7"},
		{"empty stream", func(e *event.Event) { e.Stream = "" }, `stream ""`},
		{"stream with capitals", func(e *event.Event) { e.Stream = "Case-1" }, `stream "Case-1"`},
		{"stream too long", func(e *event.Event) { e.Stream = "c" + strings.Repeat("a", 200) }, "stream \"caaa"},
		{"version 0", func(e *event.Event) { e.Version = 0 }, "version 0 must be between 1 and 2^53-1"},
		{"bad type", func(e *event.Event) { e.Type = "Case Opened" }, `type "Case Opened"`},
		{"empty type", func(e *event.Event) { e.Type = "" }, `type ""`},
		{"zero occurred_at", func(e *event.Event) { e.OccurredAt = time.Time{} }, "occurred_at is missing"},
		{"zero recorded_at", func(e *event.Event) { e.RecordedAt = time.Time{} }, "recorded_at is missing"},
		{"missing actor user", func(e *event.Event) { e.Actor.User = "" }, "actor.user is missing"},
		{"missing actor organisation", func(e *event.Event) { e.Actor.Organisation = "" }, "actor.organisation is missing"},
		{"missing marking", func(e *event.Event) { e.Marking = tlp.Marking{} }, "marking.tlp is missing"},
		{"unknown TLP label", func(e *event.Event) { e.Marking.TLP = "TLP:PURPLE" }, `marking.tlp "TLP:PURPLE"`},
		{"missing payload", func(e *event.Event) { e.Payload = nil }, "payload is missing"},
		{"payload is an array", func(e *event.Event) { e.Payload = json.RawMessage(`[1,2]`) }, "payload must be a JSON object"},
		{"payload is a string", func(e *event.Event) { e.Payload = json.RawMessage(`"x"`) }, "payload must be a JSON object"},
		{"payload is not JSON", func(e *event.Event) { e.Payload = json.RawMessage(`{"a":`) }, "payload must be a JSON object"},
		{"payload too large", func(e *event.Event) { e.Payload = json.RawMessage(big) }, "more than the 1048576 allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent()
			tc.change(&e)
			err := e.Validate()
			if err == nil {
				t.Fatalf("Validate accepted the event; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate error = %v\nwant it to contain %q", err, tc.want)
			}
			if _, cerr := e.Canonical(); cerr == nil {
				t.Fatal("Canonical encoded an event that Validate refuses")
			}
		})
	}
}

func TestValidateReportsEveryBadField(t *testing.T) {
	err := event.Event{}.Validate()
	if err == nil {
		t.Fatal("the zero event was accepted")
	}
	for _, want := range []string{"id", "stream", "version", "type", "occurred_at", "recorded_at", "actor.user", "actor.organisation", "marking.tlp", "payload"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the zero event's error does not name %s:\n%v", want, err)
		}
	}
}

func TestCanonicalIsByteStable(t *testing.T) {
	first, err := validEvent().Canonical()
	if err != nil {
		t.Fatal(err)
	}
	second, err := validEvent().Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("the same event encoded twice differs:\n%s\n%s", first, second)
	}
	// RFC 8785: members sorted by key, no insignificant white space.
	wantPrefix := `{"actor":{"organisation":"nl-ncsc","user":"sanne"},"id":"` + fixedID + `","marking":{`
	if !bytes.HasPrefix(first, []byte(wantPrefix)) {
		t.Fatalf("canonical form does not start with sorted keys:\n got %s\nwant prefix %s", first, wantPrefix)
	}
	order := []string{`"actor"`, `"id"`, `"marking"`, `"occurred_at"`, `"payload"`, `"recorded_at"`, `"stream"`, `"type"`, `"version"`}
	last := -1
	for _, k := range order {
		i := bytes.Index(first, []byte(k))
		if i <= last {
			t.Fatalf("key %s is out of order in %s", k, first)
		}
		last = i
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, first); err != nil || !bytes.Equal(compact.Bytes(), first) {
		t.Fatalf("canonical form has insignificant white space (or is not JSON: %v): %s", err, first)
	}
}

func TestCanonicalIgnoresPayloadKeyOrderAndSpacing(t *testing.T) {
	a := validEvent()
	a.Payload = json.RawMessage(`{"b":1,"a":[1,2],"c":{"y":1.0,"x":"é"}}`)
	b := validEvent()
	b.Payload = json.RawMessage("{ \"c\" : { \"x\" : \"\\u00e9\", \"y\" : 1 },\n\t\"a\":[1, 2], \"b\":1e0 }")
	ca, err := a.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	cb, err := b.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ca, cb) {
		t.Fatalf("payloads equal as JSON encode differently:\n%s\n%s", ca, cb)
	}
	if want := `"payload":{"a":[1,2],"b":1,"c":{"x":"é","y":1}}`; !bytes.Contains(ca, []byte(want)) {
		t.Fatalf("payload not canonical in %s\nwant %s", ca, want)
	}
}

func TestCanonicalTimesAreUTC(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	local := validEvent()
	local.OccurredAt = when.In(cet)
	local.RecordedAt = when.Add(time.Millisecond).In(time.FixedZone("EET", 2*3600))
	cl, err := local.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	cu, err := validEvent().Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cl, cu) {
		t.Fatalf("the same instants in another zone encode differently:\n%s\n%s", cl, cu)
	}
	for _, want := range []string{`"occurred_at":"2026-11-30T02:40:00.123456789Z"`, `"recorded_at":"2026-11-30T02:40:00.124456789Z"`} {
		if !bytes.Contains(cl, []byte(want)) {
			t.Errorf("canonical form lacks %s:\n%s", want, cl)
		}
	}
	// Canonical works on a copy: the caller's times keep their zone.
	if local.OccurredAt.Location() != cet {
		t.Error("Canonical changed the caller's event")
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	canon, err := validEvent().Canonical()
	if err != nil {
		t.Fatal(err)
	}
	e, err := event.Decode(canon)
	if err != nil {
		t.Fatal(err)
	}
	want := validEvent()
	if e.ID != want.ID || e.Stream != want.Stream || e.Version != want.Version || e.Type != want.Type ||
		!e.OccurredAt.Equal(want.OccurredAt) || !e.RecordedAt.Equal(want.RecordedAt) ||
		e.Actor != want.Actor || e.Marking.TLP != want.Marking.TLP {
		t.Fatalf("decoded %+v\nwant %+v", e, want)
	}
	again, err := e.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, canon) {
		t.Fatalf("decode and re-encode changed the bytes:\n%s\n%s", canon, again)
	}
}

func TestDecodeRefuses(t *testing.T) {
	canon, err := validEvent().Canonical()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"empty":         nil,
		"not JSON":      []byte("event"),
		"array":         []byte(`[]`),
		"truncated":     canon[:len(canon)/2],
		"unknown field": append([]byte(`{"extra":1,`), canon[1:]...),
		"trailing data": append(append([]byte{}, canon...), []byte(`{}`)...),
		"string time":   bytes.Replace(canon, []byte(`"2026-11-30T02:40:00.123456789Z"`), []byte(`"yesterday"`), 1),
		"float version": bytes.Replace(canon, []byte(`"version":3`), []byte(`"version":3.5`), 1),
	}
	for name, body := range tests {
		if _, err := event.Decode(body); err == nil {
			t.Errorf("%s: Decode(%q) succeeded, want an error", name, body)
		}
	}
}
