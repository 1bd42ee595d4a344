-- The register of public information (DIP), consequence tests (DIK), published answers and
-- documents. One append-only log holds the events of all three aggregates; each table is its
-- projection. The search index follows the search_outbox.

CREATE TABLE register_entries (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    unit_id UUID REFERENCES bodies (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    year BIGINT NOT NULL,
    checklist TEXT,
    published BOOLEAN NOT NULL,
    published_on DATE,
    updated_on DATE NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX register_entries_body ON register_entries (body_id, published, kind);

CREATE TABLE consequence_tests (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    entry_id UUID REFERENCES register_entries (id),
    number TEXT,
    status TEXT NOT NULL,
    decided_on DATE,
    until_on DATE,
    review_due DATE,
    grounds TEXT NOT NULL,
    information TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX consequence_tests_body ON consequence_tests (body_id, status);
CREATE UNIQUE INDEX consequence_tests_number ON consequence_tests (body_id, number);

CREATE TABLE publications (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    request_id UUID REFERENCES requests (id),
    title TEXT NOT NULL,
    published BOOLEAN NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX publications_body ON publications (body_id, published, published_at);
CREATE INDEX publications_recent ON publications (published, published_at);
CREATE INDEX publications_request ON publications (request_id);

CREATE TABLE documents (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    owner_kind TEXT NOT NULL,
    owner_id UUID NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    extracted_text TEXT NOT NULL,
    uploaded_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    removed_at TIMESTAMPTZ
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE register_events (
    id UUID PRIMARY KEY,
    aggregate TEXT NOT NULL,
    aggregate_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (aggregate_id, seq)
);

CREATE TRIGGER register_events_append_only BEFORE UPDATE OR DELETE ON register_events
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();

-- What the search index must look at again, in commit order. Each index keeps its own cursor.
CREATE TABLE search_outbox (
    id BIGSERIAL PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
