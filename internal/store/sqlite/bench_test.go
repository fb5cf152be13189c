package sqlite_test

import (
	"database/sql"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// Benchmarks for DESIGN §7. The append figures are only meaningful as a ratio to
// BenchmarkRawSQLiteRows measured in the same run on the same disk; see
// docs/performance.md.

func openBench(b *testing.B) store.Store {
	b.Helper()
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "blueprint.db"), time.Now)
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

// rawDSN opens a plain SQLite file with the pragmas sqlite.Open uses for its
// writer: WAL, synchronous FULL, a busy timeout, immediate transactions.
func rawDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// BenchmarkRawSQLiteRows is the DESIGN §7 baseline: plain 300-byte rows inserted
// through modernc.org/sqlite in one transaction, with the store's pragmas.
func BenchmarkRawSQLiteRows(b *testing.B) {
	benchRawRows(b, 0)
}

// BenchmarkRawSQLiteRowsTx100 commits every 100 rows, like BenchmarkAppendBatch100:
// the same number of WAL syncs per row, so it isolates the store's own work.
func BenchmarkRawSQLiteRowsTx100(b *testing.B) {
	benchRawRows(b, 100)
}

// benchRawRows inserts b.N rows, committing every perTx rows (0: once at the end).
func benchRawRows(b *testing.B, perTx int) {
	db, err := sql.Open("sqlite", rawDSN(filepath.Join(b.TempDir(), "raw.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := b.Context()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t(a INTEGER, b BLOB)`); err != nil {
		b.Fatal(err)
	}
	blob := make([]byte, 300)
	for i := range blob {
		blob[i] = byte('a' + i%26)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var tx *sql.Tx
	var stmt *sql.Stmt
	commit := func() {
		if tx == nil {
			return
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		tx = nil
	}
	for i := range b.N {
		if tx == nil {
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				b.Fatal(err)
			}
			if stmt, err = tx.PrepareContext(ctx, `INSERT INTO t(a,b) VALUES(?,?)`); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := stmt.ExecContext(ctx, i, blob); err != nil {
			b.Fatal(err)
		}
		if perTx > 0 && (i+1)%perTx == 0 {
			commit()
		}
	}
	commit()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
