-- Issue 15, accounts: two-factor sign-in (TOTP with recovery codes), the second step of a
-- sign-in, admin-started password resets, and what an officer sees of their own sessions.
ALTER TABLE sessions ADD COLUMN client_addr TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- One TOTP secret per officer, encrypted with the installation key. Unconfirmed while the
-- officer has not yet typed a code from it; `last_step` refuses a code used once already.
CREATE TABLE user_totp (
    user_id UUID PRIMARY KEY REFERENCES users (id),
    secret_enc BYTEA NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step BIGINT,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE recovery_codes (
    user_id UUID NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- A right password waiting for its code (or for enrolment): opens nothing else.
CREATE TABLE pending_logins (
    id_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX pending_logins_user ON pending_logins (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_by UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);
