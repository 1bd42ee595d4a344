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
    loaded_at TEXT NOT NULL,
    UNIQUE (year, version)
);

CREATE TRIGGER calendar_versions_no_update BEFORE UPDATE ON calendar_versions
BEGIN SELECT RAISE(ABORT, 'calendar_versions is append-only'); END;
CREATE TRIGGER calendar_versions_no_delete BEFORE DELETE ON calendar_versions
BEGIN SELECT RAISE(ABORT, 'calendar_versions is append-only'); END;

CREATE TABLE recompute_jobs (
    id BLOB PRIMARY KEY,
    version_id BIGINT,
    body_id BLOB,
    reason TEXT NOT NULL,
    phase TEXT NOT NULL,
    cursor BLOB,
    recomputed BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    lease_until TEXT,
    finished_at TEXT
);
CREATE INDEX recompute_jobs_open ON recompute_jobs (finished_at, created_at);

-- The deadlines last shown for a dispute (JSON), so that a recomputation can say what moved.
ALTER TABLE disputes ADD COLUMN deadlines TEXT;
-- Open requests by id for the recomputation's cursor.
CREATE INDEX requests_open_by_id ON requests (status, id);
CREATE INDEX objections_open_by_id ON objections (status, id);
