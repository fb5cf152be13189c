package event

import (
	"github.com/google/uuid"

	"github.com/eucyber/blueprint/internal/failure"
)

// MaxIdempotencyKey bounds an Idempotency-Key header.
const MaxIdempotencyKey = 200

// KeyedID returns the id of a new entity (a report, a case): a fresh UUIDv7,
// or, with an idempotency key, one derived from the namespace, the user and
// the key, so that a retried request finds what its first attempt created.
// Scoping by user means nobody reaches another user's entity by guessing the
// key they used; each kind of entity has its own namespace.
func KeyedID(namespace uuid.UUID, user, key string) (string, error) {
	if key == "" {
		return NewID()
	}
	if len(key) > MaxIdempotencyKey {
		return "", failure.Field("Idempotency-Key", "must be at most %d characters", MaxIdempotencyKey)
	}
	return uuid.NewSHA1(namespace, []byte(user+"\x00"+key)).String(), nil
}
