package ledger_test

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

type fixture struct {
	dir   string
	path  string
	store *sqlstore.Store
	keys  ledger.Keys
	led   *ledger.Ledger
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "blueprint.db")
	s, err := sqlite.Open(t.Context(), path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	keys, created, err := ledger.LoadOrCreateKeys(dir, "test.node")
	if err != nil || !created {
		t.Fatalf("create keys: created=%v err=%v", created, err)
	}
	return &fixture{dir: dir, path: path, store: s, keys: keys, led: ledger.New(s, keys.Signer, keys.Verifier)}
}

// fill appends n events over several streams in batches.
func (f *fixture) fill(t *testing.T, prefix string, streams, perStream int) {
	t.Helper()
	const batch = 50
	for i := range streams {
		stream := prefix + "-" + string(rune('a'+i))
		for v := 0; v < perStream; v += batch {
			storetest.MustAppend(t, f.store, store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: int64(v), Events: storetest.MustEvents(t, stream, int64(v), min(batch, perStream-v))})
		}
	}
}

// tamper changes one byte of the stored event at position pos, as someone with
// write access to the database file would: the append-only trigger is dropped first.
func (f *fixture) tamper(t *testing.T, pos int64) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+f.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var body []byte
	if err := db.QueryRow(`SELECT body FROM events WHERE position = ?`, pos).Scan(&body); err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(body, []byte("Česko"))
	if i < 0 {
		t.Fatalf("event %d has no text to alter: %s", pos, body)
	}
	body[i+len("Česko")-1] = 'a' // "Česko" → "Českа"-like one-byte change
	if _, err := db.Exec(`DROP TRIGGER events_are_append_only_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE events SET body = ? WHERE position = ?`, body, pos); err != nil {
		t.Fatal(err)
	}
}

func TestSealAndVerify10000(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 events: skipped in -short mode")
	}
	f := newFixture(t)
	f.fill(t, "case", 10, 1000)
	size, err := f.led.Seal(t.Context())
	if err != nil || size != 10000 {
		t.Fatalf("Seal = %d, %v; want 10000", size, err)
	}
	rep, err := f.led.Verify(t.Context())
	if err != nil {
		t.Fatalf("Verify on an untouched store: %v", err)
	}
	if rep.Events != 10000 || rep.Sealed != 10000 || rep.Unsealed != 0 || rep.Signer != "test.node" {
		t.Fatalf("report = %+v", rep)
	}

	recs, err := f.store.ReadAfter(t.Context(), 4566, 1)
	if err != nil {
		t.Fatal(err)
	}
	f.tamper(t, 4567)
	_, err = f.led.Verify(t.Context())
	var te *ledger.TamperError
	if !errors.As(err, &te) {
		t.Fatalf("Verify after tampering: err = %v, want a *TamperError", err)
	}
	if te.Position != 4567 || te.EventID != recs[0].Event.ID || !strings.Contains(err.Error(), recs[0].Event.ID) {
		t.Fatalf("Verify named %+v, want event %s at position 4567", te, recs[0].Event.ID)
	}
}

func TestIncrementalSealsAndUnsealedTail(t *testing.T) {
	f := newFixture(t)
	for round := range 5 {
		f.fill(t, "r"+string(rune('0'+round)), 2, 7)
		if _, err := f.led.Seal(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	f.fill(t, "late", 1, 3)
	rep, err := f.led.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sealed != 70 || rep.Unsealed != 3 || rep.Events != 73 {
		t.Fatalf("report = %+v, want 70 sealed and 3 unsealed", rep)
	}
	// An event appended but not yet sealed can be changed undetected only until
	// the next seal; after it, the tree covers it.
	if _, err := f.led.Seal(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.led.Verify(t.Context()); err != nil || rep.Unsealed != 0 {
		t.Fatalf("after sealing: %+v, %v", rep, err)
	}
}

func TestConcurrentSealersAgree(t *testing.T) {
	f := newFixture(t)
	other := ledger.New(f.store, f.keys.Signer, f.keys.Verifier)
	var wg sync.WaitGroup
	wg.Go(func() { f.fill(t, "w", 4, 120) })
	for _, l := range []*ledger.Ledger{f.led, other} {
		wg.Go(func() {
			for range 20 {
				if _, err := l.Seal(t.Context()); err != nil {
					t.Errorf("seal: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if _, err := f.led.Seal(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.led.Verify(t.Context()); err != nil || rep.Sealed != 480 {
		t.Fatalf("Verify = %+v, %v; want 480 sealed", rep, err)
	}
}

func TestVerifyRefusesAnotherKey(t *testing.T) {
	f := newFixture(t)
	f.fill(t, "k", 1, 5)
	if _, err := f.led.Seal(t.Context()); err != nil {
		t.Fatal(err)
	}
	otherKeys, _, err := ledger.LoadOrCreateKeys(t.TempDir(), "impostor.node")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ledger.New(f.store, otherKeys.Signer, otherKeys.Verifier).Verify(t.Context())
	if err == nil || !strings.Contains(err.Error(), "test.node") {
		t.Fatalf("Verify with another node's key: err = %v, want a refusal naming the signer", err)
	}
}

func TestVerifyDetectsAlteredHash(t *testing.T) {
	f := newFixture(t)
	f.fill(t, "h", 1, 9)
	if _, err := f.led.Seal(t.Context()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+f.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP TRIGGER ledger_hashes_append_only_update`); err != nil {
		t.Fatal(err)
	}
	// Index 2 is an interior hash (level 1 over leaves 0 and 1).
	if _, err := db.Exec(`UPDATE ledger_hashes SET hash = zeroblob(32) WHERE idx = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.led.Verify(t.Context()); err == nil || !strings.Contains(err.Error(), "ledger hash 2") {
		t.Fatalf("Verify after altering an interior hash: err = %v", err)
	}
}

func TestKeys(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := ledger.LoadOrCreateKeys(dir, "node.example")
	if err != nil || !created {
		t.Fatalf("first load: %v %v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, ledger.PrivateKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v (%v), want 0600", info.Mode().Perm(), err)
	}
	k2, created, err := ledger.LoadOrCreateKeys(dir, "ignored")
	if err != nil || created || k2.Public != k1.Public {
		t.Fatalf("reload: created=%v err=%v public %q vs %q", created, err, k2.Public, k1.Public)
	}
	pub, err := os.ReadFile(filepath.Join(dir, ledger.PublicKeyFile))
	if err != nil || strings.TrimSpace(string(pub)) != k1.Public {
		t.Fatalf("node.pub = %q, %v; want %q", pub, err, k1.Public)
	}
	if err := os.Chmod(filepath.Join(dir, ledger.PrivateKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.LoadOrCreateKeys(dir, "x"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key: err = %v, want a refusal", err)
	}
	if _, _, err := ledger.LoadOrCreateKeys(t.TempDir(), "bad name"); err == nil {
		t.Fatal("a key name with a space must be refused")
	}
}
