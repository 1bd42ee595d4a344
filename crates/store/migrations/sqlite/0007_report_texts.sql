-- The body's own texts of the annual service report (chapters I, II, V, VI and the names on
-- the signatures), per year. Every save is a new version: rows are inserted, never updated or
-- deleted, so who wrote what and when stays visible. A year without its own text uses the
-- latest earlier year's.

CREATE TABLE report_texts (
    id BLOB PRIMARY KEY,
    body_id BLOB NOT NULL REFERENCES bodies (id),
    year BIGINT NOT NULL,
    part TEXT NOT NULL,
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id BLOB,
    UNIQUE (body_id, year, part, version)
);

CREATE TRIGGER report_texts_no_update BEFORE UPDATE ON report_texts
BEGIN SELECT RAISE(ABORT, 'report_texts is append-only'); END;
CREATE TRIGGER report_texts_no_delete BEFORE DELETE ON report_texts
BEGIN SELECT RAISE(ABORT, 'report_texts is append-only'); END;
