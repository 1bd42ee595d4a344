-- The register of public information (DIP), consequence tests (DIK), published answers and
-- documents. One append-only log holds the events of all three aggregates; each table is its
-- projection. The search index follows the search_outbox.

CREATE TABLE register_entries (
    id BLOB PRIMARY KEY,
    body_id BLOB NOT NULL REFERENCES bodies (id),
    unit_id BLOB REFERENCES bodies (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    year BIGINT NOT NULL,
    checklist TEXT,
    published BOOLEAN NOT NULL,
    published_on TEXT,
    updated_on TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX register_entries_body ON register_entries (body_id, published, kind);

CREATE TABLE consequence_tests (
    id BLOB PRIMARY KEY,
    body_id BLOB NOT NULL REFERENCES bodies (id),
    entry_id BLOB REFERENCES register_entries (id),
    number TEXT,
    status TEXT NOT NULL,
    decided_on TEXT,
    until_on TEXT,
    review_due TEXT,
    grounds TEXT NOT NULL,
    information TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consequence_tests_body ON consequence_tests (body_id, status);
CREATE UNIQUE INDEX consequence_tests_number ON consequence_tests (body_id, number);

CREATE TABLE publications (
    id BLOB PRIMARY KEY,
    body_id BLOB NOT NULL REFERENCES bodies (id),
    request_id BLOB REFERENCES requests (id),
    title TEXT NOT NULL,
    published BOOLEAN NOT NULL,
    published_at TEXT NOT NULL,
    state TEXT NOT NULL,
    event_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX publications_body ON publications (body_id, published, published_at);
CREATE INDEX publications_recent ON publications (published, published_at);
CREATE INDEX publications_request ON publications (request_id);

CREATE TABLE documents (
    id BLOB PRIMARY KEY,
    body_id BLOB NOT NULL REFERENCES bodies (id),
    owner_kind TEXT NOT NULL,
    owner_id BLOB NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    extracted_text TEXT NOT NULL,
    uploaded_by BLOB REFERENCES users (id),
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE register_events (
    id BLOB PRIMARY KEY,
    aggregate TEXT NOT NULL,
    aggregate_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BLOB,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (aggregate_id, seq)
);

CREATE TRIGGER register_events_no_update BEFORE UPDATE ON register_events
BEGIN SELECT RAISE(ABORT, 'register_events is append-only'); END;
CREATE TRIGGER register_events_no_delete BEFORE DELETE ON register_events
BEGIN SELECT RAISE(ABORT, 'register_events is append-only'); END;

-- What the search index must look at again, in commit order. Each index keeps its own cursor.
CREATE TABLE search_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    at TEXT NOT NULL
);
