// Package store defines the event store every adapter implements (DESIGN §2–§3):
// an append-only log of events in streams, with one gap-free global position, a
// state snapshot per stream written in the same transaction as its events, and the
// ledger's hash tables. Two implementations live below it, store/sqlite (the
// embedded default) and store/postgres (production), and one conformance suite,
// store/storetest, proves they behave the same.
package store

import (
	"context"
	"fmt"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
)

// Store is the event store.
type Store interface {
	// Append writes events to one stream if the stream's version is still
	// req.ExpectedVersion (0 for a stream that must not exist yet), and the
	// snapshot if one is given, atomically. Positions are gap-free and become
	// visible in commit order. A version mismatch returns a *ConflictError.
	Append(ctx context.Context, req AppendRequest) (AppendResult, error)
	// AppendBatch writes to several streams in one transaction: all the
	// requests or none. Each request is checked as Append checks it; a
	// version mismatch on any returns a *ConflictError and writes nothing.
	// No two requests may name the same stream.
	AppendBatch(ctx context.Context, reqs []AppendRequest) ([]AppendResult, error)
	// ReadStream returns the stream's events with version > afterVersion, in order.
	ReadStream(ctx context.Context, stream string, afterVersion int64) ([]event.Record, error)
	// ReadAfter returns up to limit events with position > after, in position order.
	// A follower that calls it in a loop never misses an event.
	ReadAfter(ctx context.Context, after int64, limit int) ([]event.Record, error)
	// ReadKindAfter is ReadAfter restricted to the streams of one kind.
	ReadKindAfter(ctx context.Context, kind string, after int64, limit int) ([]event.Record, error)
	// ReadBodiesAfter is ReadAfter without decoding: positions, ids, streams and
	// the stored bytes, for the ledger, which hashes bytes and trusts no decoder.
	ReadBodiesAfter(ctx context.Context, after int64, limit int) ([]Body, error)
	// Head returns the highest committed position (0 for an empty log).
	Head(ctx context.Context) (int64, error)
	// Snapshot returns a stream's latest snapshot, or a NotFound error.
	Snapshot(ctx context.Context, stream string) (Snapshot, error)
	// ListStreams lists the streams of one kind, oldest first.
	ListStreams(ctx context.Context, kind string) ([]StreamInfo, error)

	LedgerStore

	// Ping checks that the store answers (readiness).
	Ping(ctx context.Context) error
	Close() error
}

// AppendRequest is one atomic write to one stream.
type AppendRequest struct {
	Stream          string
	Kind            string // e.g. "case", "organisation"; fixed when the stream is created
	ExpectedVersion int64
	Events          []event.Event
	// Snapshot, if not nil, replaces the stream's snapshot; its version is the
	// stream version after this append.
	Snapshot []byte
}

// Body is an event's stored bytes with what names it.
type Body struct {
	Position int64
	ID       string
	Stream   string
	Bytes    []byte
}

// AppendResult says where the events landed.
type AppendResult struct {
	FirstPosition int64
	LastPosition  int64
	Version       int64
}

// Snapshot is a stream's folded state as of Version.
type Snapshot struct {
	Stream  string
	Version int64
	Data    []byte
}

// StreamInfo describes one stream.
type StreamInfo struct {
	Stream    string
	Kind      string
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ConflictError is returned when the stream's version is not the expected one:
// someone else wrote first. Reload, re-decide and retry.
type ConflictError struct {
	Stream   string
	Expected int64
	Actual   int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("stream %s: expected version %d, found %d: it changed since you read it", e.Stream, e.Expected, e.Actual)
}

// Unwrap makes a conflict a failure.Conflict for the surfaces that report it.
func (e *ConflictError) Unwrap() error {
	return &failure.Error{Kind: failure.Conflict, Message: "the item changed since you read it; reload and try again"}
}

// PrepareAppend checks a request and canonicalises its events, so both
// implementations refuse exactly the same input before touching the database.
func PrepareAppend(req AppendRequest) ([][]byte, error) {
	if req.Stream == "" {
		return nil, failure.Field("stream", "is missing")
	}
	if req.Kind == "" {
		return nil, failure.Field("kind", "is missing")
	}
	if req.ExpectedVersion < 0 {
		return nil, failure.Field("expected_version", "must be 0 or more, got %d", req.ExpectedVersion)
	}
	if len(req.Events) == 0 {
		return nil, failure.Field("events", "at least one event is needed")
	}
	bodies := make([][]byte, len(req.Events))
	for i, e := range req.Events {
		if e.Stream != req.Stream {
			return nil, failure.Field(fmt.Sprintf("events[%d].stream", i), "is %q, but the append is to %q", e.Stream, req.Stream)
		}
		if want := req.ExpectedVersion + int64(i) + 1; e.Version != want {
			return nil, failure.Field(fmt.Sprintf("events[%d].version", i), "is %d, want %d (expected version %d + %d)", e.Version, want, req.ExpectedVersion, i+1)
		}
		body, err := e.Canonical()
		if err != nil {
			return nil, failure.Wrap(failure.Invalid, err, "events[%d] is not a valid event", i)
		}
		bodies[i] = body
	}
	return bodies, nil
}

// DecodeRecord turns a stored row into a record, naming the position on failure.
func DecodeRecord(position int64, body []byte) (event.Record, error) {
	e, err := event.Decode(body)
	if err != nil {
		return event.Record{}, fmt.Errorf("event at position %d: %w", position, err)
	}
	return event.Record{Position: position, Event: e, Body: body}, nil
}
