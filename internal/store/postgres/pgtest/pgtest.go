// Package pgtest gives tests a private PostgreSQL schema each, so that packages
// tested in parallel can share the one database BLUEPRINT_TEST_POSTGRES names.
package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvDSN names the environment variable holding the test database's DSN.
const EnvDSN = "BLUEPRINT_TEST_POSTGRES"

var schemaSeq atomic.Int64

// MustSchemaDSN returns a DSN whose search_path is a fresh, empty schema, dropped
// at the end of the test, and an admin handle on the database. It skips the test,
// saying why, when EnvDSN is not set.
func MustSchemaDSN(t testing.TB) (string, *sql.DB) {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Skip(EnvDSN + " is not set: PostgreSQL tests skipped (.ci/run sets it)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	// The pid keeps names unique across test binaries running at once.
	schema := fmt.Sprintf("bp_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE; CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), admin
}
