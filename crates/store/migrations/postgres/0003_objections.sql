-- Objections (keberatan) and information disputes (sengketa), each an append-only event log with
-- a projection, like requests.

CREATE TABLE objections (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    request_id UUID NOT NULL REFERENCES requests (id),
    body_id UUID NOT NULL REFERENCES bodies (id),
    tracking_hash TEXT NOT NULL,
    grounds TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    received_on DATE NOT NULL,
    answer_due_on DATE,
    outcome TEXT,
    decided_on DATE,
    late BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (request_id, grounds)
);
CREATE INDEX objections_queue ON objections (body_id, status, answer_due_on);

CREATE TABLE objection_events (
    id UUID PRIMARY KEY,
    objection_id UUID NOT NULL REFERENCES objections (id),
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (objection_id, seq)
);

CREATE TABLE disputes (
    id UUID PRIMARY KEY,
    objection_id UUID NOT NULL UNIQUE REFERENCES objections (id),
    body_id UUID NOT NULL REFERENCES bodies (id),
    status TEXT NOT NULL,
    filed_on DATE NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX disputes_body ON disputes (body_id, status);

CREATE TABLE dispute_events (
    id UUID PRIMARY KEY,
    dispute_id UUID NOT NULL REFERENCES disputes (id),
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (dispute_id, seq)
);

CREATE TRIGGER objection_events_append_only BEFORE UPDATE OR DELETE ON objection_events
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();
CREATE TRIGGER dispute_events_append_only BEFORE UPDATE OR DELETE ON dispute_events
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();
