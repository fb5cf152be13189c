package main

import (
	"bytes"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

// MustSealedStore fills a SQLite store under dir with n events (in batches over
// ten streams) and seals it with the node key, as a running node would.
func MustSealedStore(t *testing.T, dir string, n int) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const streams, batch = 10, 100
	for i := range streams {
		stream := "case-" + string(rune('a'+i))
		for v := 0; v < n/streams; v += batch {
			storetest.MustAppend(t, s, store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: int64(v), Events: storetest.MustEvents(t, stream, int64(v), batch)})
		}
	}
	keys, _, err := ledger.LoadOrCreateKeys(dir, "test.node")
	if err != nil {
		t.Fatal(err)
	}
	if size, err := ledger.New(s, keys.Signer, keys.Verifier).Seal(t.Context()); err != nil || size != int64(n) {
		t.Fatalf("seal = %d, %v", size, err)
	}
}

// TestVerifyCommandDetectsOneChangedByte: verify passes on 10 000 events, and after
// one byte of one stored event is changed it fails with exit status 2, naming the
// event.
func TestVerifyCommandDetectsOneChangedByte(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 events: skipped in -short mode")
	}
	dir := t.TempDir()
	MustSealedStore(t, dir, 10000)
	out := MustRunCLI(t, nil, "verify", "--data-dir", dir)
	if !strings.HasPrefix(out, "OK: 10000 events; 10000 sealed under the checkpoint signed by test.node") {
		t.Fatalf("verify on an untouched store: %s", out)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "blueprint.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	var body []byte
	if err := db.QueryRow(`SELECT id, body FROM events WHERE position = 7321`).Scan(&id, &body); err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(body, []byte(`"sanne"`))
	body[i+1] = 'S' // one byte: "sanne" → "Sanne"
	// An attacker with the database file can drop the append-only trigger; the
	// ledger is what still tells.
	if _, err := db.Exec(`DROP TRIGGER events_are_append_only_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE events SET body = ? WHERE position = 7321`, body); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, nil, "verify", "--data-dir", dir)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("verify after tampering: err = %v, want exit status 2\n%s", err, out)
	}
	if !strings.Contains(out, "FAILED: event "+id) || !strings.Contains(out, "position 7321") {
		t.Fatalf("verify did not name event %s at position 7321:\n%s", id, out)
	}
}

func TestVerifyWithoutKeyExplains(t *testing.T) {
	_, err := runCLI(t, nil, "verify", "--data-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no node key") {
		t.Fatalf("verify without a key: err = %v", err)
	}
}
