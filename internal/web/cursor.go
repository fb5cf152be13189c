package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// CursorSealer makes opaque cursors: a log position sealed with AES-GCM under a key derived from
// the node key. A plain position would tell a client how many events lie between
// two it may see — a count of hidden items.
type CursorSealer struct{ aead cipher.AEAD }

// NewCursorSealer takes a 32-byte key, the same on every replica (derive it from
// the node key) so that a cursor works whichever replica answers.
func NewCursorSealer(key []byte) (*CursorSealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("cursor key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &CursorSealer{aead: aead}, nil
}

// seal returns the cursor for a position within one listing (purpose), so a
// cursor from one listing cannot be replayed on another.
func (c *CursorSealer) seal(purpose string, position int64) string {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	var pos [8]byte
	binary.BigEndian.PutUint64(pos[:], uint64(position))
	return base64.RawURLEncoding.EncodeToString(c.aead.Seal(nonce, nonce, pos[:], []byte(purpose)))
}

var errBadCursor = errors.New("the cursor is not one this node gave for this listing; start again without it")

func (c *CursorSealer) open(purpose, s string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < c.aead.NonceSize() {
		return 0, errBadCursor
	}
	n := c.aead.NonceSize()
	pos, err := c.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil || len(pos) != 8 {
		return 0, errBadCursor
	}
	p := int64(binary.BigEndian.Uint64(pos))
	if p < 0 {
		return 0, errBadCursor
	}
	return p, nil
}
