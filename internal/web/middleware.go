package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/telemetry"
)

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush for streaming responses.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// routeKey holds, in the request context, where the matched route pattern is
// written: middleware that runs before the mux replaces the request (WithContext),
// so the mux's r.Pattern is not visible to the outer instrument otherwise.
type routeKey struct{}

func recordPattern(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
		next.ServeHTTP(w, r)
	})
}

// instrument counts requests and latencies by route pattern (never by raw path,
// which would let clients create unbounded label values) and logs each request.
func instrument(m *telemetry.Metrics, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		var route string
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		m.Requests.WithLabelValues(r.Method, route, strconv.Itoa(rec.status)).Inc()
		m.Latency.WithLabelValues(route).Observe(elapsed.Seconds())
		logger.DebugContext(r.Context(), "request", "method", r.Method, "route", route, "status", rec.status, "duration", elapsed)
	})
}

// recoverPanics turns a handler panic into a 500 problem and a log line, so one
// bad request does not take the node down.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeProblem(w, r, logger, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// onlyFrom answers 403 to clients outside the allowed networks. It looks at the
// connection's address, not X-Forwarded-For, which a client can forge.
func onlyFrom(logger *slog.Logger, allowed []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		addr, perr := netip.ParseAddr(host)
		if err == nil && perr == nil {
			addr = addr.Unmap()
			for _, p := range allowed {
				if p.Contains(addr) {
					next.ServeHTTP(w, r)
					return
				}
			}
		}
		writeProblem(w, r, logger, failure.New(failure.Forbidden, "/metrics is open only to the networks in --metrics-allow"))
	})
}
