package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/ledger"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/playbook"
	"github.com/eucyber/blueprint/internal/publications"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/severity"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/telemetry"
)

func MustDeps(t testing.TB) Deps {
	t.Helper()
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(t.Context(), t.TempDir()+"/blueprint.db", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	svc := &auth.Service{Events: s, Creds: s, Dir: auth.NewDirectory(), Model: m,
		Hasher: auth.Hasher{Time: 1, Memory: 64, Threads: 1}, Throttle: auth.DefaultThrottle(), Now: time.Now,
		SessionTTL: time.Hour, MaxTokenTTL: 24 * time.Hour}
	if _, err := svc.SeedOrganisations(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.BootstrapAdmin(t.Context(), "admin", testAdminPassword); err != nil {
		t.Fatal(err)
	}
	tax, err := severity.Default()
	if err != nil {
		t.Fatal(err)
	}
	reps := &reports.Service{Store: s, Model: m, Taxonomy: tax, Now: time.Now}
	pb, err := playbook.Default()
	if err != nil {
		t.Fatal(err)
	}
	keys, _, err := ledger.LoadOrCreateKeys(t.TempDir(), "test.node")
	if err != nil {
		t.Fatal(err)
	}
	pubs := &publications.Service{Store: s, Signer: keys.Signer, Verifier: keys.Verifier, Now: time.Now}
	d := Deps{Store: s, Model: m, Metrics: telemetry.New(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MetricsAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Auth: svc, Cursors: MustCursors(t),
		Reports:      reps,
		Cases:        &cases.Service{Store: s, Model: m, Reports: reps, Playbook: pb, Now: time.Now, ActorOf: svc.Dir.ActorOf, Published: pubs.CaseEvents},
		Publications: pubs, Intel: &intel.Service{Store: s, Now: time.Now}}
	// The hub stops before the store closes (cleanups run last first).
	d.Live = NewLiveHub(d)
	ctx, stop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { d.Live.Run(ctx); close(stopped) }()
	t.Cleanup(func() { stop(); <-stopped })
	return d
}

func MustCursors(t testing.TB) *CursorSealer {
	t.Helper()
	c, err := NewCursorSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const testAdminPassword = "correct horse battery staple"

// TestOpenAPIDescribesEveryRoute compares routes() with the OpenAPI document both
// ways: a route under /api/v1 without a path in the document, or a documented
// path with no route, fails.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Parameters struct {
				Table struct {
					Schema struct {
						Enum []string `json:"enum"`
					} `json:"schema"`
				} `json:"table"`
			} `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	routed := map[string]bool{}
	for _, rt := range routes(MustDeps(t)) {
		if !strings.HasPrefix(rt.pattern, apiPrefix+"/") || rt.method == "" {
			continue // health and metrics are not API; "" is the API's 404 catch-all
		}
		key := strings.ToLower(rt.method) + " " + rt.pattern
		routed[key] = true
		if _, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]; !ok {
			t.Errorf("route %s %s is not described in openapi.json", rt.method, rt.pattern)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !routed[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which no route serves", strings.ToUpper(method), path)
			}
		}
	}
	var names []string
	for _, tbl := range modelTables() {
		names = append(names, tbl.name)
	}
	if !slices.Equal(names, doc.Comps.Parameters.Table.Schema.Enum) {
		t.Errorf("openapi.json table enum = %v, routes serve %v", doc.Comps.Parameters.Table.Schema.Enum, names)
	}
}

func TestModelAPI(t *testing.T) {
	h := NewServer(MustDeps(t))
	cases := []struct {
		path        string
		status      int
		contentType string
		contains    string
	}{
		{"/api/v1/model", 200, "application/json", `"href": "/api/v1/model/sectors"`},
		{"/api/v1/model/matrix", 200, "application/json", `"actor": "eu-cyclone"`},
		{"/api/v1/model/member-states/EL", 200, "application/json", `"Ελλάδα"`},
		{"/api/v1/model/memberships", 200, "application/json", `§20`},
		{"/api/v1/model/mechanisms/no-such", 404, "application/problem+json", `"field":"id"`},
		{"/api/v1/model/no-such-table", 404, "application/problem+json", `the tables are actors`},
		{"/api/v1/nothing", 404, "application/problem+json", `openapi.json`},
		{"/api/v1/openapi.json", 200, "application/json", `"openapi": "3.1.0"`},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Code != c.status || rec.Header().Get("Content-Type") != c.contentType || !strings.Contains(rec.Body.String(), c.contains) {
			t.Errorf("GET %s = %d %s, want %d %s containing %q\n%.500s", c.path, rec.Code, rec.Header().Get("Content-Type"), c.status, c.contentType, c.contains, rec.Body.String())
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: security headers missing", c.path)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/model/actors", strings.NewReader("{}")))
	if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusNotFound {
		t.Errorf("POST to a read-only table = %d", rec.Code)
	}
}

// TestMetricsOnlyForAllowedNetworks: an outside client must not read /metrics.
func TestMetricsOnlyForAllowedNetworks(t *testing.T) {
	h := NewServer(MustDeps(t))
	for addr, want := range map[string]int{"127.0.0.1:5000": 200, "203.0.113.7:5000": 403, "[::ffff:127.0.0.1]:80": 200} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = addr
		req.Header.Set("X-Forwarded-For", "127.0.0.1") // forged; must be ignored
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("/metrics from %s = %d, want %d", addr, rec.Code, want)
		}
	}
}

func TestReadyzFailsWhenStoreIsDown(t *testing.T) {
	d := MustDeps(t)
	h := NewServer(d)
	d.Store.Close()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with a closed store = %d, want 503", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "sql") {
		t.Errorf("the problem leaks driver detail: %s", rec.Body.String())
	}
}

func TestPanicBecomesProblem(t *testing.T) {
	d := MustDeps(t)
	h := recoverPanics(d.Logger, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("panic → %d %s; want a 500 without the panic text", rec.Code, rec.Body.String())
	}
}
