package auth_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
	"github.com/eucyber/blueprint/internal/model"
	"github.com/eucyber/blueprint/internal/store/sqlite"
	"github.com/eucyber/blueprint/internal/store/sqlstore"
	"github.com/eucyber/blueprint/internal/tlp"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// FastHasher keeps tests quick; the parameters are not for production.
var FastHasher = auth.Hasher{Time: 1, Memory: 64, Threads: 1}

const adminPassword = "correct horse battery staple"

type fixture struct {
	svc   *auth.Service
	store *sqlstore.Store
	clock *clock
	admin auth.User
}

func MustService(t *testing.T) *fixture {
	t.Helper()
	m, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 12, 1, 2, 40, 0, 0, time.UTC)}
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "blueprint.db"), c.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	svc := &auth.Service{Events: s, Creds: s, Dir: auth.NewDirectory(), Model: m, Hasher: FastHasher,
		Throttle: auth.DefaultThrottle(), Now: c.Now, SessionTTL: 12 * time.Hour, MaxTokenTTL: 90 * 24 * time.Hour}
	if _, err := svc.SeedOrganisations(t.Context()); err != nil {
		t.Fatal(err)
	}
	if created, err := svc.BootstrapAdmin(t.Context(), "admin", adminPassword); err != nil || !created {
		t.Fatalf("bootstrap: %v %v", created, err)
	}
	admin, _ := svc.Dir.UserByUsername("admin")
	return &fixture{svc: svc, store: s, clock: c, admin: admin}
}

