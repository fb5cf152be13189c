// Package web is the node's HTTP surface: health and metrics endpoints and the JSON
// API under /api/v1 (RFC 9457 problem responses, an OpenAPI 3.1 document). Routes
// are declared in one place, routes.go; handlers are built by functions that take
// their dependencies (Mat Ryer's pattern).
package web

import (
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/cases"
	"github.com/eucyber/blueprint/internal/intel"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/publications"
	"github.com/eucyber/blueprint/internal/reports"
	"github.com/eucyber/blueprint/internal/store"
	"github.com/eucyber/blueprint/internal/taxii"
	"github.com/eucyber/blueprint/internal/telemetry"
)

// Deps is everything the HTTP surface needs.
type Deps struct {
	Store        store.Store
	Model        *model.Model
	Metrics      *telemetry.Metrics
	Logger       *slog.Logger
	MetricsAllow []netip.Prefix // client networks allowed to read /metrics
	Version      string
	Auth         *auth.Service
	// TLS says the node serves HTTPS, so cookies are marked Secure.
	TLS bool
	// Cursors seals pagination cursors; see NewCursorSealer.
	Cursors *CursorSealer
	Reports *reports.Service
	Cases   *cases.Service
	// Publications publishes situation reports (R7).
	Publications *publications.Service
	// Live fans changes out to open pages (GET /api/v1/live); whoever serves
	// runs it (LiveHub.Run) with the server's context.
	Live *LiveHub
	// Intel keeps the STIX objects organisations share (R16).
	Intel *intel.Service
	// TAXIIIndex, when set, is the TAXII server's index, which whoever serves
	// may build at start (Index.Refresh) so that the first request does not
	// wait for it; without it the server makes its own.
	TAXIIIndex *taxii.Index
}

// NewServer returns the node's HTTP handler with every route and middleware wired.
func NewServer(d Deps) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes(d) {
		mux.Handle(rt.method+" "+rt.pattern, recordPattern(rt.handler))
	}
	var h http.Handler = mux
	h = authenticate(d.Auth, d.Logger, h)
	// Refuses cross-origin unsafe requests from browsers (Sec-Fetch-Site, Origin)
	// before any handler runs; the CSRF token is the second line.
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	h = recoverPanics(d.Logger, h)
	h = instrument(d.Metrics, d.Logger, h)
	return h
}
