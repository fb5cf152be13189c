// Package sqlstore implements store.Store on database/sql for both SQLite and
// PostgreSQL. The SQL below is the common subset both accept ($n parameters,
// RETURNING, ON CONFLICT); what differs — connection setup, pools, locking and
// error codes — is in the Dialect that store/sqlite and store/postgres supply.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/store"
)

// Dialect is what one database engine contributes.
type Dialect struct {
	Name string
	// IsUniqueViolation reports a unique-key error, which an append race can cause.
	IsUniqueViolation func(error) bool
	// LedgerLockSQL serialises ledger extensions across replicas (empty when the
	// engine already has a single writer).
	LedgerLockSQL string
}

// Store is the shared implementation. Writes go to writer, reads to reader; they
// are the same pool on PostgreSQL, and a single connection vs a read pool on SQLite.
type Store struct {
	writer  *sql.DB
	reader  *sql.DB
	dialect Dialect
	now     func() time.Time
}

var _ store.Store = (*Store)(nil)

// New wraps open, migrated databases. now stamps stream metadata.
func New(writer, reader *sql.DB, d Dialect, now func() time.Time) *Store {
	return &Store{writer: writer, reader: reader, dialect: d, now: now}
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.writer.Close()
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	return err
}

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return failure.Wrap(failure.Unavailable, err, "the store does not answer")
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return failure.Wrap(failure.Unavailable, err, "the store does not answer")
	}
	return nil
}

// Append implements store.Store.
func (s *Store) Append(ctx context.Context, req store.AppendRequest) (res store.AppendResult, err error) {
	defer wrapErr(&err, "Append(%s)", req.Stream)
	results, err := s.appendAll(ctx, []store.AppendRequest{req})
	if err != nil {
		return res, err
	}
	return results[0], nil
}

// AppendBatch implements store.Store.
func (s *Store) AppendBatch(ctx context.Context, reqs []store.AppendRequest) (_ []store.AppendResult, err error) {
	defer wrapErr(&err, "AppendBatch(%d streams)", len(reqs))
	seen := make(map[string]bool, len(reqs))
	for i, req := range reqs {
		if seen[req.Stream] {
			return nil, failure.Field(fmt.Sprintf("requests[%d].stream", i), "%s is named twice in one batch: put its events in one request", req.Stream)
		}
		seen[req.Stream] = true
	}
	return s.appendAll(ctx, reqs)
}

