package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/model"
)

// The account and directory pages, driven as a browser drives them.

func TestUIAccountPasswordChange(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	c.uiLogin("admin", testAdminPassword)

	body := wantPage(t, c.uiGet("/account"), http.StatusOK)
	for _, want := range []string{`id="password-form"`, `name="current_password"`, `name="password"`, `name="password_confirm"`, `id="token-form"`, `>admin<`, `aria-current="page">Account<`} {
		if !strings.Contains(body, want) {
			t.Errorf("the account page lacks %s", want)
		}
	}

	const next = "a brand new long passphrase"
	wrong := url.Values{"current_password": {"not my password at all"}, "password": {next}, "password_confirm": {next}}
	body = wantPage(t, c.uiPost("/account/password", wrong), http.StatusUnprocessableEntity)
	fieldErr := regexp.MustCompile(`<p class="field-error" id="error-current_password">.*?</p>\s*<input type="password" id="current_password"`)
	if !fieldErr.MatchString(body) || !strings.Contains(body, "is not your current password") {
		t.Errorf("the message is not next to current_password: %.3000s", body)
	}
	if !strings.Contains(body, `href="#current_password"`) {
		t.Error("the error summary does not link to current_password")
	}
	for _, secret := range []string{"not my password at all", next} {
		if strings.Contains(body, secret) {
			t.Errorf("the page sends back the password %q", secret)
		}
	}

	mismatch := url.Values{"current_password": {testAdminPassword}, "password": {next}, "password_confirm": {next + "!"}}
	body = wantPage(t, c.uiPost("/account/password", mismatch), http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="error-password_confirm"`) {
		t.Errorf("a mistyped confirmation is not shown next to password_confirm: %.2000s", body)
	}

	rec := c.uiPost("/account/password", url.Values{"current_password": {testAdminPassword}, "password": {next}, "password_confirm": {next}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account?changed=password" {
		t.Fatalf("password change = %d → %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
	// This browser stays signed in, on a new session.
	body = wantPage(t, c.uiGet("/account?changed=password"), http.StatusOK)
	if !strings.Contains(body, "Password changed") {
		t.Error("the page does not confirm the change")
	}

	other := newClient(t, h)
	login := func(password string) int {
		return other.do("POST", "/login", "application/x-www-form-urlencoded", url.Values{"username": {"admin"}, "password": {password}}.Encode(), nil).Code
	}
	if code := login(testAdminPassword); code != http.StatusUnauthorized {
		t.Errorf("login with the old password = %d, want 401", code)
	}
	if code := login(next); code != http.StatusSeeOther {
		t.Errorf("login with the new password = %d, want 303", code)
	}
}

var tokenSecret = regexp.MustCompile(auth.TokenPrefix + `[A-Za-z0-9_-]+`)

func TestUIAccountTokens(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	c.uiLogin("admin", testAdminPassword)

	// Without the session's CSRF token, no form is accepted.
	for path, form := range map[string]url.Values{
		"/account/tokens":   {"name": {"forged"}},
		"/account/password": {"current_password": {testAdminPassword}, "password": {"forged passphrase!"}, "password_confirm": {"forged passphrase!"}},
	} {
		if rec := c.do("POST", path, "application/x-www-form-urlencoded", form.Encode(), nil); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s without csrf_token = %d, want 403", path, rec.Code)
		}
	}

	rec := c.uiPost("/account/tokens", url.Values{"name": {"MISP sync"}, "ttl": {"24h0m0s"}})
	body := wantPage(t, rec, http.StatusCreated)
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	secret := tokenSecret.FindString(body)
	if secret == "" || !strings.Contains(body, "will not be shown again") {
		t.Fatalf("the created token's secret or warning is missing: %.3000s", body)
	}
	tool := newClient(t, h)
	tool.bearer = secret
	if rec := tool.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusOK {
		t.Fatalf("the new token does not authenticate: %d %s", rec.Code, rec.Body.String())
	}

	body = wantPage(t, c.uiGet("/account"), http.StatusOK)
	if strings.Contains(body, secret) {
		t.Error("the secret is shown again")
	}
	id := regexp.MustCompile(`action="/account/tokens/([0-9a-f]+)/revoke"`).FindStringSubmatch(body)
	if id == nil || !strings.Contains(body, "MISP sync") {
		t.Fatalf("the token list has no revocable MISP sync token: %.3000s", body)
	}
	revoke := "/account/tokens/" + id[1] + "/revoke"

	// Without the confirmation nothing is revoked.
	body = wantPage(t, c.uiPost(revoke, url.Values{}), http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="error-confirm"`) {
		t.Errorf("a missing confirmation is not shown next to the box: %.2000s", body)
	}
	if rec := tool.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusOK {
		t.Fatalf("an unconfirmed revocation revoked the token: %d", rec.Code)
	}

	if rec := c.uiPost(revoke, url.Values{"confirm": {"yes"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke = %d: %s", rec.Code, rec.Body.String())
	}
	if rec := tool.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token still authenticates: %d", rec.Code)
	}
	body = wantPage(t, c.uiGet("/account"), http.StatusOK)
	if !strings.Contains(body, "<td>revoked</td>") || strings.Contains(body, revoke) {
		t.Errorf("the token is not shown as revoked, or can be revoked again: %.3000s", body)
	}
	// An unknown id is a page not found.
	wantPage(t, c.uiPost("/account/tokens/0123456789abcdef/revoke", url.Values{"confirm": {"yes"}}), http.StatusNotFound)
}

func TestUIDirectory(t *testing.T) {
	d := MustDeps(t)
	h := NewServer(d)
	admin, _ := d.Auth.Dir.UserByUsername("admin")
	if _, err := d.Auth.RegisterOrganisation(t.Context(), admin, auth.OrganisationRequest{ID: "be-ccb", Name: "CCB", NationalKind: "csirt", MemberState: "BE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Auth.GrantMembership(t.Context(), admin, "be-ccb", auth.Membership{Network: "csirts-network", Role: model.RoleChair}); err != nil {
		t.Fatal(err)
	}

	if rec := newClient(t, h).uiGet("/directory"); rec.Code != http.StatusSeeOther {
		t.Errorf("anonymous GET /directory = %d, want a redirect to the login form", rec.Code)
	}
	c := newClient(t, h)
	c.uiLogin("admin", testAdminPassword)
	body := wantPage(t, c.uiGet("/directory"), http.StatusOK)

	union, be := strings.Index(body, `id="union-actors"`), strings.Index(body, `id="ms-BE"`)
	if union < 0 || be < union {
		t.Fatalf("want the Union actors, then Belgium: %.3000s", body)
	}
	row := func(org string) string {
		m := regexp.MustCompile(`(?s)<tr data-org="` + org + `">.*?</tr>`).FindString(body)
		if m == "" {
			t.Fatalf("no row for %s", org)
		}
		return m
	}
	if r := row("be-ccb"); !strings.Contains(r, "<strong>chair</strong>") || !strings.Contains(r, "<strong>member</strong>") {
		t.Errorf("CCB's row lacks its chair and member roles: %s", r)
	}
	if r := row("commission"); !strings.Contains(r, "<strong>member</strong> <em>while A possible or ongoing large-scale cybersecurity incident") {
		t.Errorf("the Commission's conditional EU-CyCLONe membership is not marked: %s", r)
	}
	if !strings.Contains(body, `<th scope="col">Organisation</th>`) || !strings.Contains(body, `aria-current="page">Directory<`) {
		t.Error("the tables lack scope headers, or the navigation does not mark the page")
	}
}
