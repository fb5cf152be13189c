package sqlite_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
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

// fillStream appends n events to stream in batches of 100, with snapshot (if not
// nil) written by the last append.
func fillStream(b *testing.B, s store.Store, stream string, n int, snapshot []byte) {
	b.Helper()
	for v := 0; v < n; v += 100 {
		req := store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: int64(v), Events: storetest.MustEvents(b, stream, int64(v), min(100, n-v))}
		if v+100 >= n {
			req.Snapshot = snapshot
		}
		storetest.MustAppend(b, s, req)
	}
}

func reportEventRate(b *testing.B, perOp int) {
	b.ReportMetric(float64(b.N*perOp)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAppendSingle appends one event per transaction to one stream.
func BenchmarkAppendSingle(b *testing.B) {
	s := openBench(b)
	evs := storetest.MustEvents(b, "case-bench", 0, b.N)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Append(ctx, store.AppendRequest{Stream: "case-bench", Kind: "case", ExpectedVersion: int64(i), Events: evs[i : i+1]}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportEventRate(b, 1)
}

// BenchmarkAppendBatch100 appends 100 events per transaction to one stream.
func BenchmarkAppendBatch100(b *testing.B) {
	s := openBench(b)
	evs := storetest.MustEvents(b, "case-bench", 0, b.N*100)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Append(ctx, store.AppendRequest{Stream: "case-bench", Kind: "case", ExpectedVersion: int64(i * 100), Events: evs[i*100 : (i+1)*100]}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportEventRate(b, 100)
}

// BenchmarkReadStream1000 reads one stream of 1000 events.
func BenchmarkReadStream1000(b *testing.B) {
	s := openBench(b)
	fillStream(b, s, "case-other", 500, nil) // the stream is not alone in the log
	fillStream(b, s, "case-read", 1000, nil)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		recs, err := s.ReadStream(ctx, "case-read", 0)
		if err != nil || len(recs) != 1000 {
			b.Fatalf("ReadStream = %d events, %v; want 1000", len(recs), err)
		}
	}
	reportEventRate(b, 1000)
}

// BenchmarkReadAfter1000 reads 1000 events of the log from position 0, as a
// follower or the ledger does.
func BenchmarkReadAfter1000(b *testing.B) {
	s := openBench(b)
	for i := range 10 {
		fillStream(b, s, fmt.Sprintf("case-%02d", i), 100, nil)
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		recs, err := s.ReadAfter(ctx, 0, 1000)
		if err != nil || len(recs) != 1000 {
			b.Fatalf("ReadAfter = %d events, %v; want 1000", len(recs), err)
		}
	}
	reportEventRate(b, 1000)
}

// BenchmarkSnapshot reads the 64 KiB snapshot of a case stream of 10 000 events
// (DESIGN §7: open a case with 10 000 events, < 5 ms p99), reporting the p99.
func BenchmarkSnapshot(b *testing.B) {
	benchSnapshot(b, openBench(b))
}

func benchSnapshot(b *testing.B, s store.Store) {
	snap := snapshotData(64 << 10)
	fillStream(b, s, "case-big", 10000, snap)
	ctx := b.Context()
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		got, err := s.Snapshot(ctx, "case-big")
		lat = append(lat, time.Since(start))
		if err != nil || got.Version != 10000 || len(got.Data) != len(snap) {
			b.Fatalf("Snapshot = version %d, %d bytes, %v; want version 10000, %d bytes", got.Version, len(got.Data), err, len(snap))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// snapshotData is a JSON object of about n bytes.
func snapshotData(n int) []byte {
	out := []byte(`{"items":[`)
	for i := 0; len(out) < n-64; i++ {
		if i > 0 {
			out = append(out, ',')
		}
		out = fmt.Appendf(out, `{"n":%d,"state":"triaged","owner":"nl-ncsc"}`, i)
	}
	return append(out, "]}"...)
}

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
