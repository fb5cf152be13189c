// Package ledger makes the event log tamper-evident (R19): every event is a leaf of
// a Merkle tree built with golang.org/x/mod/sumdb/tlog (the tree of the Go checksum
// database, RFC 6962 style), the tree's stored hashes are kept beside the events,
// and each extension of the tree is recorded as a checkpoint signed with the node's
// ed25519 key in golang.org/x/mod/sumdb/note format.
//
// The ledger follows the log after commit rather than inside the append
// transaction: appends stay fast and free of hashing, and a crash between commit
// and seal only delays sealing, which the next Seal (at start or on its interval)
// catches up. Leaf n of the tree is the event at position n+1; its record hash is
// the SHA-256 tree hash of the event's canonical bytes exactly as stored.
package ledger

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/eucyber/blueprint/internal/store"
)

// Source is what the ledger needs from the store.
type Source interface {
	ReadBodiesAfter(ctx context.Context, after int64, limit int) ([]store.Body, error)
	store.LedgerStore
}

// sealBatch bounds how many events one checkpoint covers, so that one Seal of a
// large backlog commits progress in steps.
const sealBatch = 5000

// Ledger seals and verifies the event log.
type Ledger struct {
	src      Source
	signer   note.Signer
	verifier note.Verifier
}

// New returns a ledger over src that signs with signer and checks with verifier.
func New(src Source, signer note.Signer, verifier note.Verifier) *Ledger {
	return &Ledger{src: src, signer: signer, verifier: verifier}
}

// Seal extends the tree over every committed event not yet in it, signing one
// checkpoint per batch, and returns the new tree size. If another replica seals
// at the same time, Seal picks up from where that one got to.
func (l *Ledger) Seal(ctx context.Context) (int64, error) {
	for {
		size, _, err := l.src.LedgerHead(ctx)
		if err != nil {
			return 0, fmt.Errorf("seal: %w", err)
		}
		recs, err := l.src.ReadBodiesAfter(ctx, size, sealBatch)
		if err != nil {
			return size, fmt.Errorf("seal: %w", err)
		}
		if len(recs) == 0 {
			return size, nil
		}
		err = l.extend(ctx, size, recs)
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			continue // another replica sealed this range first
		}
		if err != nil {
			return size, fmt.Errorf("seal: %w", err)
		}
	}
}

func (l *Ledger) extend(ctx context.Context, size int64, recs []store.Body) error {
	pending := &overlay{base: size, src: l.src, ctx: ctx}
	for i, r := range recs {
		n := size + int64(i)
		if r.Position != n+1 {
			return fmt.Errorf("event at position %d follows leaf %d: the log has a gap", r.Position, n)
		}
		hashes, err := tlog.StoredHashes(n, r.Bytes, pending)
		if err != nil {
			return fmt.Errorf("hash event %s at position %d: %w", r.ID, r.Position, err)
		}
		pending.hashes = append(pending.hashes, hashes...)
	}
	newSize := size + int64(len(recs))
	root, err := tlog.TreeHash(newSize, pending)
	if err != nil {
		return fmt.Errorf("tree hash at size %d: %w", newSize, err)
	}
	msg, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: newSize, Hash: root}))}, l.signer)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	raw := make([][32]byte, len(pending.hashes))
	for i, h := range pending.hashes {
		raw[i] = h
	}
	return l.src.ExtendLedger(ctx, size, newSize, tlog.StoredHashCount(size), raw, msg)
}

// overlay reads stored hashes from the batch being built and, below it, from the
// store.
type overlay struct {
	ctx    context.Context
	base   int64 // tree size the store already holds
	src    store.LedgerStore
	hashes []tlog.Hash // stored hashes from index StoredHashCount(base) on
}

func (o *overlay) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	first := tlog.StoredHashCount(o.base)
	out := make([]tlog.Hash, len(indexes))
	var fromStore []int64
	var where []int
	for i, idx := range indexes {
		if idx >= first {
			if idx-first >= int64(len(o.hashes)) {
				return nil, fmt.Errorf("hash %d is not computed yet", idx)
			}
			out[i] = o.hashes[idx-first]
			continue
		}
		fromStore = append(fromStore, idx)
		where = append(where, i)
	}
	if len(fromStore) > 0 {
		got, err := o.src.ReadHashes(o.ctx, fromStore)
		if err != nil {
			return nil, err
		}
		for j, h := range got {
			out[where[j]] = h
		}
	}
	return out, nil
}
