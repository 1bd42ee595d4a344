-- Officer sessions for the back office and the public profile of a body.

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

ALTER TABLE bodies ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN service_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN charter TEXT NOT NULL DEFAULT '';
