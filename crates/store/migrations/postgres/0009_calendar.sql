-- The national holiday calendar as data (domain spec §7.1, revised): every loaded year is a
-- version (append-only: who loaded it, when, from which instrument); the latest version of a
-- year is in force. Loading a version, or changing a body's closures, starts a recomputation
-- job that moves open deadlines in batches, each batch one transaction with its events; the
-- job's cursor makes a crashed job resume where it stopped, and a version counts as applied
-- when its job has finished.

CREATE TABLE calendar_versions (
    id BIGINT PRIMARY KEY,
    year BIGINT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    instrument TEXT NOT NULL,
    data TEXT NOT NULL,
    digest TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (year, version)
);

CREATE TRIGGER calendar_versions_append_only BEFORE UPDATE OR DELETE ON calendar_versions
FOR EACH ROW EXECUTE FUNCTION lentera_append_only();

CREATE TABLE recompute_jobs (
    id UUID PRIMARY KEY,
    version_id BIGINT,
    body_id UUID,
    reason TEXT NOT NULL,
    phase TEXT NOT NULL,
    cursor UUID,
    recomputed BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX recompute_jobs_open ON recompute_jobs (finished_at, created_at);

-- The deadlines last shown for a dispute (JSON), so that a recomputation can say what moved.
ALTER TABLE disputes ADD COLUMN deadlines TEXT;
-- Open requests by id for the recomputation's cursor.
CREATE INDEX requests_open_by_id ON requests (status, id);
CREATE INDEX objections_open_by_id ON objections (status, id);
