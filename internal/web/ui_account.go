package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
)

// The account page: who the signed-in user is, a form to change their own
// password, and their own API tokens. It goes through the same auth service
// calls as the API (account_api.go); only the answers are pages.

type accountPage struct {
	basePage
	// Form is the form that was sent and failed, shown again in place.
	Form   uiForm
	Tokens []tokenRow
	TTLs   []ttlChoice
	// Changed is set right after a password change, so the page confirms it.
	Changed bool
	// Created is the token just made; its secret is shown on this answer only.
	Created *createdToken
}

// tokenRow is one token as the list shows it.
type tokenRow struct {
	auth.Token
	State    string // active | expired | revoked
	LastUsed time.Time
}

// ttlChoice is one lifetime the token form offers.
type ttlChoice struct {
	Value, Label string
}

// tokenTTLs are the lifetimes offered, shortest first; the node's maximum
// cuts the list (auth.Service.MaxTokenTTL).
var tokenTTLs = []struct {
	d     time.Duration
	label string
}{
	{24 * time.Hour, "24 hours"},
	{7 * 24 * time.Hour, "7 days"},
	{30 * 24 * time.Hour, "30 days"},
	{90 * 24 * time.Hour, "90 days"},
}

var passwordLabels = fieldLabels{
	"current_password": {"Current password", "current_password"},
	"password":         {"New password", "password"},
	"password_confirm": {"New password again", "password_confirm"},
}

var tokenLabels = fieldLabels{
	"name": {"Name", "token-name"},
	"ttl":  {"Valid for", "token-ttl"},
}

func (u *webUI) account(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	p, err := u.accountPage(r, c)
	if err != nil {
		return err
	}
	p.Changed = r.URL.Query().Get("changed") == "password"
	return u.render(w, r, "account", http.StatusOK, p)
}

// accountPage builds the page around the caller's own tokens only: an
// admin's wider reach over their organisation's tokens is the API's, not
// this page's.
func (u *webUI) accountPage(r *http.Request, c caller) (*accountPage, error) {
	ts, err := u.d.Auth.Tokens(r.Context(), c.User)
	if err != nil {
		return nil, err
	}
	now := u.d.Auth.Now().UTC()
	p := &accountPage{Tokens: make([]tokenRow, 0, len(ts))}
	p.Title, p.Nav = "Your account", "account"
	for _, t := range ts {
		row := tokenRow{Token: t, State: "active"}
		switch {
		case t.RevokedAt != nil:
			row.State = "revoked"
		case !t.Active(now):
			row.State = "expired"
		}
		if t.LastUsed != nil {
			row.LastUsed = *t.LastUsed
		}
		p.Tokens = append(p.Tokens, row)
	}
	limit := u.d.Auth.MaxTokenTTL
	for _, choice := range tokenTTLs {
		if choice.d <= limit {
			p.TTLs = append(p.TTLs, ttlChoice{choice.d.String(), choice.label})
		}
	}
	if len(p.TTLs) == 0 {
		// A node whose maximum is under a day still offers its maximum.
		p.TTLs = []ttlChoice{{limit.String(), limit.String()}}
	}
	return p, nil
}

// failedAccount shows the page again with the form's messages; the password
// fields are never sent back.
func (u *webUI) failedAccount(w http.ResponseWriter, r *http.Request, c caller, f uiForm, labels fieldLabels, fields []string, err error) error {
	status, ok := shownInForm(err)
	if !ok {
		return err
	}
	p, perr := u.accountPage(r, c)
	if perr != nil {
		return perr
	}
	f.Errors = errorsOf(err, labels).inOrder(fields)
	p.Form = f
	return u.render(w, r, "account", status, p)
}

func (u *webUI) changePassword(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	f, err := postedForm(r, "password-form")
	if err != nil {
		return err
	}
	current, next, again := f.Get("current_password"), f.Get("password"), f.Get("password_confirm")
	// Only which form failed is kept: no password goes back into the page.
	f.Values = nil
	fields := []string{"current_password", "password", "password_confirm"}
	if next != again {
		return u.failedAccount(w, r, c, f, passwordLabels, fields, failure.Field("password_confirm", "does not match the new password; type it again"))
	}
	if err := u.d.Auth.SetPassword(r.Context(), c.User, c.User.ID, current, next); err != nil {
		return u.failedAccount(w, r, c, f, passwordLabels, fields, err)
	}
	// The change ended every session of the user, this one too; signing in
	// again with the new password keeps this browser in, and only it.
	_, secret, sess, err := u.d.Auth.Login(r.Context(), c.User.Username, next, clientAddr(r))
	if err != nil {
		return err
	}
	setSessionCookie(w, u.d.TLS, secret, int(time.Until(sess.ExpiresAt).Seconds()))
	return seeOther(w, r, "/account?changed=password")
}

func (u *webUI) createToken(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	f, err := postedForm(r, "token-form")
	if err != nil {
		return err
	}
	secret, t, err := u.d.Auth.CreateToken(r.Context(), c.User, auth.TokenRequest{Name: f.Get("name"), TTL: f.Get("ttl")})
	if err != nil {
		return u.failedAccount(w, r, c, f, tokenLabels, []string{"name", "ttl"}, err)
	}
	p, err := u.accountPage(r, c)
	if err != nil {
		return err
	}
	p.Created = &createdToken{Secret: secret, Token: t}
	// The secret is in this answer only: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	return u.render(w, r, "account", http.StatusCreated, p)
}

func (u *webUI) revokeToken(w http.ResponseWriter, r *http.Request) error {
	c, err := requirePageUser(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	// Only the caller's own tokens, before anything else: another user's
	// token id answers like one that does not exist.
	ts, err := u.d.Auth.Tokens(r.Context(), c.User)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ts, func(t auth.Token) bool { return t.ID == id }) {
		return errNoPage
	}
	f, err := postedForm(r, "revoke-"+id)
	if err != nil {
		return err
	}
	if f.Get("confirm") != "yes" {
		err := failure.Field("confirm", "tick the box to confirm: a revoked token cannot be used again")
		return u.failedAccount(w, r, c, f, fieldLabels{"confirm": {"Confirmation", "confirm-" + id}}, []string{"confirm"}, err)
	}
	if err := u.d.Auth.RevokeToken(r.Context(), c.User, id); err != nil {
		return err
	}
	return seeOther(w, r, "/account#tokens")
}
