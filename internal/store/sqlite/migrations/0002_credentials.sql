-- Secrets kept out of the event log (internal/auth): the log is permanent and
-- replicated; a password or token hash must be replaceable and erasable. These
-- tables are mutable on purpose. Events record that a secret changed, never it.
CREATE TABLE usernames (
    username TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL UNIQUE
)
-- split
CREATE TABLE passwords (
    user_id    TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
)
-- split
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
)
-- split
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at)
-- split
CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
)
-- split
CREATE INDEX sessions_by_user ON sessions (user_id)
-- split
CREATE INDEX sessions_by_expiry ON sessions (expires_at)
