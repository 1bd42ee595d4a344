-- Issue 16: state that every node of an installation must share.

-- Brakes on guessing (tracking codes, passwords, one-time codes) and on volume (submissions),
-- counted per scope and key (a client address, or a keyed hash of e-mail and address).
-- One node per SQLite file: kept in memory there; the table exists for parity and tools.
CREATE TABLE brakes (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    since_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX brakes_since ON brakes (since_ms);

-- Jobs that must run once per installation (housekeeping, the mail sender, reminders) are
-- leased by name: one node holds a lease until it lapses or is handed back.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms BIGINT NOT NULL,
    taken_ms BIGINT NOT NULL
);

-- Facts of the installation every node must agree on, written once by the first node that
-- starts: the fingerprint of the key that encrypts identity numbers and hashes tracking codes.
-- A node started with another key would hand out codes the others cannot check.
CREATE TABLE installation_facts (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
