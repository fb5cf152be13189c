package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// client drives the handler like a browser or a tool would: it keeps the session
// cookie and, when asked, sends the CSRF token.
type client struct {
	t      *testing.T
	h      http.Handler
	cookie *http.Cookie
	csrf   string
	bearer string
	addr   string
}

func newClient(t *testing.T, h http.Handler) *client {
	return &client{t: t, h: h, addr: "192.0.2.10:4242"}
}

func (c *client) do(method, path, contentType, body string, header map[string]string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = c.addr
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == sessionCookie {
			if ck.MaxAge < 0 {
				c.cookie = nil
			} else {
				c.cookie = ck
			}
		}
	}
	return rec
}

// json sends a JSON request; with csrf it adds the session's token.
func (c *client) json(method, path string, body any, csrf bool) *httptest.ResponseRecorder {
	c.t.Helper()
	var s string
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		s = string(b)
	}
	h := map[string]string{}
	if csrf {
		h["X-CSRF-Token"] = c.csrf
	}
	return c.do(method, path, "application/json", s, h)
}

func (c *client) MustLogin(username, password string) {
	c.t.Helper()
	rec := c.json("POST", "/api/v1/session", map[string]string{"username": username, "password": password}, false)
	if rec.Code != http.StatusCreated {
		c.t.Fatalf("login %s: %d %s", username, rec.Code, rec.Body.String())
	}
	var v struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.CSRF == "" {
		c.t.Fatalf("login answer has no CSRF token: %s", rec.Body.String())
	}
	c.csrf = v.CSRF
	if c.cookie == nil || !c.cookie.HttpOnly || c.cookie.SameSite != http.SameSiteLaxMode {
		c.t.Fatalf("session cookie %+v: want HttpOnly and SameSite", c.cookie)
	}
}

func TestLoginSessionAndLogout(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	if rec := c.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
		t.Fatalf("anonymous GET /session = %d", rec.Code)
	}
	c.MustLogin("admin", testAdminPassword)
	rec := c.json("GET", "/api/v1/session", nil, false)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"organisation": "platform-operator"`) {
		t.Fatalf("GET /session = %d %s", rec.Code, rec.Body.String())
	}
	if rec := c.json("DELETE", "/api/v1/session", nil, true); rec.Code != http.StatusNoContent {
		t.Fatalf("logout = %d %s", rec.Code, rec.Body.String())
	}
	if rec := c.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusUnauthorized {
		t.Fatalf("after logout GET /session = %d", rec.Code)
	}
}

func TestLoginErrorsDoNotRevealAccounts(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	unknown := c.json("POST", "/api/v1/session", map[string]string{"username": "nobody", "password": "x"}, false)
	wrong := c.json("POST", "/api/v1/session", map[string]string{"username": "admin", "password": "x"}, false)
	if unknown.Code != 401 || wrong.Code != 401 || unknown.Body.String() != wrong.Body.String() {
		t.Fatalf("unknown user: %d %s\nwrong password: %d %s", unknown.Code, unknown.Body, wrong.Code, wrong.Body)
	}
	bad := c.do("POST", "/api/v1/session", "application/json", `{"username":"admin","password":"x","extra":1}`, nil)
	if bad.Code != 422 || !strings.Contains(bad.Body.String(), `"field":"/extra"`) {
		t.Fatalf("unknown field: %d %s", bad.Code, bad.Body)
	}
}

// TestTwentyWrongPasswordsInAMinuteAreThrottled over HTTP: 429 with Retry-After.
func TestTwentyWrongPasswordsInAMinuteAreThrottled(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	codes := map[int]int{}
	var last *httptest.ResponseRecorder
	for range 20 {
		last = c.json("POST", "/api/v1/session", map[string]string{"username": "admin", "password": "not the password"}, false)
		codes[last.Code]++
	}
	if codes[http.StatusTooManyRequests] < 15 || last.Header().Get("Retry-After") == "" {
		t.Fatalf("20 wrong passwords: status counts %v, last Retry-After %q; want throttling", codes, last.Header().Get("Retry-After"))
	}
	if rec := c.json("POST", "/api/v1/session", map[string]string{"username": "admin", "password": testAdminPassword}, false); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("the right password during the lockout = %d, want 429", rec.Code)
	}
}

// TestCSRFLessPostsAreRefused: with a session cookie, a state-changing request
// without the session's CSRF token is refused — a form post, a JSON post, a
// wrong token — and cross-site browser requests are refused before that.
func TestCSRFLessPostsAreRefused(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	c.MustLogin("admin", testAdminPassword)
	form := url.Values{"name": {"from a form"}}.Encode()
	cases := map[string]*httptest.ResponseRecorder{
		"form post without token":  c.do("POST", "/api/v1/tokens", "application/x-www-form-urlencoded", form, nil),
		"form post with bad token": c.do("POST", "/api/v1/tokens", "application/x-www-form-urlencoded", form+"&csrf_token=forged", nil),
		"JSON post without token":  c.json("POST", "/api/v1/tokens", map[string]string{"name": "tool"}, false),
		"JSON with wrong header":   c.do("POST", "/api/v1/tokens", "application/json", `{"name":"tool"}`, map[string]string{"X-CSRF-Token": "forged"}),
		"logout without token":     c.json("DELETE", "/api/v1/session", nil, false),
	}
	for name, rec := range cases {
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "CSRF") {
			t.Errorf("%s: %d %s; want 403 naming CSRF", name, rec.Code, rec.Body.String())
		}
	}
	cross := c.do("POST", "/api/v1/tokens", "application/json", `{"name":"tool"}`,
		map[string]string{"X-CSRF-Token": c.csrf, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if cross.Code != http.StatusForbidden {
		t.Errorf("cross-site post with the right token = %d, want 403 from cross-origin protection", cross.Code)
	}
	if rec := c.json("GET", "/api/v1/tokens", nil, false); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Fatalf("a refused post created a token: %s", rec.Body.String())
	}
	if rec := c.json("POST", "/api/v1/tokens", map[string]string{"name": "tool"}, true); rec.Code != http.StatusCreated {
		t.Fatalf("post with the token = %d %s", rec.Code, rec.Body.String())
	}
}

// TestBearerTokens: a tool uses an API token without cookie or CSRF; a bad token
// is refused, never treated as anonymous.
func TestBearerTokens(t *testing.T) {
	h := NewServer(MustDeps(t))
	c := newClient(t, h)
	c.MustLogin("admin", testAdminPassword)
	rec := c.json("POST", "/api/v1/tokens", map[string]string{"name": "MISP", "ttl": "1h"}, true)
	var tok struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.Token == "" {
		t.Fatalf("create token: %s", rec.Body.String())
	}
	tool := newClient(t, h)
	tool.bearer = tok.Token
	if rec := tool.json("GET", "/api/v1/organisations", nil, false); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"id": "enisa"`) {
		t.Fatalf("token GET /organisations = %d", rec.Code)
	}
	if rec := tool.json("POST", "/api/v1/tokens", map[string]string{"name": "second"}, false); rec.Code != http.StatusCreated {
		t.Fatalf("token POST without CSRF = %d %s (bearer requests carry no ambient credential)", rec.Code, rec.Body.String())
	}
	if rec := c.json("DELETE", "/api/v1/tokens/"+tok.ID, nil, true); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke = %d", rec.Code)
	}
	if rec := tool.json("GET", "/api/v1/organisations", nil, false); rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token = %d, want 401", rec.Code)
	}
	tool.bearer = "garbage"
	if rec := tool.json("GET", "/api/v1/model", nil, false); rec.Code != http.StatusUnauthorized {
		t.Fatalf("a garbage token on a public route = %d, want 401 (not silently anonymous)", rec.Code)
	}
}