// appendAll writes the requests in one transaction.
func (s *Store) appendAll(ctx context.Context, reqs []store.AppendRequest) ([]store.AppendResult, error) {
	if len(reqs) == 0 {
		return nil, nil
	}
	bodies := make([][][]byte, len(reqs))
	total := 0
	for i, req := range reqs {
		b, err := store.PrepareAppend(req)
		if err != nil {
			return nil, err
		}
		bodies[i] = b
		total += len(b)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	// The stream rows are claimed first: a competing writer blocks on them (or
	// on the unique key) and then sees the new version, so exactly one of two
	// writers with the same expected version wins.
	for _, req := range reqs {
		if err := s.claimStream(ctx, tx, req, req.ExpectedVersion+int64(len(req.Events))); err != nil {
			return nil, err
		}
	}
	// Taking positions last keeps the log_head lock, which serialises all
	// writers, as short as possible. It is held until commit, so positions
	// become visible in commit order.
	var last int64
	if err := tx.QueryRowContext(ctx,
		`UPDATE log_head SET position = position + $1 WHERE id = 1 RETURNING position`, total).Scan(&last); err != nil {
		return nil, fmt.Errorf("take positions: %w", err)
	}
	first := last - int64(total) + 1
	var evs []event.Event
	var all [][]byte
	results := make([]store.AppendResult, len(reqs))
	next := first
	for i, req := range reqs {
		evs = append(evs, req.Events...)
		all = append(all, bodies[i]...)
		newVersion := req.ExpectedVersion + int64(len(req.Events))
		results[i] = store.AppendResult{FirstPosition: next, LastPosition: next + int64(len(req.Events)) - 1, Version: newVersion}
		next += int64(len(req.Events))
	}
	if err := insertEvents(ctx, tx, s.dialect, first, evs, all); err != nil {
		return nil, err
	}
	for i, req := range reqs {
		if req.Snapshot == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx,
			`UPDATE streams SET snapshot = $1, snapshot_version = $2 WHERE stream = $3`,
			req.Snapshot, results[i].Version, req.Stream); err != nil {
			return nil, fmt.Errorf("write snapshot: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return results, nil
}

// insertBatch is how many events one INSERT statement carries: 7 parameters
// each stays far below both engines' limits, and one statement per batch instead
// of one per event saves most of the parse cost.
const insertBatch = 200

func insertEvents(ctx context.Context, tx *sql.Tx, d Dialect, first int64, evs []event.Event, bodies [][]byte) error {
	for start := 0; start < len(evs); start += insertBatch {
		end := min(start+insertBatch, len(evs))
		var q strings.Builder
		q.WriteString(`INSERT INTO events (position, id, stream, version, type, recorded_at, body) VALUES `)
		args := make([]any, 0, 7*(end-start))
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			n := len(args)
			// Only placeholders are formatted into the query; the values are bound.
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
			e := evs[i]
			args = append(args, first+int64(i), e.ID, e.Stream, e.Version, e.Type, e.RecordedAt.UTC(), bodies[i])
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			if d.IsUniqueViolation(err) {
				return failure.Wrap(failure.Conflict, err, "an event of this batch already exists (same id)")
			}
			return fmt.Errorf("insert events: %w", err)
		}
	}
	return nil
}

func (s *Store) claimStream(ctx context.Context, tx *sql.Tx, req store.AppendRequest, newVersion int64) error {
	now := s.now().UTC()
	if req.ExpectedVersion == 0 {
		r, err := tx.ExecContext(ctx,
			`INSERT INTO streams (stream, kind, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (stream) DO NOTHING`,
			req.Stream, req.Kind, newVersion, now)
		if err != nil {
			return fmt.Errorf("create stream: %w", err)
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
	} else {
		r, err := tx.ExecContext(ctx,
			`UPDATE streams SET version = $1, updated_at = $2 WHERE stream = $3 AND version = $4 AND kind = $5`,
			newVersion, now, req.Stream, req.ExpectedVersion, req.Kind)
		if err != nil {
			return fmt.Errorf("advance stream: %w", err)
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
	}
	var actual int64
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT version, kind FROM streams WHERE stream = $1`, req.Stream).Scan(&actual, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		actual = 0
	} else if err != nil {
		return fmt.Errorf("read stream version: %w", err)
	} else if kind != req.Kind {
		return failure.Field("kind", "stream %s is of kind %q, not %q", req.Stream, kind, req.Kind)
	}
	return &store.ConflictError{Stream: req.Stream, Expected: req.ExpectedVersion, Actual: actual}
}

// ReadStream implements store.Store.
func (s *Store) ReadStream(ctx context.Context, stream string, afterVersion int64) (_ []event.Record, err error) {
	defer wrapErr(&err, "ReadStream(%s)", stream)
	return s.queryRecords(ctx,
		`SELECT position, body FROM events WHERE stream = $1 AND version > $2 ORDER BY version`, stream, afterVersion)
}

// ReadAfter implements store.Store.
func (s *Store) ReadAfter(ctx context.Context, after int64, limit int) (_ []event.Record, err error) {
	defer wrapErr(&err, "ReadAfter(%d)", after)
	if limit <= 0 {
		return nil, failure.Field("limit", "must be positive, got %d", limit)
	}
	return s.queryRecords(ctx,
		`SELECT position, body FROM events WHERE position > $1 ORDER BY position LIMIT $2`, after, limit)
}

// ReadKindAfter implements store.Store.
func (s *Store) ReadKindAfter(ctx context.Context, kind string, after int64, limit int) (_ []event.Record, err error) {
	defer wrapErr(&err, "ReadKindAfter(%s, %d)", kind, after)
	if limit <= 0 {
		return nil, failure.Field("limit", "must be positive, got %d", limit)
	}
	// The events after the position, in order, each checked for its
	// stream's kind: CROSS JOIN keeps SQLite from starting at the kind's
	// streams instead, which costs as much as the kind has streams — 66 ms a
	// call at 10⁵ shared objects, and minutes to read 10⁶ from the start. Its
	// readers (the TAXII index, the audit trail) follow kinds that are a good
	// part of the log, so few events are read that are not returned.
	return s.queryRecords(ctx,
		`SELECT e.position, e.body FROM events e CROSS JOIN streams s
		 WHERE s.stream = e.stream AND s.kind = $1 AND e.position > $2 ORDER BY e.position LIMIT $3`, kind, after, limit)
}

// ReadBodiesAfter implements store.Store.
func (s *Store) ReadBodiesAfter(ctx context.Context, after int64, limit int) (_ []store.Body, err error) {
	defer wrapErr(&err, "ReadBodiesAfter(%d)", after)
	if limit <= 0 {
		return nil, failure.Field("limit", "must be positive, got %d", limit)
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT position, id, stream, body FROM events WHERE position > $1 ORDER BY position LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]store.Body, 0, limit)
	for rows.Next() {
		var b store.Body
		if err := rows.Scan(&b.Position, &b.ID, &b.Stream, &b.Bytes); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *Store) queryRecords(ctx context.Context, query string, args ...any) ([]event.Record, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Record
	for rows.Next() {
		var pos int64
		var body []byte
		if err := rows.Scan(&pos, &body); err != nil {
			return nil, err
		}
		rec, err := store.DecodeRecord(pos, body)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// Head implements store.Store.
func (s *Store) Head(ctx context.Context) (pos int64, err error) {
	defer wrapErr(&err, "Head")
	err = s.reader.QueryRowContext(ctx, `SELECT position FROM log_head WHERE id = 1`).Scan(&pos)
	return pos, err
}

// Snapshot implements store.Store.
func (s *Store) Snapshot(ctx context.Context, stream string) (snap store.Snapshot, err error) {
	defer wrapErr(&err, "Snapshot(%s)", stream)
	var version sql.NullInt64
	var data []byte
	err = s.reader.QueryRowContext(ctx,
		`SELECT snapshot_version, snapshot FROM streams WHERE stream = $1`, stream).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !version.Valid) {
		return snap, failure.New(failure.NotFound, "no snapshot for stream %s", stream)
	}
	if err != nil {
		return snap, err
	}
	return store.Snapshot{Stream: stream, Version: version.Int64, Data: data}, nil
}

// ListStreams implements store.Store.
func (s *Store) ListStreams(ctx context.Context, kind string) (_ []store.StreamInfo, err error) {
	defer wrapErr(&err, "ListStreams(%s)", kind)
	rows, err := s.reader.QueryContext(ctx,
		`SELECT stream, kind, version, created_at, updated_at FROM streams WHERE kind = $1 ORDER BY created_at, stream`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.StreamInfo
	for rows.Next() {
		var si store.StreamInfo
		if err := rows.Scan(&si.Stream, &si.Kind, &si.Version, &si.CreatedAt, &si.UpdatedAt); err != nil {
			return nil, err
		}
		si.CreatedAt, si.UpdatedAt = si.CreatedAt.UTC(), si.UpdatedAt.UTC()
		out = append(out, si)
	}
	return out, rows.Err()
}

// wrapErr names the operation in err, keeping its kind (pkgsite derrors.Wrap).
func wrapErr(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