func (f *fixture) MustOrg(t *testing.T, id, kind, ms string) auth.Organisation {
	t.Helper()
	o, err := f.svc.RegisterOrganisation(t.Context(), f.admin, auth.OrganisationRequest{ID: id, Name: "Org " + id, NationalKind: kind, MemberState: ms})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (f *fixture) MustUser(t *testing.T, username, org string, role auth.Role) auth.User {
	t.Helper()
	u, err := f.svc.CreateUser(t.Context(), f.admin, auth.UserRequest{Username: username, DisplayName: "Δημήτρης " + username,
		Organisation: org, Role: string(role), Password: "password for " + username})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSeededOrganisationsCarryModelMemberships(t *testing.T) {
	f := MustService(t)
	enisa, ok := f.svc.Dir.Organisation("enisa")
	if !ok {
		t.Fatal("ENISA was not seeded")
	}
	if got := enisa.Networks(); len(got) != 2 {
		t.Errorf("ENISA takes part in %v, want both networks (secretariat, §18)", got)
	}
	com, _ := f.svc.Dir.Organisation("commission")
	var conditional bool
	for _, m := range com.Memberships {
		if m.Network == "eu-cyclone" && m.Role == model.RoleMember && m.Condition != "" && strings.Contains(m.Ref, "§20") {
			conditional = true
		}
	}
	if !conditional {
		t.Errorf("the Commission lacks its conditional EU-CyCLONe membership (§20): %+v", com.Memberships)
	}
	// An observer is reached by "eu-cyclone", not by "eu-cyclone/members";
	// the secretariat by both.
	if got := com.Audiences(); !slices.Contains(got, "eu-cyclone") || slices.Contains(got, "eu-cyclone/members") {
		t.Errorf("the observing Commission's audiences: %v", got)
	}
	if got := enisa.Audiences(); !slices.Contains(got, "eu-cyclone/members") || !slices.Contains(got, "csirts-network/members") {
		t.Errorf("ENISA's audiences: %v", got)
	}
	if _, ok := f.svc.Dir.Organisation("csirts-network"); ok {
		t.Error("a network was seeded as an organisation")
	}
	// Seeding again changes nothing.
	if created, err := f.svc.SeedOrganisations(t.Context()); err != nil || len(created) != 0 {
		t.Fatalf("second seed created %v, %v", created, err)
	}
	nl := f.MustOrg(t, "nl-ncsc", "csirt", "NL")
	if got := nl.Networks(); len(got) != 1 || got[0] != "csirts-network" {
		t.Errorf("a national CSIRT takes part in %v, want the CSIRTs Network (§15)", got)
	}
	for _, m := range nl.Memberships {
		if m.Role == model.RoleChair {
			t.Error("every national CSIRT was made chair")
		}
	}
}

func TestRegisterOrganisationValidatesAndAuthorises(t *testing.T) {
	f := MustService(t)
	_, err := f.svc.RegisterOrganisation(t.Context(), f.admin, auth.OrganisationRequest{ID: "X", Name: "", NationalKind: "ministry", MemberState: "GR"})
	for _, field := range []string{"id", "name", "national_kind", "member_state"} {
		if !strings.Contains(err.Error(), field+":") {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
	f.MustOrg(t, "be-ccb", "cyber-crisis-management-authority", "BE")
	if _, err := f.svc.RegisterOrganisation(t.Context(), f.admin, auth.OrganisationRequest{ID: "be-ccb", Name: "again", NationalKind: "csirt", MemberState: "BE"}); !failure.Is(err, failure.Conflict) {
		t.Errorf("duplicate organisation: %v", err)
	}
	orgAdmin := f.MustUser(t, "be.admin", "be-ccb", auth.RoleAdmin)
	if _, err := f.svc.RegisterOrganisation(t.Context(), orgAdmin, auth.OrganisationRequest{ID: "fr-anssi", Name: "ANSSI", NationalKind: "csirt", MemberState: "FR"}); !failure.Is(err, failure.Forbidden) {
		t.Errorf("an organisation's admin registered another organisation: %v", err)
	}
}

func TestUserAdministration(t *testing.T) {
	f := MustService(t)
	f.MustOrg(t, "nl-ncsc", "csirt", "NL")
	f.MustOrg(t, "be-ccb", "cyber-crisis-management-authority", "BE")
	nlAdmin := f.MustUser(t, "nl.admin", "nl-ncsc", auth.RoleAdmin)
	nlAnalyst := f.MustUser(t, "sanne", "nl-ncsc", auth.RoleAnalyst)

	if _, err := f.svc.CreateUser(t.Context(), nlAdmin, auth.UserRequest{Username: "intruder", DisplayName: "x", Organisation: "be-ccb", Role: "admin", Password: "long enough password"}); !failure.Is(err, failure.Forbidden) {
		t.Errorf("NL admin created a BE user: %v", err)
	}
	if _, err := f.svc.CreateUser(t.Context(), nlAnalyst, auth.UserRequest{Username: "friend", DisplayName: "x", Organisation: "nl-ncsc", Role: "viewer", Password: "long enough password"}); !failure.Is(err, failure.Forbidden) {
		t.Errorf("an analyst created a user: %v", err)
	}
	if _, err := f.svc.CreateUser(t.Context(), nlAdmin, auth.UserRequest{Username: "SANNE", DisplayName: "x", Organisation: "nl-ncsc", Role: "viewer", Password: "long enough password"}); !failure.Is(err, failure.Conflict) {
		t.Errorf("a username differing only in case was accepted: %v", err)
	}
	_, err := f.svc.CreateUser(t.Context(), nlAdmin, auth.UserRequest{Username: "a", DisplayName: "", Organisation: "nl-ncsc", Role: "boss", Password: "short"})
	for _, field := range []string{"username", "display_name", "role", "password"} {
		if err == nil || !strings.Contains(err.Error(), field+":") {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
	if _, err := f.svc.DisableUser(t.Context(), nlAdmin, nlAdmin.ID, "x"); err == nil {
		t.Error("an admin disabled their own account")
	}
	u, err := f.svc.DisableUser(t.Context(), nlAdmin, nlAnalyst.ID, "left the team")
	if err != nil || !u.Disabled {
		t.Fatalf("disable: %+v %v", u, err)
	}
	if _, err := f.svc.Authenticate(t.Context(), "sanne", "password for sanne", "192.0.2.1"); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("a disabled user logged in: %v", err)
	}
	if v := f.svc.Dir.Viewer(nlAnalyst.ID, ""); !v.Anonymous() {
		t.Errorf("a disabled user still has a viewer identity: %+v", v)
	}
}

// TestLoginDoesNotRevealAccounts: unknown user and wrong password get the same
// answer.
func TestLoginDoesNotRevealAccounts(t *testing.T) {
	f := MustService(t)
	_, errUnknown := f.svc.Authenticate(t.Context(), "nobody", "whatever password", "192.0.2.1")
	_, errWrong := f.svc.Authenticate(t.Context(), "admin", "wrong password!!", "192.0.2.2")
	if errUnknown == nil || errWrong == nil || errUnknown.Error() != errWrong.Error() {
		t.Fatalf("unknown user: %v; wrong password: %v; want the same error", errUnknown, errWrong)
	}
	if u, err := f.svc.Authenticate(t.Context(), " ADMIN ", adminPassword, "192.0.2.3"); err != nil || u.ID != f.admin.ID {
		t.Fatalf("login with case and spaces: %v", err)
	}
}

// TestTwentyWrongPasswordsAreThrottled: 20 wrong passwords within a minute; after
// the account's limit every further try is refused without checking the password,
// even the right one, until the window passes.
func TestTwentyWrongPasswordsAreThrottled(t *testing.T) {
	f := MustService(t)
	var throttled int
	for i := range 20 {
		f.clock.Advance(2 * time.Second)
		_, err := f.svc.Authenticate(t.Context(), "admin", "guess number "+string(rune('a'+i)), "198.51.100.9")
		var te *auth.ThrottledError
		if errors.As(err, &te) {
			throttled++
			if te.RetryAfter <= 0 {
				t.Errorf("throttled with no retry time")
			}
		} else if !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if throttled < 15 {
		t.Fatalf("only %d of 20 wrong passwords were throttled", throttled)
	}
	var te *auth.ThrottledError
	if _, err := f.svc.Authenticate(t.Context(), "admin", adminPassword, "203.0.113.5"); !errors.As(err, &te) {
		t.Fatalf("the right password from another address during the lockout: %v, want throttled", err)
	}
	// Spraying many accounts from one address is limited per address too.
	for i := range 25 {
		f.svc.Authenticate(t.Context(), "user"+string(rune('a'+i)), "guess guess guess", "198.51.100.77") //nolint:errcheck
	}
	if _, err := f.svc.Authenticate(t.Context(), "someone-else", "guess guess guess", "198.51.100.77"); !errors.As(err, &te) {
		t.Fatalf("25 accounts tried from one address: %v, want throttled", err)
	}
	f.clock.Advance(16 * time.Minute)
	if _, err := f.svc.Authenticate(t.Context(), "admin", adminPassword, "203.0.113.5"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestSessions(t *testing.T) {
	f := MustService(t)
	u, secret, sess, err := f.svc.Login(t.Context(), "admin", adminPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	got, gotSess, err := f.svc.SessionUser(t.Context(), secret)
	if err != nil || got.ID != u.ID || gotSess.CSRF != sess.CSRF {
		t.Fatalf("SessionUser: %+v %v", got, err)
	}
	if err := auth.CheckCSRF(gotSess, ""); !failure.Is(err, failure.Forbidden) {
		t.Errorf("empty CSRF token accepted: %v", err)
	}
	if err := auth.CheckCSRF(gotSess, sess.CSRF+"x"); err == nil {
		t.Error("wrong CSRF token accepted")
	}
	if err := auth.CheckCSRF(gotSess, sess.CSRF); err != nil {
		t.Errorf("right CSRF token refused: %v", err)
	}
	f.clock.Advance(13 * time.Hour)
	if _, _, err := f.svc.SessionUser(t.Context(), secret); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("expired session accepted: %v", err)
	}
	_, secret, _, _ = f.svc.Login(t.Context(), "admin", adminPassword, "192.0.2.1")
	if err := f.svc.SetPassword(t.Context(), u, u.ID, adminPassword, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SessionUser(t.Context(), secret); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("session survived a password change: %v", err)
	}
	if err := f.svc.SetPassword(t.Context(), u, u.ID, "not the current one", "another new passphrase"); err == nil || !strings.Contains(err.Error(), "current_password") {
		t.Errorf("password changed without the current one: %v", err)
	}
	if _, _, err := f.svc.SessionUser(t.Context(), "not-a-session"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("garbage session id: %v", err)
	}
	_, secret, _, _ = f.svc.Login(t.Context(), "admin", "a brand new passphrase", "192.0.2.1")
	if err := f.svc.Logout(t.Context(), secret); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SessionUser(t.Context(), secret); err == nil {
		t.Error("session survived logout")
	}
}

func TestTokens(t *testing.T) {
	f := MustService(t)
	f.MustOrg(t, "nl-ncsc", "csirt", "NL")
	sanne := f.MustUser(t, "sanne", "nl-ncsc", auth.RoleAnalyst)
	other := f.MustUser(t, "piet", "nl-ncsc", auth.RoleAnalyst)
	secret, tok, err := f.svc.CreateToken(t.Context(), sanne, auth.TokenRequest{Name: "MISP sync", TTL: "24h"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, auth.TokenPrefix) || tok.Hash == "" || strings.Contains(tok.Hash, secret) {
		t.Fatalf("token %q / stored %+v", secret, tok)
	}
	if u, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.1"); err != nil || u.ID != sanne.ID {
		t.Fatalf("TokenUser: %v", err)
	}
	if _, _, err := f.svc.TokenUser(t.Context(), secret[:len(secret)-2]+"AA", "192.0.2.1"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("altered token accepted: %v", err)
	}
	if err := f.svc.RevokeToken(t.Context(), other, tok.ID); !failure.Is(err, failure.NotFound) {
		t.Errorf("another analyst revoked the token: %v", err)
	}
	if _, err := f.svc.Tokens(t.Context(), other); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevokeToken(t.Context(), sanne, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.1"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("revoked token accepted: %v", err)
	}
	secret, _, _ = f.svc.CreateToken(t.Context(), sanne, auth.TokenRequest{Name: "short", TTL: "1h"})
	f.clock.Advance(61 * time.Minute)
	if _, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.1"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("expired token accepted: %v", err)
	}
	if _, _, err := f.svc.CreateToken(t.Context(), sanne, auth.TokenRequest{Name: "forever", TTL: "100000h"}); err == nil || !strings.Contains(err.Error(), "ttl") {
		t.Errorf("token beyond the maximum lifetime: %v", err)
	}
}

// TestAuditAndNoSecretsInTheLog: logins, failures and token creation and use are
// events marked for the operator and the user's organisation; no password or
// token secret is ever in the log.
func TestAuditAndNoSecretsInTheLog(t *testing.T) {
	f := MustService(t)
	f.MustOrg(t, "nl-ncsc", "csirt", "NL")
	sanne := f.MustUser(t, "sanne", "nl-ncsc", auth.RoleAnalyst)
	f.svc.Authenticate(t.Context(), "sanne", "password for sanne", "192.0.2.1") //nolint:errcheck
	f.svc.Authenticate(t.Context(), "sanne", "wrong wrong wrong", "192.0.2.1")  //nolint:errcheck
	secret, _, err := f.svc.CreateToken(t.Context(), sanne, auth.TokenRequest{Name: "tool"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.9"); err != nil {
		t.Fatal(err)
	}
	recs, err := f.store.ReadAfter(t.Context(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]tlp.Marking{}
	for _, r := range recs {
		for _, s := range []string{"password for sanne", "wrong wrong wrong", secret, adminPassword, "$argon2id$"} {
			if bytes.Contains(r.Body, []byte(s)) {
				t.Errorf("event %s (%s) contains a secret: %s", r.Event.ID, r.Event.Type, r.Body)
			}
		}
		seen[r.Event.Type] = r.Event.Marking
	}
	for _, typ := range []string{auth.EventLoginSucceeded, auth.EventLoginFailed, auth.EventTokenCreated, auth.EventTokenUsed} {
		m, ok := seen[typ]
		if !ok {
			t.Errorf("no %s event recorded", typ)
			continue
		}
		if m.TLP != tlp.AmberStrict || m.Audience.Kind != tlp.Organisations {
			t.Errorf("%s is marked %+v, want TLP:AMBER+STRICT for named organisations", typ, m)
		}
	}
}
