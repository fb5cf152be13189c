package postgres_test

import (
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/postgres"
	"github.com/eucyber/blueprint/internal/store/postgres/pgtest"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// The same benchmarks as internal/store/sqlite/bench_test.go, on PostgreSQL at
// BLUEPRINT_TEST_POSTGRES, each run in a fresh schema (pgtest); see docs/performance.md.

func openBench(b *testing.B) store.Store {
	b.Helper()
	dsn, _ := pgtest.MustSchemaDSN(b) // skips, saying why, without BLUEPRINT_TEST_POSTGRES
	s, err := postgres.Open(b.Context(), dsn, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// The store benchmarks themselves are in storetest, shared with the other store.
func BenchmarkAppendSingle(b *testing.B)   { storetest.BenchAppendSingle(b, openBench(b)) }
func BenchmarkAppendBatch100(b *testing.B) { storetest.BenchAppendBatch100(b, openBench(b)) }
func BenchmarkReadStream1000(b *testing.B) { storetest.BenchReadStream1000(b, openBench(b)) }
func BenchmarkReadAfter1000(b *testing.B)  { storetest.BenchReadAfter1000(b, openBench(b)) }
func BenchmarkSnapshot(b *testing.B)       { storetest.BenchSnapshot(b, openBench(b)) }
