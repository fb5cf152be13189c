package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Secrets handed to clients — API tokens and session ids — are 32 random bytes.
// Only their SHA-256 is stored: with that much entropy a fast hash is enough, and
// a stolen database yields nothing that authenticates.
const secretBytes = 32

// TokenPrefix marks blueprint API tokens so secret scanners can find leaked ones.
const TokenPrefix = "bpt_"

func newSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret returns the stored form of a token or session id.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ParseToken checks the shape of a bearer token before any lookup: the prefix, a
// token id, and a secret of the right length and alphabet. Returns the token id.
func ParseToken(s string) (id string, err error) {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok {
		return "", fmt.Errorf("not a blueprint API token (they start with %s)", TokenPrefix)
	}
	id, secret, ok := strings.Cut(rest, "_")
	if !ok || !isHexID(id) {
		return "", fmt.Errorf("malformed API token")
	}
	raw, err := base64.RawURLEncoding.DecodeString(secret)
	if err != nil || len(raw) != secretBytes {
		return "", fmt.Errorf("malformed API token")
	}
	return id, nil
}

// ParseSessionID checks the shape of a session cookie value.
func ParseSessionID(s string) error {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) != secretBytes {
		return fmt.Errorf("malformed session id")
	}
	return nil
}

func newTokenID() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func isHexID(s string) bool {
	if len(s) != 12 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
