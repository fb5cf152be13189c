package storetest

// Benchmarks shared by store/sqlite and store/postgres, so both measure exactly
// the same work (DESIGN §7; figures in docs/performance.md).

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/store"
)

// FillStream appends n events to stream in batches of 100, with snapshot (if not
// nil) written by the last append.
func FillStream(b *testing.B, s store.Store, stream string, n int, snapshot []byte) {
	b.Helper()
	for v := 0; v < n; v += 100 {
		req := store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: int64(v), Events: MustEvents(b, stream, int64(v), min(100, n-v))}
		if v+100 >= n {
			req.Snapshot = snapshot
		}
		MustAppend(b, s, req)
	}
}

func reportEventRate(b *testing.B, perOp int) {
	b.ReportMetric(float64(b.N*perOp)/b.Elapsed().Seconds(), "events/s")
}

// BenchAppendSingle appends one event per transaction to one stream.
func BenchAppendSingle(b *testing.B, s store.Store) {
	evs := MustEvents(b, "case-bench", 0, b.N)
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

// BenchAppendBatch100 appends 100 events per transaction to one stream.
func BenchAppendBatch100(b *testing.B, s store.Store) {
	evs := MustEvents(b, "case-bench", 0, b.N*100)
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

// BenchReadStream1000 reads one stream of 1000 events.
func BenchReadStream1000(b *testing.B, s store.Store) {
	FillStream(b, s, "case-other", 500, nil) // the stream is not alone in the log
	FillStream(b, s, "case-read", 1000, nil)
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

// BenchReadAfter1000 reads 1000 events of the log from position 0, as a
// follower or the ledger does.
func BenchReadAfter1000(b *testing.B, s store.Store) {
	for i := range 10 {
		FillStream(b, s, fmt.Sprintf("case-%02d", i), 100, nil)
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

// BenchSnapshot reads a 64 KiB snapshot of a stream of 10 000 events and reports
// the p99 of every call.
func BenchSnapshot(b *testing.B, s store.Store) {
	snap := snapshotData(64 << 10)
	FillStream(b, s, "case-big", 10000, snap)
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
