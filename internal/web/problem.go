package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/eucyber/blueprint/internal/failure"
)

// problemTypeBase prefixes RFC 9457 problem type URIs; docs/problems.md explains
// each type.
const problemTypeBase = "https://github.com/eucyber/blueprint/blob/main/docs/problems.md#"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Field names the input at fault (a JSON pointer, query parameter or path
	// segment) for invalid-input problems.
	Field string `json:"field,omitempty"`
}

var problemStatus = map[failure.Kind]struct {
	status int
	title  string
}{
	failure.Invalid:         {http.StatusUnprocessableEntity, "The request is not valid"},
	failure.NotFound:        {http.StatusNotFound, "Not found"},
	failure.Conflict:        {http.StatusConflict, "Conflict"},
	failure.Forbidden:       {http.StatusForbidden, "Forbidden"},
	failure.Unauthenticated: {http.StatusUnauthorized, "Authentication required"},
	failure.Throttled:       {http.StatusTooManyRequests, "Too many requests"},
	failure.Unavailable:     {http.StatusServiceUnavailable, "Service unavailable"},
	failure.Internal:        {http.StatusInternalServerError, "Internal error"},
}

// apiHandler is a handler that returns its error instead of writing it, so errors
// become responses in exactly one place: api.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

func api(logger *slog.Logger, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeProblem(w, r, logger, err)
		}
	})
}

// writeProblem maps err to a problem response. Only internal errors are logged as
// errors, with their detail; the client sees a generic sentence for those.
func writeProblem(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	kind := failure.KindOf(err)
	ps, ok := problemStatus[kind]
	if !ok {
		kind, ps = failure.Internal, problemStatus[failure.Internal]
	}
	p := Problem{
		Type:     problemTypeBase + string(kind),
		Title:    ps.title,
		Status:   ps.status,
		Detail:   failure.PublicMessage(err),
		Instance: r.URL.Path,
	}
	var fe *failure.Error
	if errors.As(err, &fe) && kind != failure.Internal {
		p.Field = fe.Field
	}
	if kind == failure.Internal || kind == failure.Unavailable {
		logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var ra interface{ RetryAfterSeconds() int }
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", strconv.Itoa(ra.RetryAfterSeconds()))
	}
	if kind == failure.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="blueprint"`)
	}
	body, mErr := json.Marshal(p)
	if mErr != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// writeJSON encodes v fully before writing, so an encoding failure becomes a
// problem response instead of a truncated 200.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(append(body, '\n'))
	if err != nil {
		return nil //nolint:nilerr // the client went away; the status is already sent
	}
	return nil
}
