-- The body's own texts of the annual service report (chapters I, II, V, VI and the names on
-- the signatures), per year. Every save is a new version: rows are inserted, never updated or
-- deleted, so who wrote what and when stays visible. A year without its own text uses the
-- latest earlier year's.

CREATE TABLE report_texts (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    year BIGINT NOT NULL,
    part TEXT NOT NULL,
    version BIGINT NOT NULL,
    text TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    UNIQUE (body_id, year, part, version)
);

CREATE TRIGGER report_texts_append_only BEFORE UPDATE OR DELETE ON report_texts
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();
