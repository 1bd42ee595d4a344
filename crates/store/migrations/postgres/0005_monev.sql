-- The Komisi Informasi self-assessment (monev/SAQ): edited questionnaires per year, the
-- officers' answers as an append-only log per body and year, and its projection.

CREATE TABLE monev_questionnaires (
    year BIGINT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE monev_assessments (
    body_id UUID NOT NULL REFERENCES bodies (id),
    year BIGINT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (body_id, year)
);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE monev_events (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (body_id, year, seq)
);

CREATE TRIGGER monev_events_append_only BEFORE UPDATE OR DELETE ON monev_events
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();
