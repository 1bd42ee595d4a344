-- Objections (keberatan) and information disputes (sengketa), each an append-only event log with
-- a projection, like requests.

CREATE TABLE objections (
    id BLOB PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    request_id BLOB NOT NULL REFERENCES requests (id),
    body_id BLOB NOT NULL REFERENCES bodies (id),
    tracking_hash TEXT NOT NULL,
    grounds TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answer_due_on TEXT,
    outcome TEXT,
    decided_on TEXT,
    late BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (request_id, grounds)
);
CREATE INDEX objections_queue ON objections (body_id, status, answer_due_on);

CREATE TABLE objection_events (
    id BLOB PRIMARY KEY,
    objection_id BLOB NOT NULL REFERENCES objections (id),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BLOB,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (objection_id, seq)
);

CREATE TABLE disputes (
    id BLOB PRIMARY KEY,
    objection_id BLOB NOT NULL UNIQUE REFERENCES objections (id),
    body_id BLOB NOT NULL REFERENCES bodies (id),
    status TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX disputes_body ON disputes (body_id, status);

CREATE TABLE dispute_events (
    id BLOB PRIMARY KEY,
    dispute_id BLOB NOT NULL REFERENCES disputes (id),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BLOB,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (dispute_id, seq)
);

CREATE TRIGGER objection_events_no_update BEFORE UPDATE ON objection_events
BEGIN SELECT RAISE(ABORT, 'objection_events is append-only'); END;
CREATE TRIGGER objection_events_no_delete BEFORE DELETE ON objection_events
BEGIN SELECT RAISE(ABORT, 'objection_events is append-only'); END;
CREATE TRIGGER dispute_events_no_update BEFORE UPDATE ON dispute_events
BEGIN SELECT RAISE(ABORT, 'dispute_events is append-only'); END;
CREATE TRIGGER dispute_events_no_delete BEFORE DELETE ON dispute_events
BEGIN SELECT RAISE(ABORT, 'dispute_events is append-only'); END;
