package auth

import (
	"context"
	"time"
)

// Token is an API token as stored: never the secret, only its hash.
type Token struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Name      string     `json:"name"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	LastUsed  *time.Time `json:"last_used_at,omitempty"`
}

// Active reports whether the token authenticates at now.
func (t Token) Active(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// Session is a browser session as stored.
type Session struct {
	Hash      string
	UserID    string
	CSRF      string // the session's anti-CSRF token, sent back in forms and X-CSRF-Token
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CredentialStore keeps the secrets the event log must not: password hashes,
// token hashes, sessions, and the claim on each username.
type CredentialStore interface {
	// ClaimUsername reserves a username for a user id; a taken name is a Conflict.
	ClaimUsername(ctx context.Context, username, userID string) error
	SetPasswordHash(ctx context.Context, userID, hash string, at time.Time) error
	// PasswordHash returns the user's hash, or a NotFound error.
	PasswordHash(ctx context.Context, userID string) (string, error)

	CreateToken(ctx context.Context, t Token) error
	// TokenByID returns a token, or a NotFound error.
	TokenByID(ctx context.Context, id string) (Token, error)
	Tokens(ctx context.Context, userID string) ([]Token, error)
	RevokeToken(ctx context.Context, id string, at time.Time) error
	TouchToken(ctx context.Context, id string, at time.Time) error

	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns a session, or a NotFound error.
	SessionByHash(ctx context.Context, hash string) (Session, error)
	DeleteSession(ctx context.Context, hash string) error
	DeleteUserSessions(ctx context.Context, userID string) error
}
