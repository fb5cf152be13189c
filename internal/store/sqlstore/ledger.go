package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/eucyber/blueprint/internal/store"
)

// LedgerHead implements store.LedgerStore.
func (s *Store) LedgerHead(ctx context.Context) (size int64, checkpoint []byte, err error) {
	defer wrapErr(&err, "LedgerHead")
	err = s.reader.QueryRowContext(ctx,
		`SELECT size, checkpoint FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &checkpoint)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return size, checkpoint, err
}

// readHashesBatch bounds the IN list so that it stays under both engines' limits
// on bind parameters.
const readHashesBatch = 500

// ReadHashes implements store.LedgerStore.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) (_ [][32]byte, err error) {
	defer wrapErr(&err, "ReadHashes")
	found := make(map[int64][32]byte, len(indexes))
	for start := 0; start < len(indexes); start += readHashesBatch {
		batch := indexes[start:min(start+readHashesBatch, len(indexes))]
		if err := s.readHashes(ctx, batch, found); err != nil {
			return nil, err
		}
	}
	out := make([][32]byte, len(indexes))
	for i, idx := range indexes {
		h, ok := found[idx]
		if !ok {
			return nil, fmt.Errorf("ledger hash %d is missing", idx)
		}
		out[i] = h
	}
	return out, nil
}

func (s *Store) readHashes(ctx context.Context, batch []int64, found map[int64][32]byte) error {
	params := make([]string, len(batch))
	args := make([]any, len(batch))
	for i, idx := range batch {
		params[i] = fmt.Sprintf("$%d", i+1)
		args[i] = idx
	}
	// Only placeholders are formatted into the query; the values are bound.
	rows, err := s.reader.QueryContext(ctx,
		`SELECT idx, hash FROM ledger_hashes WHERE idx IN (`+strings.Join(params, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return err
		}
		if len(h) != 32 {
			return fmt.Errorf("ledger hash %d has %d bytes, want 32", idx, len(h))
		}
		found[idx] = [32]byte(h)
	}
	return rows.Err()
}

// ReadHashRange implements store.LedgerStore.
func (s *Store) ReadHashRange(ctx context.Context, lo, hi int64) (_ [][32]byte, err error) {
	defer wrapErr(&err, "ReadHashRange(%d, %d)", lo, hi)
	if hi <= lo {
		return nil, nil
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx >= $1 AND idx < $2 ORDER BY idx`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][32]byte, 0, hi-lo)
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, err
		}
		if idx != lo+int64(len(out)) {
			return nil, fmt.Errorf("ledger hash %d is missing", lo+int64(len(out)))
		}
		if len(h) != 32 {
			return nil, fmt.Errorf("ledger hash %d has %d bytes, want 32", idx, len(h))
		}
		out = append(out, [32]byte(h))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if int64(len(out)) != hi-lo {
		return nil, fmt.Errorf("ledger hash %d is missing", lo+int64(len(out)))
	}
	return out, nil
}

// ExtendLedger implements store.LedgerStore.
func (s *Store) ExtendLedger(ctx context.Context, oldSize, newSize, firstIndex int64, hashes [][32]byte, checkpoint []byte) (err error) {
	defer wrapErr(&err, "ExtendLedger(%d→%d)", oldSize, newSize)
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if s.dialect.LedgerLockSQL != "" {
		if _, err := tx.ExecContext(ctx, s.dialect.LedgerLockSQL); err != nil {
			return fmt.Errorf("lock ledger: %w", err)
		}
	}
	var current int64
	err = tx.QueryRowContext(ctx, `SELECT size FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if current != oldSize {
		return &store.ConflictError{Stream: "ledger", Expected: oldSize, Actual: current}
	}
	for start := 0; start < len(hashes); start += insertBatch {
		end := min(start+insertBatch, len(hashes))
		var q strings.Builder
		q.WriteString(`INSERT INTO ledger_hashes (idx, hash) VALUES `)
		args := make([]any, 0, 2*(end-start))
		for i := start; i < end; i++ {
			if i > start {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($%d, $%d)", len(args)+1, len(args)+2)
			args = append(args, firstIndex+int64(i), hashes[i][:])
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			if s.dialect.IsUniqueViolation(err) {
				return &store.ConflictError{Stream: "ledger", Expected: oldSize, Actual: -1}
			}
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_checkpoints (size, checkpoint) VALUES ($1, $2)`,
		newSize, checkpoint); err != nil {
		return err
	}
	return tx.Commit()
}
