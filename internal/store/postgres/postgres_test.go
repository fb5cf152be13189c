package postgres_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/postgres/pgtest"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// MustSchemaDSN returns a DSN on a fresh, empty schema (see pgtest).
func MustSchemaDSN(t *testing.T) (dsn string, admin *sql.DB) {
	t.Helper()
	return pgtest.MustSchemaDSN(t)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		dsn, _ := MustSchemaDSN(t)
		s, err := postgres.Open(t.Context(), dsn, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return storetest.Harness{Store: s, DB: raw}
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	dsn, _ := MustSchemaDSN(t)
	first, err := postgres.Migrate(t.Context(), dsn)
	if err != nil || len(first) == 0 {
		t.Fatalf("first migrate applied %v, %v", first, err)
	}
	again, err := postgres.Migrate(t.Context(), dsn)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v, %v; want nothing", again, err)
	}
}

func TestTruncateRefused(t *testing.T) {
	dsn, _ := MustSchemaDSN(t)
	s, err := postgres.Open(t.Context(), dsn, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"events", "ledger_hashes", "ledger_checkpoints"} {
		if _, err := raw.Exec(`TRUNCATE ` + table + ` CASCADE`); err == nil {
			t.Errorf("TRUNCATE %s succeeded; the database must refuse it", table)
		}
	}
}
