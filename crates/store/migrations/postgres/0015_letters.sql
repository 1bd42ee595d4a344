-- Issue 18: official letters. A body's letterhead (kop surat), signatory and letter-number
-- pattern; the letters issued, each kept unchanged once written; and the letters still to be
-- issued, written in the transaction of the event that calls for them.

CREATE TABLE letterheads (
    body_id UUID PRIMARY KEY REFERENCES bodies (id),
    authority TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    contacts TEXT NOT NULL,
    logo BYTEA,
    logo_mime TEXT,
    signatory_name TEXT NOT NULL,
    signatory_nip TEXT NOT NULL,
    signatory_position TEXT NOT NULL,
    number_pattern TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Inserted once, never updated or deleted: the PDF under storage_key is the letter as issued,
-- and sha256 is what the public verification page shows.
CREATE TABLE letters (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    case_kind TEXT NOT NULL,
    case_id UUID NOT NULL,
    event_seq BIGINT NOT NULL,
    issued_on DATE NOT NULL,
    verify_code TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (case_kind, case_id, event_seq, kind)
);
CREATE INDEX letters_case ON letters (case_kind, case_id);

-- Letters to issue. A node takes a job by moving next_at_ms past its lease; a letter written
-- for a job deletes it in the same transaction, so a job is never issued twice. The number is
-- taken once, at the first attempt, and kept by the job: a retry prints the same number, and
-- no number is ever given to two letters or lost to a failed attempt.
CREATE TABLE letter_jobs (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL,
    case_kind TEXT NOT NULL,
    case_id UUID NOT NULL,
    event_seq BIGINT NOT NULL,
    issued_on DATE NOT NULL,
    number TEXT UNIQUE,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    next_at_ms BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (case_kind, case_id, event_seq, kind)
);
CREATE INDEX letter_jobs_next ON letter_jobs (next_at_ms);
