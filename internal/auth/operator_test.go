package auth_test

import (
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/event"
	"github.com/eucyber/blueprint/internal/failure"
)

// eventsOf returns the events of type typ in the log, oldest first.
func (f *fixture) eventsOf(t *testing.T, typ string) []event.Event {
	t.Helper()
	recs, err := f.store.ReadAfter(t.Context(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []event.Event
	for _, r := range recs {
		if r.Event.Type == typ {
			out = append(out, r.Event)
		}
	}
	return out
}

func TestOperatorAddsUsers(t *testing.T) {
	f := MustService(t)
	u, err := f.svc.AddUser(t.Context(), auth.UserRequest{Username: " Sanne.DeVries ", DisplayName: "Sanne de Vries",
		Organisation: "enisa", Role: "analyst", Password: "a long enough passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.Username != "sanne.devries" || u.Organisation != "enisa" || u.Role != auth.RoleAnalyst {
		t.Fatalf("AddUser returned %+v", u)
	}
	if _, err := f.svc.Authenticate(t.Context(), "sanne.devries", "a long enough passphrase", "192.0.2.1"); err != nil {
		t.Fatalf("the new user cannot log in: %v", err)
	}
	regs := f.eventsOf(t, auth.EventUserRegistered)
	if last := regs[len(regs)-1]; last.Actor != auth.SystemActor {
		t.Errorf("the registration is recorded as done by %+v, want the operator %+v", last.Actor, auth.SystemActor)
	}

	_, err = f.svc.AddUser(t.Context(), auth.UserRequest{Username: "sanne.devries", DisplayName: "Again", Organisation: "enisa", Role: "viewer", Password: "a long enough passphrase"})
	if !failure.Is(err, failure.Conflict) || !strings.Contains(err.Error(), "sanne.devries") {
		t.Errorf("a taken username: %v, want a conflict naming it", err)
	}
	_, err = f.svc.AddUser(t.Context(), auth.UserRequest{Username: "piet", DisplayName: "Piet", Organisation: "nl-nowhere", Role: "boss", Password: "short"})
	if !failure.Is(err, failure.Invalid) {
		t.Fatalf("bad request: %v, want invalid", err)
	}
	for _, want := range []string{`"nl-nowhere"`, "enisa", "role:", `"boss"`, "password:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if _, ok := f.svc.Dir.UserByUsername("piet"); ok {
		t.Error("a refused user was created")
	}
}

func TestOperatorManagesTokens(t *testing.T) {
	f := MustService(t)
	sanne := f.MustUser(t, "sanne", "enisa", auth.RoleAnalyst)

	if _, _, err := f.svc.CreateTokenFor(t.Context(), "nobody", auth.TokenRequest{Name: "x"}); !failure.Is(err, failure.NotFound) || !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("token for an unknown user: %v, want not-found naming the username", err)
	}
	if _, err := f.svc.TokensOf(t.Context(), "nobody"); !failure.Is(err, failure.NotFound) || !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("tokens of an unknown user: %v, want not-found naming the username", err)
	}
	if _, _, err := f.svc.CreateTokenFor(t.Context(), "sanne", auth.TokenRequest{Name: "x", TTL: "forever"}); err == nil || !strings.Contains(err.Error(), "ttl") {
		t.Errorf("bad ttl: %v", err)
	}

	secret, tok, err := f.svc.CreateTokenFor(t.Context(), "SANNE", auth.TokenRequest{Name: "MISP sync", TTL: "24h"})
	if err != nil {
		t.Fatal(err)
	}
	if u, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.1"); err != nil || u.ID != sanne.ID {
		t.Fatalf("the operator's token does not authenticate its user: %+v %v", u, err)
	}
	created := f.eventsOf(t, auth.EventTokenCreated)
	if len(created) != 1 || created[0].Actor != auth.SystemActor || created[0].Stream != "user-"+sanne.ID {
		t.Errorf("token creation recorded as %+v, want one event by the operator in the user's stream", created)
	}
	toks, err := f.svc.TokensOf(t.Context(), "sanne")
	if err != nil || len(toks) != 1 || toks[0].ID != tok.ID || toks[0].Name != "MISP sync" {
		t.Fatalf("TokensOf: %+v %v", toks, err)
	}

	if err := f.svc.RevokeTokenByID(t.Context(), "0123456789ab"); !failure.Is(err, failure.NotFound) {
		t.Errorf("revoking an unknown token: %v, want not-found", err)
	}
	if err := f.svc.RevokeTokenByID(t.Context(), tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.TokenUser(t.Context(), secret, "192.0.2.1"); !failure.Is(err, failure.Unauthenticated) {
		t.Errorf("a revoked token authenticates: %v", err)
	}
	if err := f.svc.RevokeTokenByID(t.Context(), tok.ID); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	revoked := f.eventsOf(t, auth.EventTokenRevoked)
	if len(revoked) != 1 || revoked[0].Actor != auth.SystemActor || !strings.Contains(string(revoked[0].Payload), tok.ID) {
		t.Errorf("revocation recorded as %+v, want one event by the operator naming the token", revoked)
	}
	if toks, _ := f.svc.TokensOf(t.Context(), "sanne"); len(toks) != 1 || toks[0].RevokedAt == nil {
		t.Errorf("TokensOf after revoking: %+v", toks)
	}

	if _, err := f.svc.DisableUserByName(t.Context(), "sanne", "left"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.CreateTokenFor(t.Context(), "sanne", auth.TokenRequest{Name: "x"}); !failure.Is(err, failure.Invalid) || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("token for a disabled user: %v", err)
	}
}
