package ledger

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Report is what Verify found.
type Report struct {
	Events   int64     // events in the log
	Sealed   int64     // events covered by the latest signed checkpoint
	Unsealed int64     // events committed after it, not yet sealed
	TreeHash tlog.Hash // root of the sealed tree
	Signer   string    // name on the checkpoint's signature
}

// TamperError names the first event or hash found altered.
type TamperError struct {
	Position int64
	EventID  string
	Stream   string
	Reason   string
}

func (e *TamperError) Error() string {
	if e.EventID == "" {
		return e.Reason
	}
	return fmt.Sprintf("event %s (stream %s, position %d): %s", e.EventID, e.Stream, e.Position, e.Reason)
}

// verifyBatch is how many events and hashes are read per round trip.
const verifyBatch = 2000

// Verify recomputes every leaf from the stored events and the whole tree, and
// checks it against both the stored hashes and the latest signed checkpoint. It
// trusts nothing stored but the node's public key: an event changed in the
// database is named, and so is a stored hash or checkpoint changed to match.
func (l *Ledger) Verify(ctx context.Context) (Report, error) {
	var rep Report
	size, msg, err := l.src.LedgerHead(ctx)
	if err != nil {
		return rep, fmt.Errorf("verify: %w", err)
	}
	var tree tlog.Tree
	if size > 0 {
		tree, rep.Signer, err = l.openCheckpoint(msg)
		if err != nil {
			return rep, err
		}
		if tree.N != size {
			return rep, &TamperError{Reason: fmt.Sprintf("the latest checkpoint is stored for size %d but signs size %d", size, tree.N)}
		}
	}
	rep.Sealed = size
	rep.TreeHash = tree.Hash

	// mem holds every stored hash recomputed from the events: 2 hashes (64 bytes)
	// per event on average.
	mem := memHashes{}
	var after int64
	for {
		recs, err := l.src.ReadBodiesAfter(ctx, after, verifyBatch)
		if err != nil {
			return rep, fmt.Errorf("verify: %w", err)
		}
		if len(recs) == 0 {
			break
		}
		batchStart := int64(len(mem))
		var leaves []int // index into recs of each sealed event, in order
		for i, r := range recs {
			n := after + int64(i)
			if r.Position != n+1 {
				return rep, &TamperError{Position: n + 1, Reason: fmt.Sprintf("position %d is missing from the log (the next stored position is %d)", n+1, r.Position)}
			}
			hs, err := tlog.StoredHashes(n, r.Bytes, mem)
			if err != nil {
				return rep, fmt.Errorf("verify: hash position %d: %w", r.Position, err)
			}
			mem = append(mem, hs...)
			if n < size {
				leaves = append(leaves, i)
			}
		}
		// The batch's stored hashes are one contiguous range: read it in one query
		// and compare each event's leaf, naming the first that differs.
		if len(leaves) > 0 {
			hi := min(int64(len(mem)), tlog.StoredHashCount(size))
			stored, err := l.src.ReadHashRange(ctx, batchStart, hi)
			if err != nil {
				return rep, fmt.Errorf("verify: read ledger hashes: %w", err)
			}
			for _, i := range leaves {
				idx := tlog.StoredHashIndex(0, after+int64(i))
				if tlog.Hash(stored[idx-batchStart]) != mem[idx] {
					r := recs[i]
					return rep, &TamperError{Position: r.Position, EventID: r.ID, Stream: r.Stream,
						Reason: "its stored bytes do not match the ledger: the event was altered after it was sealed"}
				}
			}
			for j, h := range stored {
				if tlog.Hash(h) != mem[batchStart+int64(j)] {
					level, n := tlog.SplitStoredHashIndex(batchStart + int64(j))
					return rep, &TamperError{Reason: fmt.Sprintf("stored ledger hash %d (level %d, node %d) was altered", batchStart+int64(j), level, n)}
				}
			}
		}
		after = recs[len(recs)-1].Position
	}
	rep.Events = after
	if after < size {
		return rep, &TamperError{Reason: fmt.Sprintf("the signed checkpoint covers %d events but the log holds only %d: events were removed", size, after)}
	}
	rep.Unsealed = after - size
	if size == 0 {
		return rep, nil
	}
	root, err := tlog.TreeHash(size, mem)
	if err != nil {
		return rep, fmt.Errorf("verify: tree hash: %w", err)
	}
	if root != tree.Hash {
		return rep, &TamperError{Reason: fmt.Sprintf("the tree recomputed from the events (%s) does not match the signed checkpoint (%s)", root, tree.Hash)}
	}
	return rep, nil
}

func (l *Ledger) openCheckpoint(msg []byte) (tlog.Tree, string, error) {
	n, err := note.Open(msg, note.VerifierList(l.verifier))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) && len(unverified.Note.UnverifiedSigs) > 0 {
			s := unverified.Note.UnverifiedSigs[0]
			return tlog.Tree{}, "", &TamperError{Reason: fmt.Sprintf("the latest checkpoint is signed by %q (key %08x), not by this node's key %q: wrong key file, or a forged checkpoint", s.Name, s.Hash, l.verifier.Name())}
		}
		return tlog.Tree{}, "", &TamperError{Reason: "the latest checkpoint's signature does not verify: " + err.Error()}
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		return tlog.Tree{}, "", &TamperError{Reason: "the latest checkpoint is malformed: " + err.Error()}
	}
	return tree, n.Sigs[0].Name, nil
}

type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m)) {
			return nil, fmt.Errorf("hash %d not computed", idx)
		}
		out[i] = m[idx]
	}
	return out, nil
}
