package auth

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/eucyber/blueprint/internal/failure"
)

// Login checks the password and opens a session. It returns the session id (the
// cookie value, shown once) and the stored session with its CSRF token.
func (s *Service) Login(ctx context.Context, username, password, client string) (User, string, Session, error) {
	u, err := s.Authenticate(ctx, username, password, client)
	if err != nil {
		return User{}, "", Session{}, err
	}
	secret, sess, err := s.openSession(ctx, u)
	return u, secret, sess, err
}

func (s *Service) openSession(ctx context.Context, u User) (string, Session, error) {
	secret, err := newSecret()
	if err != nil {
		return "", Session{}, err
	}
	csrf, err := newSecret()
	if err != nil {
		return "", Session{}, err
	}
	now := s.Now().UTC()
	sess := Session{Hash: HashSecret(secret), UserID: u.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL)}
	if err := s.Creds.CreateSession(ctx, sess); err != nil {
		return "", Session{}, err
	}
	return secret, sess, nil
}

// SessionUser returns the user of a live session. Any failure is
// Unauthenticated: the caller must log in again.
func (s *Service) SessionUser(ctx context.Context, secret string) (User, Session, error) {
	if err := ParseSessionID(secret); err != nil {
		return User{}, Session{}, failure.New(failure.Unauthenticated, "your session is not valid; log in again")
	}
	sess, err := s.Creds.SessionByHash(ctx, HashSecret(secret))
	if failure.Is(err, failure.NotFound) || (err == nil && !s.Now().Before(sess.ExpiresAt)) {
		return User{}, Session{}, failure.New(failure.Unauthenticated, "your session has ended; log in again")
	}
	if err != nil {
		return User{}, Session{}, err
	}
	u, err := s.activeUser(ctx, sess.UserID)
	if err != nil {
		return User{}, Session{}, err
	}
	return u, sess, nil
}

// CheckCSRF compares a submitted CSRF token with the session's, in constant time.
func CheckCSRF(sess Session, submitted string) error {
	if submitted == "" || subtle.ConstantTimeCompare([]byte(submitted), []byte(sess.CSRF)) != 1 {
		return failure.New(failure.Forbidden, "missing or wrong CSRF token: reload the page and submit again (API clients send it as X-CSRF-Token)")
	}
	return nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if ParseSessionID(secret) != nil {
		return nil
	}
	return s.Creds.DeleteSession(ctx, HashSecret(secret))
}

// activeUser returns the current state of a user, refreshing the directory so a
// user disabled on another replica is refused here too.
func (s *Service) activeUser(ctx context.Context, id string) (User, error) {
	if err := s.Dir.Refresh(ctx, s.Events); err != nil {
		return User{}, err
	}
	u, ok := s.Dir.User(id)
	if !ok || u.Disabled {
		return User{}, failure.New(failure.Unauthenticated, "this account is disabled or no longer exists")
	}
	return u, nil
}

// TokenRequest asks for a new API token.
type TokenRequest struct {
	Name string `json:"name"`
	// TTL is the token's lifetime, e.g. "720h"; at most the node's maximum.
	TTL string `json:"ttl"`
}

// CreateToken makes an API token for the actor and returns its secret, shown once.
func (s *Service) CreateToken(ctx context.Context, actor User, req TokenRequest) (string, Token, error) {
	return s.createToken(ctx, actorOf(actor), actor, req)
}

// Tokens lists the actor's own tokens.
func (s *Service) Tokens(ctx context.Context, actor User) ([]Token, error) {
	return s.Creds.Tokens(ctx, actor.ID)
}

// RevokeToken revokes one of the actor's tokens (or, for an admin, one of a user
// they manage).
func (s *Service) RevokeToken(ctx context.Context, actor User, id string) error {
	t, err := s.Creds.TokenByID(ctx, id)
	if err != nil {
		return err
	}
	owner, _ := s.Dir.User(t.UserID)
	if t.UserID != actor.ID && !actor.CanManage(owner.Organisation) {
		// The same answer as a missing token: a token id must not be probeable.
		return failure.New(failure.NotFound, "no token %s", id)
	}
	return s.revokeToken(ctx, actorOf(actor), t)
}

// tokenAuditInterval bounds audit events for one token's use: the first use, then
// at most one per interval, so a busy integration does not flood the log.
const tokenAuditInterval = 5 * time.Minute

// TokenUser authenticates a bearer token used from client.
func (s *Service) TokenUser(ctx context.Context, secret, client string) (User, Token, error) {
	invalid := failure.New(failure.Unauthenticated, "the API token is not valid, has expired or was revoked")
	id, err := ParseToken(secret)
	if err != nil {
		return User{}, Token{}, invalid
	}
	t, err := s.Creds.TokenByID(ctx, id)
	if failure.Is(err, failure.NotFound) {
		return User{}, Token{}, invalid
	}
	if err != nil {
		return User{}, Token{}, err
	}
	now := s.Now().UTC()
	if subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(t.Hash)) != 1 || !t.Active(now) {
		return User{}, Token{}, invalid
	}
	u, err := s.activeUser(ctx, t.UserID)
	if err != nil {
		return User{}, Token{}, err
	}
	if last, ok := s.tokenUses.Load(id); !ok || now.Sub(last.(time.Time)) >= tokenAuditInterval {
		s.tokenUses.Store(id, now)
		if err := s.Creds.TouchToken(ctx, id, now); err != nil {
			return User{}, Token{}, err
		}
		if err := s.appendAudit(ctx, EventTokenUsed, actorOf(u), u.Organisation, loginAudit{UserID: u.ID, Client: client, Method: "token:" + id}); err != nil {
			return User{}, Token{}, err
		}
	}
	return u, t, nil
}
