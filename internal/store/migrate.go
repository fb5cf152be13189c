package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// Dialect holds the few SQL differences the shared migration runner needs.
type Dialect struct {
	Name string
	// Placeholder returns the n-th (1-based) bind parameter: "?" or "$n".
	Placeholder func(n int) string
	// LockSQL, if set, runs first in every migration transaction so that several
	// replicas starting at once apply each migration exactly once.
	LockSQL string
}

// Migrate applies, in name order, every *.sql file in migrations that the database
// has not recorded yet, each in its own transaction. Migrations are forward-only:
// a database that records a migration this binary does not know was written by a
// newer version, and is refused rather than guessed at.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, migrations fs.FS) (applied []string, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("migrate %s: %w", d.Name, err)
		}
	}()
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	done, err := appliedMigrations(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, name := range done {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("the database has migration %q that this binary does not know: it was written by a newer blueprint; run that version or newer", name)
		}
	}
	for _, name := range names {
		ok, err := applyMigration(ctx, db, d, migrations, name)
		if err != nil {
			return applied, err
		}
		if ok {
			applied = append(applied, name)
		}
	}
	return applied, nil
}

func appliedMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func applyMigration(ctx context.Context, db *sql.DB, d Dialect, migrations fs.FS, name string) (bool, error) {
	script, err := fs.ReadFile(migrations, name)
	if err != nil {
		return false, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if d.LockSQL != "" {
		if _, err := tx.ExecContext(ctx, d.LockSQL); err != nil {
			return false, fmt.Errorf("lock for %s: %w", name, err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = `+d.Placeholder(1), name).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for i, stmt := range splitStatements(string(script)) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return false, fmt.Errorf("%s, statement %d: %w", name, i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (`+d.Placeholder(1)+`, `+d.Placeholder(2)+`)`,
		name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// splitStatements splits a script on lines holding only "-- split", so that
// trigger bodies with semicolons stay whole.
func splitStatements(script string) []string {
	var out []string
	for _, part := range strings.Split(script, "\n-- split\n") {
		if s := strings.TrimSpace(part); s != "" {
			out = append(out, s)
		}
	}
	return out
}
