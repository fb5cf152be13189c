package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/store/postgres/pgtest"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/storetest"
)

func TestServeAnswersHealthReadinessAndModel(t *testing.T) {
	dir := t.TempDir()
	n := MustStartNode(t, nil, "--data-dir", dir)

	if resp, body := MustGet(t, n.URL+"/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", resp.StatusCode, body)
	}
	if resp, _ := MustGet(t, n.URL+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("/readyz = %d", resp.StatusCode)
	}
	resp, body := MustGet(t, n.URL+"/api/v1/model/sectors/health")
	if resp.StatusCode != 200 || !strings.Contains(body, "Annex II(4)") {
		t.Fatalf("/api/v1/model/sectors/health = %d %s", resp.StatusCode, body)
	}
	resp, body = MustGet(t, n.URL+"/api/v1/model/sectors/no-such-sector")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown sector = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, body := MustGet(t, n.URL+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, `blueprint_http_requests_total{code="200",method="GET",route="GET /healthz"}`) {
		t.Fatalf("/metrics = %d, missing the request counter:\n%.2000s", resp.StatusCode, body)
	}
	// The node created its key and store under the data directory, private.
	for _, f := range []string{"blueprint.db", ledger.PrivateKeyFile} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil || info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, err %v; want owner-only", f, info.Mode().Perm(), err)
		}
	}
}

// TestServeSealsAndShutsDownGracefully appends events while the node runs (as
// another replica would), stops it, and checks the final seal covered them and
// verify passes.
func TestServeSealsAndShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	n := MustStartNode(t, nil, "--data-dir", dir)
	s, err := sqlite.Open(t.Context(), filepath.Join(dir, "blueprint.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustAppend(t, s, store.AppendRequest{Stream: "case-live", Kind: "case", Events: storetest.MustEvents(t, "case-live", 0, 25)})
	s.Close()

	// A slow in-flight request must finish during shutdown.
	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(n.URL + "/api/v1/model/mechanisms")
		if err != nil {
			slow <- -1
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	time.Sleep(20 * time.Millisecond)
	if err := n.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if code := <-slow; code != 200 {
		t.Fatalf("request in flight at shutdown got %d", code)
	}
	if !strings.Contains(n.Logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop in the logs:\n%s", n.Logs.String())
	}
	out := MustRunCLI(t, nil, "verify", "--data-dir", dir)
	if !strings.HasPrefix(out, "OK: ") || !strings.Contains(out, "; 0 not yet sealed") {
		t.Fatalf("verify after a clean stop: %s", out)
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	cases := map[string][]string{
		"listen without port": {"serve", "--listen", "localhost"},
		"negative interval":   {"serve", "--seal-interval", "-1s"},
		"tls half given":      {"serve", "--tls-cert", "cert.pem"},
		"unknown store":       {"serve", "--db", "mysql://x"},
		"unknown clock":       {"serve", "--playbook-clocks", "no-such-clock=1h"},
		"negative clock":      {"serve", "--playbook-clocks", "undue-delay=-1h"},
		"missing taxonomy":    {"serve", "--severity-taxonomy", "/nonexistent/taxonomy.yaml"},
	}
	for name, args := range cases {
		out, err := runCLI(t, nil, append(args, "--data-dir", t.TempDir())...)
		if err == nil {
			t.Errorf("%s: serve started", name)
			continue
		}
		if !strings.Contains(err.Error(), "--") {
			t.Errorf("%s: error %q does not name the flag at fault (%s)", name, err, out)
		}
	}
	// The environment counts like the flag, and the error says where it came from.
	_, err := runCLI(t, map[string]string{"BLUEPRINT_LISTEN": "nope"}, "serve", "--data-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "BLUEPRINT_LISTEN") {
		t.Fatalf("bad BLUEPRINT_LISTEN: err = %v", err)
	}
}

func TestServeOnPostgres(t *testing.T) {
	dsn, _ := pgtest.MustSchemaDSN(t)
	n := MustStartNode(t, map[string]string{"BLUEPRINT_DB": dsn}, "--data-dir", t.TempDir())
	if resp, _ := MustGet(t, n.URL+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("/readyz on PostgreSQL = %d", resp.StatusCode)
	}
	var problem map[string]any
	_, body := MustGet(t, n.URL+"/api/v1/nothing-here")
	if err := json.Unmarshal([]byte(body), &problem); err != nil || problem["status"] != float64(404) {
		t.Fatalf("unknown API route: %s", body)
	}
}
