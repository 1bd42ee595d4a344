-- Lentera schema, PostgreSQL dialect. Kept column-for-column identical to ../sqlite/0001_init.sql
-- (checked by the schema-parity test). Never edit an applied migration: add a new file to both.

CREATE TABLE bodies (
    id UUID PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id UUID REFERENCES bodies (id),
    code TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    collective_leave_is_working BOOLEAN NOT NULL,
    clock_mode TEXT NOT NULL,
    calendar_rev BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bodies_parent ON bodies (parent_id);

CREATE TABLE closures (
    body_id UUID NOT NULL REFERENCES bodies (id),
    day DATE NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (body_id, day)
);

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    body_id UUID NOT NULL REFERENCES bodies (id),
    active BOOLEAN NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE applicants (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    id_number_enc BYTEA NOT NULL,
    id_number_last4 TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    address TEXT NOT NULL,
    occupation TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Projection of request_events: rewritten in the same transaction as each appended event.
CREATE TABLE requests (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    body_id UUID NOT NULL REFERENCES bodies (id),
    unit_id UUID REFERENCES bodies (id),
    applicant_id UUID NOT NULL REFERENCES applicants (id),
    tracking_hash TEXT NOT NULL,
    submission_key TEXT UNIQUE,
    channel TEXT NOT NULL,
    information TEXT NOT NULL,
    purpose TEXT NOT NULL,
    received_on DATE NOT NULL,
    status TEXT NOT NULL,
    extended BOOLEAN NOT NULL,
    notice_due_on DATE,
    due_on DATE,
    outcome TEXT,
    decided_on DATE,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    calendar_version TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX requests_queue ON requests (body_id, status, due_on);
CREATE INDEX requests_unit_queue ON requests (unit_id, status, due_on);
CREATE INDEX requests_received ON requests (body_id, received_on);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE request_events (
    id UUID PRIMARY KEY,
    request_id UUID NOT NULL REFERENCES requests (id),
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (request_id, seq)
);

CREATE TABLE counters (
    scope TEXT NOT NULL,
    year BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE audit_log (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE FUNCTION lentera_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;
CREATE TRIGGER request_events_append_only BEFORE UPDATE OR DELETE ON request_events
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();
