package postgres_test

import (
	"fmt"
	"slices"
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
