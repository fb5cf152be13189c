package web

import (
	"net/http"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
)

// sessionView is what the API says about the caller's session.
type sessionView struct {
	User         auth.User          `json:"user"`
	Organisation *auth.Organisation `json:"organisation,omitempty"`
	Via          string             `json:"via"`
	// CSRFToken must accompany every state-changing request made with the session
	// cookie, as the X-CSRF-Token header or the csrf_token form field.
	CSRFToken string     `json:"csrf_token,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func (d Deps) sessionViewOf(c caller) sessionView {
	v := sessionView{User: c.User, Via: c.Via}
	if o, ok := d.Auth.Dir.Organisation(c.User.Organisation); ok {
		v.Organisation = &o
	}
	if c.Session != nil {
		v.CSRFToken = c.Session.CSRF
		v.ExpiresAt = &c.Session.ExpiresAt
	}
	return v
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func handleLogin(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var req loginRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		u, secret, sess, err := d.Auth.Login(r.Context(), req.Username, req.Password, clientAddr(r))
		if err != nil {
			return err
		}
		setSessionCookie(w, d.TLS, secret, int(time.Until(sess.ExpiresAt).Seconds()))
		return writeJSON(w, http.StatusCreated, d.sessionViewOf(caller{User: u, Session: &sess, Via: "session"}))
	}
}

func handleSession(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, d.sessionViewOf(c))
	}
}

func handleLogout(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if ck, err := r.Cookie(sessionCookie); err == nil {
			if err := d.Auth.Logout(r.Context(), ck.Value); err != nil {
				return err
			}
		}
		clearSessionCookie(w, r)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
}

func handleSetPassword(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req passwordRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		target, err := d.userInReach(c, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := d.Auth.SetPassword(r.Context(), c.User, target.ID, req.CurrentPassword, req.Password); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

func handleListTokens(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		ts, err := d.Auth.Tokens(r.Context(), c.User)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, ts)
	}
}

// createdToken shows the token's secret, once.
type createdToken struct {
	Secret string `json:"token"`
	auth.Token
}

func handleCreateToken(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		var req auth.TokenRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		secret, t, err := d.Auth.CreateToken(r.Context(), c.User, req)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, createdToken{Secret: secret, Token: t})
	}
}

func handleRevokeToken(d Deps) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := requireUser(r)
		if err != nil {
			return err
		}
		if err := d.Auth.RevokeToken(r.Context(), c.User, r.PathValue("id")); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
