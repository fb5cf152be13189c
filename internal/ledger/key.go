package ledger

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Key file names under the data directory.
const (
	PrivateKeyFile = "node.key" // note signer key; mode 0600
	PublicKeyFile  = "node.pub" // note verifier key; safe to publish
)

// Keys is the node's checkpoint signing key pair.
type Keys struct {
	Signer   note.Signer
	Verifier note.Verifier
	Public   string // verifier key text, for operators and auditors
	seed     []byte
}

// Derive returns a 32-byte key for one purpose (e.g. sealing pagination
// cursors), bound to the node key, so every replica sharing node.key derives the
// same one and no second secret file is needed.
func (k Keys) Derive(purpose string) []byte {
	mac := hmac.New(sha256.New, k.seed)
	mac.Write([]byte("blueprint derived key v1: " + purpose))
	return mac.Sum(nil)
}

// LoadOrCreateKeys reads the node key from dir, or creates it with the given note
// name on first start. The private key file must not be readable by group or
// others: a leaked key lets anyone forge checkpoints.
func LoadOrCreateKeys(dir, name string) (Keys, bool, error) {
	priv := filepath.Join(dir, PrivateKeyFile)
	skey, err := os.ReadFile(priv)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := createKeys(dir, name)
		return k, err == nil, err
	}
	if err != nil {
		return Keys{}, false, fmt.Errorf("read node key: %w", err)
	}
	info, err := os.Stat(priv)
	if err != nil {
		return Keys{}, false, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return Keys{}, false, fmt.Errorf("node key %s has mode %v: it must be readable by its owner only (chmod 600 %s)", priv, info.Mode().Perm(), priv)
	}
	k, err := keysFrom(strings.TrimSpace(string(skey)))
	if err != nil {
		return Keys{}, false, fmt.Errorf("node key %s: %w", priv, err)
	}
	return k, false, nil
}

func createKeys(dir, name string) (Keys, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return Keys{}, fmt.Errorf("generate node key named %q: %w (a name is letters, digits and punctuation without spaces or '+')", name, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Keys{}, fmt.Errorf("create data directory: %w", err)
	}
	// O_EXCL: two processes starting at once must not overwrite each other's key.
	f, err := os.OpenFile(filepath.Join(dir, PrivateKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Keys{}, fmt.Errorf("create node key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return Keys{}, fmt.Errorf("write node key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return Keys{}, fmt.Errorf("write node key: %w", err)
	}
	if err := f.Close(); err != nil {
		return Keys{}, fmt.Errorf("write node key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PublicKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return Keys{}, fmt.Errorf("write node public key: %w", err)
	}
	return keysFrom(skey)
}

func keysFrom(skey string) (Keys, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return Keys{}, fmt.Errorf("not a valid signer key: %w", err)
	}
	// The verifier key is derived from the signer key rather than read from
	// node.pub, so a swapped public key file cannot make forged checkpoints pass.
	vkey, err := verifierKey(skey)
	if err != nil {
		return Keys{}, err
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return Keys{}, err
	}
	seed, err := seedOf(skey)
	if err != nil {
		return Keys{}, err
	}
	return Keys{Signer: signer, Verifier: verifier, Public: vkey, seed: seed}, nil
}

// verifierKey derives the note verifier key from a signer key, whose text is
// "PRIVATE+KEY+<name>+<hash>+<base64(algorithm byte, ed25519 seed)>".
func verifierKey(skey string) (string, error) {
	seed, err := seedOf(skey)
	if err != nil {
		return "", err
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(strings.SplitN(skey, "+", 5)[2], pub)
}

func seedOf(skey string) ([]byte, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, errors.New("not a note signer key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("not an ed25519 note signer key")
	}
	return raw[1:], nil
}
