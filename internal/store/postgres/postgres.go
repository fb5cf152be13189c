// Package postgres opens the production event store on PostgreSQL through pgx
// (DESIGN §4). Several `blueprint serve` replicas can share one database: appends
// serialise on the log_head row, so the global position stays gap-free and visible
// in commit order.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Advisory lock keys: arbitrary constants, unique within this database.
const (
	migrationLockKey = 0x626c7565 // "blue"
	ledgerLockKey    = 0x6c656467 // "ledg"
)

var dialect = store.Dialect{
	Name:        "postgres",
	Placeholder: func(n int) string { return fmt.Sprintf("$%d", n) },
	LockSQL:     fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
}

// Open connects to dsn, applies pending migrations and returns the store.
func Open(ctx context.Context, dsn string, now func() time.Time) (*sqlstore.Store, error) {
	db, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx, db, dialect, mustSub(migrationFiles, "migrations")); err != nil {
		db.Close()
		return nil, err
	}
	d := sqlstore.Dialect{
		Name:              "postgres",
		IsUniqueViolation: isUniqueViolation,
		LedgerLockSQL:     fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", ledgerLockKey),
	}
	return sqlstore.New(db, db, d, now), nil
}

// Migrate applies pending migrations to the database at dsn and lists them.
func Migrate(ctx context.Context, dsn string) ([]string, error) {
	db, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return store.Migrate(ctx, db, dialect, mustSub(migrationFiles, "migrations"))
}

func connect(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		// The DSN may hold a password: name only the failure.
		return nil, fmt.Errorf("postgres: cannot connect: %w", err)
	}
	return db, nil
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}