func TestOrganisationAndUserAdministrationOverHTTP(t *testing.T) {
	h := NewServer(MustDeps(t))
	admin := newClient(t, h)
	admin.MustLogin("admin", testAdminPassword)
	rec := admin.json("POST", "/api/v1/organisations", map[string]string{"id": "nl-ncsc", "name": "NCSC-NL", "national_kind": "csirt", "member_state": "NL"}, true)
	if rec.Code != http.StatusCreated || rec.Header().Get("Location") != "/api/v1/organisations/nl-ncsc" {
		t.Fatalf("register organisation = %d %s", rec.Code, rec.Body.String())
	}
	rec = admin.json("POST", "/api/v1/organisations", map[string]string{"id": "x", "name": "", "national_kind": "ministry", "member_state": "GR"}, true)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "member_state") {
		t.Fatalf("invalid organisation = %d %s", rec.Code, rec.Body.String())
	}
	rec = admin.json("POST", "/api/v1/users", map[string]string{"username": "sanne", "display_name": "Sanne de Vries", "organisation": "nl-ncsc", "role": "analyst", "password": "a long passphrase here"}, true)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create user = %d %s", rec.Code, rec.Body.String())
	}
	sanne := newClient(t, h)
	sanne.MustLogin("sanne", "a long passphrase here")
	if rec := sanne.json("POST", "/api/v1/organisations", map[string]string{"id": "be-ccb", "name": "CCB", "national_kind": "csirt", "member_state": "BE"}, true); rec.Code != http.StatusForbidden {
		t.Fatalf("an analyst registered an organisation: %d", rec.Code)
	}
	if rec := sanne.json("POST", "/api/v1/organisations/nl-ncsc/memberships", map[string]string{"network": "csirts-network", "role": "chair"}, true); rec.Code != http.StatusForbidden {
		t.Fatalf("an analyst made their organisation chair: %d", rec.Code)
	}
	if rec := admin.json("POST", "/api/v1/organisations/nl-ncsc/memberships", map[string]string{"network": "csirts-network", "role": "chair"}, true); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"chair"`) {
		t.Fatalf("grant chair = %d %s", rec.Code, rec.Body.String())
	}
}
