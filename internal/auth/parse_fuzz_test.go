package auth_test

import (
	"strings"
	"testing"

	"github.com/eucyber/blueprint/internal/auth"
)

// FuzzParseToken: bearer tokens come straight from the Authorization header.
func FuzzParseToken(f *testing.F) {
	f.Add("bpt_0123456789ab_" + strings.Repeat("A", 43))
	f.Add("bpt_")
	f.Add("Bearer x")
	f.Add("bpt_zzzzzzzzzzzz_" + strings.Repeat("A", 43))
	f.Fuzz(func(t *testing.T, s string) {
		id, err := auth.ParseToken(s)
		if err != nil {
			return
		}
		if len(id) != 12 || !strings.HasPrefix(s, auth.TokenPrefix+id+"_") {
			t.Fatalf("ParseToken(%q) accepted id %q", s, id)
		}
	})
}

// FuzzParseSessionID: session ids come straight from the cookie header.
func FuzzParseSessionID(f *testing.F) {
	f.Add(strings.Repeat("A", 43))
	f.Add("")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, s string) {
		if auth.ParseSessionID(s) == nil && len(s) != 43 {
			t.Fatalf("ParseSessionID accepted %q of length %d", s, len(s))
		}
	})
}

// FuzzVerify: a stored hash is read back from the database; a damaged or hostile
// one must be refused, never panic or allocate without bound.
func FuzzVerify(f *testing.F) {
	good, err := FastHasher.Hash("passphrase")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "passphrase")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x")
	f.Add("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		ok, err := auth.Verify(encoded, password)
		if err != nil && ok {
			t.Fatal("Verify returned ok with an error")
		}
	})
}
