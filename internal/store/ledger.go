package store

import "context"

// LedgerStore keeps the ledger's Merkle tree hashes and signed checkpoints
// (internal/ledger). Hashes are addressed by their golang.org/x/mod/sumdb/tlog
// stored-hash index. The tables are append-only, like the events.
type LedgerStore interface {
	// LedgerHead returns how many events the ledger covers and its latest signed
	// checkpoint (nil if none yet).
	LedgerHead(ctx context.Context) (size int64, checkpoint []byte, err error)
	// ReadHashes returns the stored hashes at the given indexes, in that order.
	// A missing index is an error.
	ReadHashes(ctx context.Context, indexes []int64) ([][32]byte, error)
	// ReadHashRange returns the stored hashes at indexes lo ≤ i < hi, in order; a
	// missing one is an error.
	ReadHashRange(ctx context.Context, lo, hi int64) ([][32]byte, error)
	// ExtendLedger stores the hashes for events oldSize+1 … newSize and the new
	// checkpoint, if the ledger still covers oldSize events; otherwise it returns a
	// *ConflictError (another replica sealed first).
	ExtendLedger(ctx context.Context, oldSize, newSize int64, firstIndex int64, hashes [][32]byte, checkpoint []byte) error
}
