package postgres_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// schemaSeq keeps schema names unique within one test binary; the pid keeps them
// unique across packages tested in parallel against the same database.
var schemaSeq atomic.Int64

// MustSchemaDSN returns a DSN whose search_path is a fresh, empty schema, dropped at
// the end of the test, so tests run in parallel on one database without meeting.
func MustSchemaDSN(t *testing.T) (dsn string, admin *sql.DB) {
	t.Helper()
	base := os.Getenv("BLUEPRINT_TEST_POSTGRES")
	if base == "" {
		t.Skip("BLUEPRINT_TEST_POSTGRES is not set: PostgreSQL store tests skipped (.ci/run sets it)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("bp_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE; CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), admin
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
