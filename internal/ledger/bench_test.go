package ledger_test

import (
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// Benchmarks for DESIGN §7: ledger verification ≥ 50% of raw SHA-256 throughput
// on the same bytes. BenchmarkVerify and BenchmarkRawSHA256 both report MB/s of
// stored event bytes, so their ratio is taken within one run.

const benchEvents = 10000

type benchFixture struct {
	store  *sqlstore.Store
	led    *ledger.Ledger
	bodies [][]byte // the stored canonical bytes, in position order
	bytes  int64
}

// newBenchFixture builds a SQLite store of n events over 10 streams, appended in
// batches of 100, and reads the stored bytes back. It seals them if seal is set.
func newBenchFixture(b *testing.B, n int, seal bool) *benchFixture {
	b.Helper()
	dir := b.TempDir()
	s, err := sqlite.Open(b.Context(), filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	keys, _, err := ledger.LoadOrCreateKeys(dir, "bench.node")
	if err != nil {
		b.Fatal(err)
	}
	f := &benchFixture{store: s, led: ledger.New(s, keys.Signer, keys.Verifier)}
	f.append(b, n)
	for after := int64(0); ; {
		recs, err := s.ReadAfter(b.Context(), after, 2000)
		if err != nil {
			b.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			f.bodies = append(f.bodies, r.Body)
			f.bytes += int64(len(r.Body))
		}
		after = recs[len(recs)-1].Position
	}
	if len(f.bodies) != n {
		b.Fatalf("read back %d events, want %d", len(f.bodies), n)
	}
	if seal {
		if size, err := f.led.Seal(b.Context()); err != nil || size != int64(n) {
			b.Fatalf("Seal = %d, %v; want %d", size, err, n)
		}
	}
	return f
}

// append adds n more events, spread over 10 streams in batches of 100.
func (f *benchFixture) append(b *testing.B, n int) {
	b.Helper()
	infos, err := f.store.ListStreams(b.Context(), "case")
	if err != nil {
		b.Fatal(err)
	}
	version := map[string]int64{}
	for _, si := range infos {
		version[si.Stream] = si.Version
	}
	for i := 0; i < n; i += 100 {
		stream := fmt.Sprintf("case-%02d", (i/100)%10)
		v := version[stream]
		k := min(100, n-i)
		storetest.MustAppend(b, f.store, store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: v, Events: storetest.MustEvents(b, stream, v, k)})
		version[stream] = v + int64(k)
	}
}

// BenchmarkVerify verifies a sealed log of 10 000 events: read every event back,
// recompute the tree, and compare it with the stored hashes and the checkpoint.
func BenchmarkVerify(b *testing.B) {
	f := newBenchFixture(b, benchEvents, true)
	ctx := b.Context()
	b.SetBytes(f.bytes)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := f.led.Verify(ctx)
		if err != nil || rep.Events != benchEvents || rep.Sealed != benchEvents {
			b.Fatalf("Verify = %+v, %v", rep, err)
		}
	}
	b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRawSHA256 hashes the same stored bytes with crypto/sha256 alone: the
// ceiling BenchmarkVerify is measured against.
func BenchmarkRawSHA256(b *testing.B) {
	f := newBenchFixture(b, benchEvents, false)
	b.SetBytes(f.bytes)
	var sink [sha256.Size]byte
	for b.Loop() {
		for _, body := range f.bodies {
			sink = sha256.Sum256(body)
		}
	}
	_ = sink
	b.ReportMetric(float64(b.N*benchEvents)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSeal1000 seals 1000 newly appended events onto a growing ledger; the
// appends are not timed.
func BenchmarkSeal1000(b *testing.B) {
	f := newBenchFixture(b, 1000, true)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		f.append(b, 1000)
		b.StartTimer()
		if _, err := f.led.Seal(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "events/s")
}
