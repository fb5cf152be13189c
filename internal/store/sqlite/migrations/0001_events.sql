-- The event log (DESIGN §2). Positions are assigned from log_head under the single
-- writer, so they are gap-free; events are append-only, enforced by triggers.
CREATE TABLE log_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
)
-- split
INSERT INTO log_head (id, position) VALUES (1, 0)
-- split
CREATE TABLE streams (
    stream           TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    snapshot         BLOB,
    snapshot_version INTEGER
)
-- split
CREATE INDEX streams_by_kind ON streams (kind, created_at, stream)
-- split
CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    stream      TEXT NOT NULL REFERENCES streams (stream),
    version     INTEGER NOT NULL,
    type        TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    body        BLOB NOT NULL,
    UNIQUE (stream, version)
)
-- split
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: an event cannot be updated; record a correcting event instead');
END
-- split
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted');
END
-- split
-- The ledger (internal/ledger): tlog stored hashes and signed checkpoints.
CREATE TABLE ledger_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL CHECK (length(hash) = 32)
)
-- split
CREATE TABLE ledger_checkpoints (
    size       INTEGER PRIMARY KEY,
    checkpoint BLOB NOT NULL
)
-- split
CREATE TRIGGER ledger_hashes_append_only_update BEFORE UPDATE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger hashes are append-only');
END
-- split
CREATE TRIGGER ledger_hashes_append_only_delete BEFORE DELETE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger hashes are append-only');
END
-- split
CREATE TRIGGER ledger_checkpoints_append_only_update BEFORE UPDATE ON ledger_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'ledger checkpoints are append-only');
END
-- split
CREATE TRIGGER ledger_checkpoints_append_only_delete BEFORE DELETE ON ledger_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'ledger checkpoints are append-only');
END
