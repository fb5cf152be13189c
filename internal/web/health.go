package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/eucyber/blueprint/internal/store"
)

// handleHealthz answers while the process is up: liveness, with no dependencies.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n")) //nolint:errcheck // the client went away
	})
}

// readyTimeout bounds the store check so a hung database fails readiness quickly.
const readyTimeout = 2 * time.Second

// handleReadyz answers 200 only while the store answers: readiness for a load
// balancer.
func handleReadyz(s store.Store, logger *slog.Logger) http.Handler {
	return api(logger, func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.Ping(ctx); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ready\n"))
		return nil
	})
}
