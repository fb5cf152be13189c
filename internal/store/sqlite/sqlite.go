// Package sqlite opens the embedded event store: one SQLite file in WAL mode with a
// single writer connection and a separate read pool, through the pure-Go driver
// modernc.org/sqlite (no cgo, so one static binary; DESIGN §4).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeout is how long a connection waits for a lock before SQLITE_BUSY; pure-Go
// drivers default to none (STYLE §4, anti-pattern 5).
const busyTimeout = 10 * time.Second

// Dialect is the migration dialect for SQLite.
var dialect = store.Dialect{Name: "sqlite", Placeholder: func(int) string { return "?" }}

// Open opens (creating if needed) the SQLite store at path, applies pending
// migrations and returns it. now stamps stream metadata.
func Open(ctx context.Context, path string, now func() time.Time) (*sqlstore.Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	writer, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One writer connection: SQLite allows one writer at a time, and a pool of
	// writers only trades waiting in Go for SQLITE_BUSY errors.
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	if _, err := store.Migrate(ctx, writer, dialect, mustSub(migrationFiles, "migrations")); err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlite: open reader %s: %w", path, err)
	}
	reader.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	d := sqlstore.Dialect{Name: "sqlite", IsUniqueViolation: isUniqueViolation}
	return sqlstore.New(writer, reader, d, now), nil
}

// Migrate applies pending migrations to the SQLite store at path and lists them.
func Migrate(ctx context.Context, path string) ([]string, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return store.Migrate(ctx, db, dialect, mustSub(migrationFiles, "migrations"))
}

// createPrivate creates the database file readable by its owner only, before
// SQLite does with the process umask: it holds TLP:RED content. SQLite gives the
// -wal and -shm files the database file's permissions.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("sqlite: create directory for %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	return f.Close()
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL syncs the WAL on every commit: an append that returned is on disk, even
	// if the machine, not only the process, dies next.
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Take the write lock at BEGIN, so a transaction never fails half-way on
		// upgrading a read lock.
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}
