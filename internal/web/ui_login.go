package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// Logging in and out through the pages. The session is the API's (the same
// cookie, the same CSRF token); only the answers are pages.

type loginPage struct {
	basePage
	Form uiForm
	Next string
	// Message says why the last attempt failed. It is the same sentence for
	// an unknown username and a wrong password, so the page does not tell
	// whether an account exists.
	Message string
}

// badLogin is the one sentence for a failed login, whatever the cause.
const badLogin = "The username or the password is not right. Check both and try again."

func (u *webUI) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if callerFrom(r.Context()).authenticated() {
		return seeOther(w, r, next)
	}
	p := &loginPage{Form: uiForm{ID: "login-form"}, Next: next}
	p.Title = "Log in"
	return u.render(w, r, "login", http.StatusOK, p)
}

func (u *webUI) login(w http.ResponseWriter, r *http.Request) error {
	f, err := postedForm(r, "login-form")
	if err != nil {
		return err
	}
	next := localPath(f.Get("next"))
	_, secret, sess, err := u.d.Auth.Login(r.Context(), f.Get("username"), f.Get("password"), clientAddr(r))
	if err != nil {
		status, msg := http.StatusUnauthorized, badLogin
		switch failure.KindOf(err) {
		case failure.Unauthenticated:
		case failure.Throttled:
			status, msg = http.StatusTooManyRequests, "Too many failed logins: "+failure.PublicMessage(err)+"."
			var ra interface{ RetryAfterSeconds() int }
			if errors.As(err, &ra) {
				w.Header().Set("Retry-After", strconv.Itoa(ra.RetryAfterSeconds()))
			}
		default:
			return err
		}
		// The password is never sent back; the username is, so only the
		// password needs typing again.
		p := &loginPage{Form: uiForm{ID: "login-form", Values: url.Values{"username": {f.Get("username")}}}, Next: next, Message: msg}
		p.Title = "Log in"
		return u.render(w, r, "login", status, p)
	}
	// Signing in as someone else ends the session this browser had.
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := u.d.Auth.Logout(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	setSessionCookie(w, u.d.TLS, secret, int(time.Until(sess.ExpiresAt).Seconds()))
	return seeOther(w, r, next)
}

func (u *webUI) logout(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := u.d.Auth.Logout(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	clearSessionCookie(w, r)
	return seeOther(w, r, "/login")
}
