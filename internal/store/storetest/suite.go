package storetest

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/store"
)

// Run runs the whole conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"AppendAndReadBackExactBytes", testAppendAndRead},
		{"NewStreamTwiceConflicts", testNewStreamTwice},
		{"ExpectedVersionMismatchConflicts", testVersionMismatch},
		{"AppendBatchAllOrNothing", testAppendBatch},
		{"ConcurrentWritersOneWins", testConcurrentWriters},
		{"InvalidAppendStoresNothing", testInvalidAppend},
		{"KindIsFixed", testKindIsFixed},
		{"SnapshotInSameTransaction", testSnapshot},
		{"ReadAfterPages", testReadAfterPages},
		{"ListStreamsByKind", testListStreams},
		{"DatabaseRefusesUpdateAndDelete", testDatabaseRefusesChanges},
		{"FollowerNeverMissesAnEvent", testFollowerNeverMisses},
		{"Ledger", testLedger},
		{"Ping", func(t *testing.T, h Harness) {
			if err := h.Store.Ping(t.Context()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testAppendAndRead(t *testing.T, h Harness) {
	s := h.Store
	evs := MustEvents(t, "case-a", 0, 3)
	res := MustAppend(t, s, store.AppendRequest{Stream: "case-a", Kind: "case", Events: evs})
	if res.FirstPosition != 1 || res.LastPosition != 3 || res.Version != 3 {
		t.Fatalf("result = %+v, want positions 1..3, version 3", res)
	}
	recs, err := s.ReadStream(t.Context(), "case-a", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("read %d events, want 3", len(recs))
	}
	for i, r := range recs {
		want, err := evs[i].Canonical()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Body, want) {
			t.Errorf("event %d: stored bytes differ from the canonical form appended\n got %s\nwant %s", i, r.Body, want)
		}
		if r.Event.ID != evs[i].ID || r.Position != int64(i+1) || !r.Event.OccurredAt.Equal(evs[i].OccurredAt) {
			t.Errorf("event %d decoded as %+v", i, r.Event)
		}
		if again, err := r.Event.Canonical(); err != nil || !bytes.Equal(again, r.Body) {
			t.Errorf("event %d: decoding and re-encoding does not give the stored bytes (err %v)", i, err)
		}
	}
	tail, err := s.ReadStream(t.Context(), "case-a", 2)
	if err != nil || len(tail) != 1 || tail[0].Event.Version != 3 {
		t.Fatalf("ReadStream after version 2 = %d events, %v; want the 3rd only", len(tail), err)
	}
	if head, err := s.Head(t.Context()); err != nil || head != 3 {
		t.Fatalf("Head = %d, %v; want 3", head, err)
	}
}

func testNewStreamTwice(t *testing.T, h Harness) {
	MustAppend(t, h.Store, store.AppendRequest{Stream: "case-b", Kind: "case", Events: MustEvents(t, "case-b", 0, 1)})
	_, err := h.Store.Append(t.Context(), store.AppendRequest{Stream: "case-b", Kind: "case", Events: MustEvents(t, "case-b", 0, 1)})
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Actual != 1 {
		t.Fatalf("second creation: err = %v, want *ConflictError with actual version 1", err)
	}
	if !failure.Is(err, failure.Conflict) {
		t.Errorf("a conflict must be failure.Conflict for the API, got %s", failure.KindOf(err))
	}
}

func testVersionMismatch(t *testing.T, h Harness) {
	MustAppend(t, h.Store, store.AppendRequest{Stream: "case-c", Kind: "case", Events: MustEvents(t, "case-c", 0, 2)})
	_, err := h.Store.Append(t.Context(), store.AppendRequest{Stream: "case-c", Kind: "case", ExpectedVersion: 1, Events: MustEvents(t, "case-c", 1, 1)})
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Expected != 1 || ce.Actual != 2 {
		t.Fatalf("stale append: err = %v, want conflict expected 1 actual 2", err)
	}
	_, err = h.Store.Append(t.Context(), store.AppendRequest{Stream: "case-none", Kind: "case", ExpectedVersion: 4, Events: MustEvents(t, "case-none", 4, 1)})
	if !errors.As(err, &ce) || ce.Actual != 0 {
		t.Fatalf("append to a missing stream with expected version 4: err = %v, want conflict actual 0", err)
	}
}

// testConcurrentWriters: two writers with the same expected version, many rounds;
// exactly one wins each round and the other gets a typed conflict.
func testConcurrentWriters(t *testing.T, h Harness) {
	const rounds = 40
	MustAppend(t, h.Store, store.AppendRequest{Stream: "case-race", Kind: "case", Events: MustEvents(t, "case-race", 0, 1)})
	for round := int64(1); round <= rounds; round++ {
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 2 {
			evs := MustEvents(t, "case-race", round, 1)
			wg.Go(func() {
				<-start
				_, err := h.Store.Append(t.Context(), store.AppendRequest{Stream: "case-race", Kind: "case", ExpectedVersion: round, Events: evs})
				var ce *store.ConflictError
				switch {
				case err == nil:
					wins.Add(1)
				case errors.As(err, &ce):
					conflicts.Add(1)
				default:
					t.Errorf("round %d: unexpected error %v", round, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 || conflicts.Load() != 1 {
			t.Fatalf("round %d: %d wins and %d conflicts, want exactly 1 and 1", round, wins.Load(), conflicts.Load())
		}
	}
	recs, err := h.Store.ReadStream(t.Context(), "case-race", 0)
	if err != nil || len(recs) != rounds+1 {
		t.Fatalf("stream holds %d events (%v), want %d", len(recs), err, rounds+1)
	}
}

func testInvalidAppend(t *testing.T, h Harness) {
	good := MustEvents(t, "case-d", 0, 2)
	cases := map[string]store.AppendRequest{
		"no events":        {Stream: "case-d", Kind: "case"},
		"no kind":          {Stream: "case-d", Events: good},
		"version gap":      {Stream: "case-d", Kind: "case", Events: good[1:]},
		"other stream":     {Stream: "case-e", Kind: "case", Events: good},
		"unmarked":         {Stream: "case-d", Kind: "case", Events: unmarked(good)},
		"negative version": {Stream: "case-d", Kind: "case", ExpectedVersion: -1, Events: good},
	}
	for name, req := range cases {
		_, err := h.Store.Append(t.Context(), req)
		if !failure.Is(err, failure.Invalid) {
			t.Errorf("%s: err = %v, want an Invalid error", name, err)
		}
	}
	if head, err := h.Store.Head(t.Context()); err != nil || head != 0 {
		t.Fatalf("after refused appends Head = %d, %v; want 0", head, err)
	}
}

// unmarked strips the TLP label: unmarked input is refused, never defaulted.
func unmarked(evs []event.Event) []event.Event {
	out := slices.Clone(evs)
	for i := range out {
		out[i].Marking.TLP = ""
	}
	return out
}

func testKindIsFixed(t *testing.T, h Harness) {
	MustAppend(t, h.Store, store.AppendRequest{Stream: "org-x", Kind: "organisation", Events: MustEvents(t, "org-x", 0, 1)})
	_, err := h.Store.Append(t.Context(), store.AppendRequest{Stream: "org-x", Kind: "case", ExpectedVersion: 1, Events: MustEvents(t, "org-x", 1, 1)})
	if !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), "organisation") {
		t.Fatalf("append with another kind: err = %v, want Invalid naming the stream's kind", err)
	}
}

func testSnapshot(t *testing.T, h Harness) {
	s := h.Store
	if _, err := s.Snapshot(t.Context(), "case-s"); !failure.Is(err, failure.NotFound) {
		t.Fatalf("snapshot of a missing stream: err = %v, want NotFound", err)
	}
	MustAppend(t, s, store.AppendRequest{Stream: "case-s", Kind: "case", Events: MustEvents(t, "case-s", 0, 2), Snapshot: []byte(`{"v":2}`)})
	MustAppend(t, s, store.AppendRequest{Stream: "case-s", Kind: "case", ExpectedVersion: 2, Events: MustEvents(t, "case-s", 2, 1)})
	snap, err := s.Snapshot(t.Context(), "case-s")
	if err != nil || snap.Version != 2 || string(snap.Data) != `{"v":2}` {
		t.Fatalf("snapshot = %+v, %v; want version 2 (the append without a snapshot leaves it)", snap, err)
	}
	// A conflicting append must not leave its snapshot behind.
	_, err = s.Append(t.Context(), store.AppendRequest{Stream: "case-s", Kind: "case", ExpectedVersion: 1, Events: MustEvents(t, "case-s", 1, 1), Snapshot: []byte(`{"v":"lost"}`)})
	if err == nil {
		t.Fatal("stale append succeeded")
	}
	MustAppend(t, s, store.AppendRequest{Stream: "case-s", Kind: "case", ExpectedVersion: 3, Events: MustEvents(t, "case-s", 3, 1), Snapshot: []byte(`{"v":4}`)})
	snap, err = s.Snapshot(t.Context(), "case-s")
	if err != nil || snap.Version != 4 || string(snap.Data) != `{"v":4}` {
		t.Fatalf("snapshot = %+v, %v; want version 4", snap, err)
	}
}

func testReadAfterPages(t *testing.T, h Harness) {
	for i := range 5 {
		MustAppend(t, h.Store, store.AppendRequest{Stream: streamName("case-p", i), Kind: "case", Events: MustEvents(t, streamName("case-p", i), 0, 7)})
	}
	var after int64
	var seen int
	for {
		recs, err := h.Store.ReadAfter(t.Context(), after, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			if r.Position != after+1 {
				t.Fatalf("position %d follows %d: positions must be gap-free", r.Position, after)
			}
			after = r.Position
			seen++
		}
	}
	if seen != 35 {
		t.Fatalf("paged through %d events, want 35", seen)
	}
	bodies, err := h.Store.ReadBodiesAfter(t.Context(), 30, 10)
	if err != nil || len(bodies) != 5 || bodies[0].Position != 31 {
		t.Fatalf("ReadBodiesAfter(30) = %d bodies, %v; want positions 31..35", len(bodies), err)
	}
	recs, err := h.Store.ReadAfter(t.Context(), 30, 1)
	if err != nil || !bytes.Equal(recs[0].Body, bodies[0].Bytes) || recs[0].Event.ID != bodies[0].ID || recs[0].Event.Stream != bodies[0].Stream {
		t.Fatalf("ReadBodiesAfter and ReadAfter disagree on position 31: %v", err)
	}
	if _, err := h.Store.ReadAfter(t.Context(), 0, 0); !failure.Is(err, failure.Invalid) {
		t.Errorf("limit 0: err = %v, want Invalid", err)
	}
}

func testListStreams(t *testing.T, h Harness) {
	for i := range 3 {
		MustAppend(t, h.Store, store.AppendRequest{Stream: streamName("case-l", i), Kind: "case", Events: MustEvents(t, streamName("case-l", i), 0, 1)})
	}
	MustAppend(t, h.Store, store.AppendRequest{Stream: "org-l", Kind: "organisation", Events: MustEvents(t, "org-l", 0, 2)})
	cases, err := h.Store.ListStreams(t.Context(), "case")
	if err != nil || len(cases) != 3 {
		t.Fatalf("ListStreams(case) = %d, %v; want 3", len(cases), err)
	}
	orgs, err := h.Store.ListStreams(t.Context(), "organisation")
	if err != nil || len(orgs) != 1 || orgs[0].Version != 2 || orgs[0].CreatedAt.IsZero() {
		t.Fatalf("ListStreams(organisation) = %+v, %v", orgs, err)
	}
	kinds, err := h.Store.ReadKindAfter(t.Context(), "organisation", 0, 10)
	if err != nil || len(kinds) != 2 || kinds[0].Event.Stream != "org-l" {
		t.Fatalf("ReadKindAfter(organisation) = %d, %v; want the 2 organisation events only", len(kinds), err)
	}
	if kinds, err := h.Store.ReadKindAfter(t.Context(), "organisation", kinds[0].Position, 10); err != nil || len(kinds) != 1 {
		t.Fatalf("ReadKindAfter after the first = %d, %v; want 1", len(kinds), err)
	}
	if none, err := h.Store.ListStreams(t.Context(), "exercise"); err != nil || len(none) != 0 {
		t.Fatalf("ListStreams(exercise) = %+v, %v; want none", none, err)
	}
}

// testDatabaseRefusesChanges acts as someone with SQL access: the database itself
// must refuse to rewrite history, whatever the application does.
func testDatabaseRefusesChanges(t *testing.T, h Harness) {
	MustAppend(t, h.Store, store.AppendRequest{Stream: "case-r", Kind: "case", Events: MustEvents(t, "case-r", 0, 2)})
	ctx := t.Context()
	attacks := []string{
		`UPDATE events SET type = 'forged' WHERE position = 1`,
		`UPDATE events SET body = body WHERE position = 2`,
		`DELETE FROM events WHERE position = 2`,
		`DELETE FROM events`,
	}
	for _, q := range attacks {
		if _, err := h.DB.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the database to refuse it as append-only", q, err)
		}
	}
	recs, err := h.Store.ReadStream(ctx, "case-r", 0)
	if err != nil || len(recs) != 2 || recs[0].Event.Type != "test.appended" {
		t.Fatalf("after the attacks the stream holds %d events (%v), want both untouched", len(recs), err)
	}
	if err := h.Store.ExtendLedger(ctx, 0, 1, 0, [][32]byte{{1}}, []byte("checkpoint")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE ledger_hashes SET idx = 99`, `DELETE FROM ledger_hashes`, `UPDATE ledger_checkpoints SET size = 9`, `DELETE FROM ledger_checkpoints`} {
		if _, err := h.DB.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want it refused", q, err)
		}
	}
}

// testFollowerNeverMisses hammers the store with writers on many streams while a
// follower reads by position. Were a later position to become visible before an
// earlier one, the follower would skip the earlier one for good; it must instead
// see every position, once, in order.
func testFollowerNeverMisses(t *testing.T, h Harness) {
	const writers, appendsEach, batch = 6, 25, 3
	total := int64(writers * appendsEach * batch)
	var wg sync.WaitGroup
	for w := range writers {
		stream := streamName("case-h", w)
		wg.Go(func() {
			for i := range appendsEach {
				after := int64(i * batch)
				if _, err := h.Store.Append(t.Context(), store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: after, Events: MustEvents(t, stream, after, batch)}); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	var followed int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		var after int64
		for after < total && !t.Failed() {
			recs, err := h.Store.ReadAfter(t.Context(), after, 50)
			if err != nil {
				t.Errorf("follower: %v", err)
				return
			}
			for _, r := range recs {
				if r.Position != after+1 {
					t.Errorf("follower saw position %d right after %d: an event was missed", r.Position, after)
					return
				}
				after = r.Position
			}
		}
		followed = after
	}()
	wg.Wait()
	<-done
	if !t.Failed() && followed != total {
		t.Fatalf("follower reached position %d, want %d", followed, total)
	}
}

func testLedger(t *testing.T, h Harness) {
	s, ctx := h.Store, t.Context()
	if size, cp, err := s.LedgerHead(ctx); err != nil || size != 0 || cp != nil {
		t.Fatalf("empty ledger head = %d, %q, %v", size, cp, err)
	}
	if err := s.ExtendLedger(ctx, 0, 2, 0, [][32]byte{{1}, {2}, {3}}, []byte("cp2")); err != nil {
		t.Fatal(err)
	}
	var ce *store.ConflictError
	if err := s.ExtendLedger(ctx, 0, 1, 0, [][32]byte{{9}}, []byte("stale")); !errors.As(err, &ce) {
		t.Fatalf("stale extension: err = %v, want *ConflictError", err)
	}
	size, cp, err := s.LedgerHead(ctx)
	if err != nil || size != 2 || string(cp) != "cp2" {
		t.Fatalf("ledger head = %d, %q, %v; want 2, cp2", size, cp, err)
	}
	hs, err := s.ReadHashes(ctx, []int64{2, 0})
	if err != nil || hs[0] != [32]byte{3} || hs[1] != [32]byte{1} {
		t.Fatalf("ReadHashes = %v, %v", hs, err)
	}
	if _, err := s.ReadHashes(ctx, []int64{7}); err == nil {
		t.Fatal("reading a hash that was never stored must fail")
	}
	if hs, err := s.ReadHashRange(ctx, 1, 3); err != nil || len(hs) != 2 || hs[0] != [32]byte{2} || hs[1] != [32]byte{3} {
		t.Fatalf("ReadHashRange(1, 3) = %v, %v", hs, err)
	}
	if _, err := s.ReadHashRange(ctx, 2, 5); err == nil {
		t.Fatal("a range past the stored hashes must fail")
	}
}

// testAppendBatch: several streams in one transaction get contiguous positions
// and their snapshots; a conflict on any one stream writes nothing at all; a
// stream named twice is refused.
func testAppendBatch(t *testing.T, h Harness) {
	s := h.Store
	MustAppend(t, s, store.AppendRequest{Stream: "obj-b", Kind: "stix-object", Events: MustEvents(t, "obj-b", 0, 1)})
	res, err := s.AppendBatch(t.Context(), []store.AppendRequest{
		{Stream: "obj-a", Kind: "stix-object", Events: MustEvents(t, "obj-a", 0, 2), Snapshot: []byte(`{"a":1}`)},
		{Stream: "obj-b", Kind: "stix-object", ExpectedVersion: 1, Events: MustEvents(t, "obj-b", 1, 1), Snapshot: []byte(`{"b":2}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].FirstPosition != 2 || res[0].LastPosition != 3 || res[0].Version != 2 ||
		res[1].FirstPosition != 4 || res[1].LastPosition != 4 || res[1].Version != 2 {
		t.Fatalf("results %+v, want positions 2..3 and 4, versions 2 and 2", res)
	}
	if snap, err := s.Snapshot(t.Context(), "obj-b"); err != nil || string(snap.Data) != `{"b":2}` || snap.Version != 2 {
		t.Fatalf("obj-b's snapshot: %+v %v", snap, err)
	}
	// obj-b is at version 2: a batch expecting 1 fails whole.
	_, err = s.AppendBatch(t.Context(), []store.AppendRequest{
		{Stream: "obj-c", Kind: "stix-object", Events: MustEvents(t, "obj-c", 0, 1)},
		{Stream: "obj-b", Kind: "stix-object", ExpectedVersion: 1, Events: MustEvents(t, "obj-b", 1, 1)},
	})
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Stream != "obj-b" {
		t.Fatalf("a stale stream in the batch: %v, want a conflict on obj-b", err)
	}
	if recs, _ := s.ReadStream(t.Context(), "obj-c", 0); len(recs) != 0 {
		t.Fatal("a failed batch wrote obj-c")
	}
	if head, _ := s.Head(t.Context()); head != 4 {
		t.Fatalf("head %d after a failed batch, want 4", head)
	}
	_, err = s.AppendBatch(t.Context(), []store.AppendRequest{
		{Stream: "obj-d", Kind: "stix-object", Events: MustEvents(t, "obj-d", 0, 1)},
		{Stream: "obj-d", Kind: "stix-object", ExpectedVersion: 1, Events: MustEvents(t, "obj-d", 1, 1)},
	})
	if !failure.Is(err, failure.Invalid) {
		t.Fatalf("a stream named twice: %v, want invalid", err)
	}
}
