// Package storetest is the conformance suite every store.Store implementation must
// pass (DESIGN §6): SQLite always, PostgreSQL when BLUEPRINT_TEST_POSTGRES is set.
package storetest

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/tlp"
)

// Harness is one fresh, empty store and a raw handle on its database, for the
// tests that act as someone with direct database access.
type Harness struct {
	Store store.Store
	DB    *sql.DB
}

// Opener returns a fresh, empty store for each call; cleanup is the opener's job
// (t.Cleanup).
type Opener func(t *testing.T) Harness

// Epoch is the fixed time test events occur at.
var Epoch = time.Date(2026, 11, 30, 2, 40, 0, 0, time.UTC)

// MustEvent returns a valid event for stream at version, with a small payload.
func MustEvent(tb testing.TB, stream string, version int64, typ string) event.Event {
	tb.Helper()
	id, err := event.NewID()
	if err != nil {
		tb.Fatal(err)
	}
	payload, err := json.Marshal(map[string]any{"n": version, "note": "Ελλάδα, България, Česko, România: ș ț"})
	if err != nil {
		tb.Fatal(err)
	}
	return event.Event{
		ID:         id,
		Stream:     stream,
		Version:    version,
		Type:       typ,
		OccurredAt: Epoch.Add(time.Duration(version) * time.Second),
		RecordedAt: Epoch.Add(time.Duration(version)*time.Second + time.Millisecond),
		Actor:      event.Actor{User: "sanne", Organisation: "nl-ncsc"},
		Marking:    tlp.Marking{TLP: tlp.Amber, Audience: tlp.Audience{Kind: tlp.Networks, IDs: []string{"csirts-network"}}},
		Payload:    payload,
	}
}

// MustEvents returns n consecutive events for stream after version after.
func MustEvents(tb testing.TB, stream string, after int64, n int) []event.Event {
	tb.Helper()
	out := make([]event.Event, n)
	for i := range out {
		out[i] = MustEvent(tb, stream, after+int64(i)+1, "test.appended")
	}
	return out
}

// MustAppend appends and fails the test on error.
func MustAppend(tb testing.TB, s store.Store, req store.AppendRequest) store.AppendResult {
	tb.Helper()
	res, err := s.Append(tb.Context(), req)
	if err != nil {
		tb.Fatalf("append to %s: %v", req.Stream, err)
	}
	return res
}

func streamName(prefix string, i int) string { return fmt.Sprintf("%s-%04d", prefix, i) }
