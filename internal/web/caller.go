package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/tlp"
)

// sessionCookie holds the browser session id.
const sessionCookie = "bp_session"

// caller is who made the request: a user through a session or a token, or no one.
type caller struct {
	User    auth.User
	Session *auth.Session // set for cookie sessions, which need CSRF checks
	Via     string        // "session", "token" or "" for anonymous
}

func (c caller) authenticated() bool { return c.Via != "" }

type callerKey struct{}

func callerFrom(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}

// viewer is the TLP gate's view of the caller.
func (d Deps) viewer(r *http.Request) tlp.Viewer {
	c := callerFrom(r.Context())
	if !c.authenticated() {
		return tlp.Viewer{}
	}
	return d.Auth.Dir.Viewer(c.User.ID, "")
}

// authenticate identifies the caller from a bearer token or a session cookie. A
// credential that is presented but not valid is refused outright rather than
// treated as anonymous, so a client learns its token has stopped working. Unsafe
// methods on a cookie session need the session's CSRF token.
func authenticate(svc *auth.Service, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c caller
		if strings.HasPrefix(r.URL.Path, taxiiPrefix) {
			// The TAXII server authenticates its clients itself (Basic or
			// Bearer, answered with TAXII errors) and reads no cookie.
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
			return
		}
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				writeProblem(w, r, logger, failure.New(failure.Unauthenticated, "the Authorization header must be \"Bearer <API token>\""))
				return
			}
			u, _, err := svc.TokenUser(r.Context(), strings.TrimSpace(token), clientAddr(r))
			if err != nil {
				writeProblem(w, r, logger, err)
				return
			}
			c = caller{User: u, Via: "token"}
		} else if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
			u, sess, err := svc.SessionUser(r.Context(), ck.Value)
			if err != nil && !strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
				// A page: an expired session is an anonymous visit, which the
				// page answers by sending the officer to the login form.
				clearSessionCookie(w, r)
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller{})))
				return
			}
			if err != nil {
				clearSessionCookie(w, r)
				writeProblem(w, r, logger, err)
				return
			}
			c = caller{User: u, Session: &sess, Via: "session"}
			if !safeMethod(r.Method) {
				submitted := r.Header.Get("X-CSRF-Token")
				if submitted == "" && isForm(r) {
					submitted = r.PostFormValue("csrf_token")
				}
				if err := auth.CheckCSRF(sess, submitted); err != nil {
					writeProblem(w, r, logger, err)
					return
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func isForm(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")
}

// clientAddr is the connection's address, for throttling and audit. Forwarded
// headers are not trusted: a client can write them.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requireUser refuses anonymous callers.
func requireUser(r *http.Request) (caller, error) {
	c := callerFrom(r.Context())
	if !c.authenticated() {
		return c, failure.New(failure.Unauthenticated, "log in (POST /api/v1/session) or send an API token as \"Authorization: Bearer <token>\"")
	}
	return c, nil
}

func setSessionCookie(w http.ResponseWriter, secure bool, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}
