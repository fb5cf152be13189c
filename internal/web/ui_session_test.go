package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestPageWithExpiredSessionGoesToLogin: an officer whose session ended gets
// the login form, not an API error document; the API still answers 401.
func TestPageWithExpiredSessionGoesToLogin(t *testing.T) {
	h, _ := reportFixture(t)
	c := newClient(t, h)
	c.MustLogin("sanne", "sanne's passphrase")
	old := c.cookie
	if rec := c.json("DELETE", "/api/v1/session", nil, true); rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d", rec.Code)
	}
	// Another tab of the browser still sends the ended session's cookie.
	c.cookie = old
	rec := c.do("GET", "/", "", "", nil)
	if rec.Code != http.StatusSeeOther && rec.Code != http.StatusFound {
		t.Fatalf("a page with an ended session answered %d: %.200s", rec.Code, rec.Body.String())
	}
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("redirected to %q, want the login form", loc)
	}
	c.cookie = old
	if rec := c.json("GET", "/api/v1/session", nil, false); rec.Code != http.StatusUnauthorized {
		t.Errorf("the API with an ended session answered %d, want 401", rec.Code)
	}
}
