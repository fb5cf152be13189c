-- The event log (DESIGN §2). Every append takes the row lock on log_head to get its
-- positions and holds it until commit, so positions are gap-free and become visible
-- in commit order even with many writers. Events are append-only, enforced by
-- triggers (UPDATE, DELETE and TRUNCATE).
CREATE TABLE log_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL
)
-- split
INSERT INTO log_head (id, position) VALUES (1, 0)
-- split
CREATE TABLE streams (
    stream           TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    snapshot         BYTEA,
    snapshot_version BIGINT
)
-- split
CREATE INDEX streams_by_kind ON streams (kind, created_at, stream)
-- split
CREATE TABLE events (
    position    BIGINT PRIMARY KEY,
    id          UUID NOT NULL UNIQUE,
    stream      TEXT NOT NULL REFERENCES streams (stream),
    version     BIGINT NOT NULL,
    type        TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    body        BYTEA NOT NULL,
    UNIQUE (stream, version)
)
-- split
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
-- split
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change()
-- split
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()
-- split
CREATE TABLE ledger_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL CHECK (length(hash) = 32)
)
-- split
CREATE TABLE ledger_checkpoints (
    size       BIGINT PRIMARY KEY,
    checkpoint BYTEA NOT NULL
)
-- split
CREATE TRIGGER ledger_hashes_append_only BEFORE UPDATE OR DELETE ON ledger_hashes
    FOR EACH ROW EXECUTE FUNCTION refuse_change()
-- split
CREATE TRIGGER ledger_hashes_no_truncate BEFORE TRUNCATE ON ledger_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()
-- split
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_change()
-- split
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()
