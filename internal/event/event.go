// Package event defines the envelope every change is recorded in (DESIGN §2): who,
// what, when and under which marking. Events are append-only; corrections are new
// events. The stored form is canonical JSON (RFC 8785), so the bytes that are
// hashed into the ledger are the bytes that are read back.
package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/tlp"
)

// Event is one recorded change.
type Event struct {
	ID         string          `json:"id"` // UUIDv7, so ids sort by creation time
	Stream     string          `json:"stream"`
	Version    int64           `json:"version"` // 1 for the first event of a stream
	Type       string          `json:"type"`
	OccurredAt time.Time       `json:"occurred_at"` // when it happened in the world
	RecordedAt time.Time       `json:"recorded_at"` // when this node recorded it
	Actor      Actor           `json:"actor"`
	Marking    tlp.Marking     `json:"marking"`
	Payload    json.RawMessage `json:"payload"`
}

// Actor is the user and organisation on whose behalf an event was recorded. The
// node itself records some events (e.g. seeding the model) as user "system".
type Actor struct {
	User         string `json:"user"`
	Organisation string `json:"organisation"`
}

// Record is an event as stored: its global position in the log and its canonical
// bytes, exactly as appended.
type Record struct {
	Position int64
	Event    Event
	Body     []byte
}

// Limits on names keep stream and type ids readable in URLs, logs and SQL indexes.
var (
	streamPattern = regexp.MustCompile(`^[a-z][a-z0-9._:-]{0,199}$`)
	typePattern   = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,99}$`)
)

// MaxPayloadBytes bounds one event's payload; larger content belongs in attachments.
const MaxPayloadBytes = 1 << 20

// NewID returns a fresh UUIDv7.
func NewID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("event.NewID: %w", err)
	}
	return id.String(), nil
}

// Validate reports every way e is incomplete or malformed, naming each field.
func (e Event) Validate() error {
	_, err := e.validate()
	return err
}

// validate checks every field and returns the canonical payload with the errors,
// so Canonical does not transform the payload twice.
func (e Event) validate() ([]byte, error) {
	var errs []error
	if id, err := uuid.Parse(e.ID); err != nil {
		errs = append(errs, fmt.Errorf("id %q is not a UUID", e.ID))
	} else if id.Version() != 7 {
		errs = append(errs, fmt.Errorf("id %q is a version %d UUID, want version 7", e.ID, id.Version()))
	} else if id.Variant() != uuid.RFC4122 || len(e.ID) != 36 {
		errs = append(errs, fmt.Errorf("id %q is not an RFC 9562 UUID in its 36-character form", e.ID))
	}
	if !streamPattern.MatchString(e.Stream) {
		errs = append(errs, fmt.Errorf("stream %q must be 1-200 characters of a-z, 0-9, '.', '_', ':' or '-', starting with a letter", e.Stream))
	}
	if e.Version < 1 || e.Version > maxSafeInteger {
		errs = append(errs, fmt.Errorf("version %d must be between 1 and 2^53-1", e.Version))
	}
	if !typePattern.MatchString(e.Type) {
		errs = append(errs, fmt.Errorf("type %q must be 1-100 characters of a-z, 0-9, '.', '_' or '-', starting with a letter", e.Type))
	}
	errs = append(errs, checkTime("occurred_at", e.OccurredAt), checkTime("recorded_at", e.RecordedAt))
	if e.Actor.User == "" {
		errs = append(errs, errors.New("actor.user is missing"))
	}
	if e.Actor.Organisation == "" {
		errs = append(errs, errors.New("actor.organisation is missing"))
	}
	if err := e.Marking.Validate(); err != nil {
		errs = append(errs, err)
	}
	var payload []byte
	switch {
	case len(e.Payload) == 0:
		errs = append(errs, errors.New("payload is missing (use {} for none)"))
	case len(e.Payload) > MaxPayloadBytes:
		errs = append(errs, fmt.Errorf("payload is %d bytes, more than the %d allowed", len(e.Payload), MaxPayloadBytes))
	case !isJSONObject(e.Payload):
		errs = append(errs, errors.New("payload must be a JSON object"))
	default:
		var err error
		if payload, err = canonicalPayload(e.Payload); err != nil {
			errs = append(errs, fmt.Errorf("payload has no canonical form (RFC 8785: unique keys, valid UTF-8, numbers within IEEE double range): %v", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	return payload, nil
}

// checkTime refuses a missing time and one whose UTC year has no RFC 3339 form.
func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("%s is missing", field)
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%s is in year %d (UTC); it must be between 0001 and 9999", field, y)
	}
	return nil
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// Canonical validates e and returns its RFC 8785 canonical JSON. Times are UTC with
// nanoseconds so that decoding and re-encoding gives the same bytes.
func (e Event) Canonical() ([]byte, error) {
	payload, err := e.validate()
	if err != nil {
		return nil, err
	}
	return encodeCanonical(e, payload), nil
}

// Decode parses stored canonical bytes back into an event. It does not insist on
// canonical form: the ledger, not the decoder, decides whether bytes were altered.
func Decode(body []byte) (Event, error) {
	var e Event
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Event{}, fmt.Errorf("decode event: %w", err)
	}
	if dec.More() {
		return Event{}, errors.New("decode event: trailing data after the event object")
	}
	return e, nil
}
