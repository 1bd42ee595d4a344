-- Issue 15, accounts: two-factor sign-in (TOTP with recovery codes), the second step of a
-- sign-in, admin-started password resets, and what an officer sees of their own sessions.
ALTER TABLE sessions ADD COLUMN client_addr TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- One TOTP secret per officer, encrypted with the installation key. Unconfirmed while the
-- officer has not yet typed a code from it; `last_step` refuses a code used once already.
CREATE TABLE user_totp (
    user_id BLOB PRIMARY KEY REFERENCES users (id),
    secret_enc BLOB NOT NULL,
    confirmed_at TEXT,
    last_step BIGINT,
    created_at TEXT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id BLOB NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- A right password waiting for its code (or for enrolment): opens nothing else.
CREATE TABLE pending_logins (
    id_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX pending_logins_user ON pending_logins (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    created_by BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
