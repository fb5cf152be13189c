package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/eucyber/blueprint/internal/auth"
	"github.com/eucyber/blueprint/internal/failure"
)

var _ auth.CredentialStore = (*Store)(nil)

// ClaimUsername implements auth.CredentialStore.
func (s *Store) ClaimUsername(ctx context.Context, username, userID string) (err error) {
	defer wrapErr(&err, "ClaimUsername")
	_, err = s.writer.ExecContext(ctx, `INSERT INTO usernames (username, user_id) VALUES ($1, $2)`, username, userID)
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return &failure.Error{Kind: failure.Conflict, Field: "username", Message: "username " + username + " is taken"}
	}
	return err
}

// SetPasswordHash implements auth.CredentialStore.
func (s *Store) SetPasswordHash(ctx context.Context, userID, hash string, at time.Time) (err error) {
	defer wrapErr(&err, "SetPasswordHash")
	_, err = s.writer.ExecContext(ctx,
		`INSERT INTO passwords (user_id, hash, updated_at) VALUES ($1, $2, $3)
		 ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`, userID, hash, at.UTC())
	return err
}

// PasswordHash implements auth.CredentialStore.
func (s *Store) PasswordHash(ctx context.Context, userID string) (hash string, err error) {
	defer wrapErr(&err, "PasswordHash")
	err = s.reader.QueryRowContext(ctx, `SELECT hash FROM passwords WHERE user_id = $1`, userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", failure.New(failure.NotFound, "no password set")
	}
	return hash, err
}

// CreateToken implements auth.CredentialStore.
func (s *Store) CreateToken(ctx context.Context, t auth.Token) (err error) {
	defer wrapErr(&err, "CreateToken")
	_, err = s.writer.ExecContext(ctx,
		`INSERT INTO api_tokens (id, user_id, name, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.ID, t.UserID, t.Name, t.Hash, t.CreatedAt.UTC(), t.ExpiresAt.UTC())
	return err
}

const tokenColumns = `id, user_id, name, hash, created_at, expires_at, revoked_at, last_used_at`

func scanToken(row interface{ Scan(...any) error }) (auth.Token, error) {
	var t auth.Token
	var revoked, used sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.CreatedAt, &t.ExpiresAt, &revoked, &used); err != nil {
		return t, err
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	if revoked.Valid {
		at := revoked.Time.UTC()
		t.RevokedAt = &at
	}
	if used.Valid {
		at := used.Time.UTC()
		t.LastUsed = &at
	}
	return t, nil
}

// TokenByID implements auth.CredentialStore.
func (s *Store) TokenByID(ctx context.Context, id string) (t auth.Token, err error) {
	defer wrapErr(&err, "TokenByID")
	t, err = scanToken(s.reader.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, failure.New(failure.NotFound, "no token %s", id)
	}
	return t, err
}

// Tokens implements auth.CredentialStore.
func (s *Store) Tokens(ctx context.Context, userID string) (_ []auth.Token, err error) {
	defer wrapErr(&err, "Tokens")
	rows, err := s.reader.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken implements auth.CredentialStore.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time) (err error) {
	defer wrapErr(&err, "RevokeToken")
	_, err = s.writer.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, at.UTC(), id)
	return err
}

// TouchToken implements auth.CredentialStore.
func (s *Store) TouchToken(ctx context.Context, id string, at time.Time) (err error) {
	defer wrapErr(&err, "TouchToken")
	_, err = s.writer.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, at.UTC(), id)
	return err
}

// CreateSession implements auth.CredentialStore; it also sweeps expired sessions.
func (s *Store) CreateSession(ctx context.Context, sess auth.Session) (err error) {
	defer wrapErr(&err, "CreateSession")
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, sess.CreatedAt.UTC()); err != nil {
		return err
	}
	_, err = s.writer.ExecContext(ctx,
		`INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		sess.Hash, sess.UserID, sess.CSRF, sess.CreatedAt.UTC(), sess.ExpiresAt.UTC())
	return err
}

// SessionByHash implements auth.CredentialStore.
func (s *Store) SessionByHash(ctx context.Context, hash string) (sess auth.Session, err error) {
	defer wrapErr(&err, "SessionByHash")
	err = s.reader.QueryRowContext(ctx, `SELECT hash, user_id, csrf, created_at, expires_at FROM sessions WHERE hash = $1`, hash).
		Scan(&sess.Hash, &sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, failure.New(failure.NotFound, "no session")
	}
	sess.CreatedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC()
	return sess, err
}

// DeleteSession implements auth.CredentialStore.
func (s *Store) DeleteSession(ctx context.Context, hash string) (err error) {
	defer wrapErr(&err, "DeleteSession")
	_, err = s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
	return err
}

// DeleteUserSessions implements auth.CredentialStore.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (err error) {
	defer wrapErr(&err, "DeleteUserSessions")
	_, err = s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}
