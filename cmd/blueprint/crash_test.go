package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/tlp"
)

// crashChildEnv, when set to a data directory, makes the test binary run
// crashChild instead of the tests (see TestMain).
const crashChildEnv = "BLUEPRINT_CRASH_CHILD_DIR"

// TestCrashSafety kills a process that appends and seals in a loop with SIGKILL,
// twice, restarting it in between, and then checks that every append the child
// reported as successful is in the store and that the ledger verifies.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes: skipped in -short mode")
	}
	dir := t.TempDir()
	acked := map[string]int64{} // event id → position, as reported by the child
	for life := range 2 {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		killAt := 300 + life*200
		lines := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "ok" {
				continue
			}
			pos, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				t.Fatalf("child said %q", sc.Text())
			}
			acked[f[1]] = pos
			if lines++; lines == killAt {
				// Mid-stream: appends and seals are in flight right now.
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("life %d: child ended with %v, not by SIGKILL (after %d appends)", life, err, lines)
		}
	}
	if len(acked) < 500 {
		t.Fatalf("only %d appends acknowledged before the kills", len(acked))
	}

	// Restart as serve does: open (recovering the WAL), seal the backlog, verify.
	s, err := sqlite.Open(t.Context(), filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string]int64{}
	var after int64
	for {
		recs, err := s.ReadAfter(t.Context(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			stored[r.Event.ID] = r.Position
		}
		after = recs[len(recs)-1].Position
	}
	for id, pos := range acked {
		if got, ok := stored[id]; !ok || got != pos {
			t.Errorf("acknowledged event %s at position %d is missing after the crash (found at %d)", id, pos, got)
		}
	}
	keys, _, err := ledger.LoadOrCreateKeys(dir, "crash.node")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ledger.New(s, keys.Signer, keys.Verifier).Seal(t.Context()); err != nil {
		t.Fatal(err)
	}
	out := MustRunCLI(t, nil, "verify", "--data-dir", dir)
	if !strings.HasPrefix(out, "OK: ") || !strings.Contains(out, "0 not yet sealed") {
		t.Fatalf("verify after crashes: %s", out)
	}
	t.Logf("%d appends acknowledged, %d stored, verify: %s", len(acked), len(stored), strings.TrimSpace(out))
}

// crashChild is the child of TestCrashSafety (started through TestMain): it
// appends one event at a time to four streams, continuing where a previous life
// stopped, seals the ledger concurrently, and prints "ok <id> <position>" after
// each append returns. It runs until it is killed.
func crashChild(dir string) error {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		return err
	}
	keys, _, err := ledger.LoadOrCreateKeys(dir, "crash.node")
	if err != nil {
		return err
	}
	led := ledger.New(s, keys.Signer, keys.Verifier)
	go func() {
		for {
			if _, err := led.Seal(ctx); err != nil {
				fmt.Fprintln(os.Stderr, "seal:", err)
			}
			time.Sleep(3 * time.Millisecond)
		}
	}()
	versions := map[string]int64{}
	infos, err := s.ListStreams(ctx, "case")
	if err != nil {
		return err
	}
	for _, si := range infos {
		versions[si.Stream] = si.Version
	}
	for i := 0; ; i++ {
		stream := fmt.Sprintf("case-crash-%d", i%4)
		id, err := event.NewID()
		if err != nil {
			return err
		}
		v := versions[stream] + 1
		ev := event.Event{
			ID: id, Stream: stream, Version: v, Type: "test.appended",
			OccurredAt: time.Now(), RecordedAt: time.Now(),
			Actor:   event.Actor{User: "crash", Organisation: "test"},
			Marking: tlp.Marking{TLP: tlp.Green, Audience: tlp.Audience{Kind: tlp.Community}},
			Payload: []byte(fmt.Sprintf(`{"n":%d}`, v)),
		}
		res, err := s.Append(ctx, store.AppendRequest{Stream: stream, Kind: "case", ExpectedVersion: v - 1, Events: []event.Event{ev}})
		if err != nil {
			return err
		}
		versions[stream] = v
		fmt.Printf("ok %s %d\n", ev.ID, res.LastPosition)
	}
}
