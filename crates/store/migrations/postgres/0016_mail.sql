-- Issue 18: e-mail out. Each message is written in the transaction of the event it tells of
-- (no mail for a change that rolled back, no change without its mail) and sent later by a
-- background sender; its text and recipient are read from the record when it is sent. A node
-- takes a message by moving next_at_ms past its lease, so several nodes send it once.
CREATE TABLE mail_outbox (
    id UUID PRIMARY KEY,
    body_id UUID NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL,
    case_kind TEXT NOT NULL,
    case_id UUID NOT NULL,
    event_seq BIGINT NOT NULL,
    lang TEXT NOT NULL,
    -- pending, sent, bounced (refused by the receiving server) or failed (gave up).
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    last_error TEXT,
    next_at_ms BIGINT NOT NULL,
    message_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    UNIQUE (case_kind, case_id, event_seq, kind)
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_at_ms);
CREATE INDEX mail_outbox_case ON mail_outbox (case_kind, case_id);

-- Every attempt, kept: what the officers see on the case page.
CREATE TABLE mail_attempts (
    id UUID PRIMARY KEY,
    mail_id UUID NOT NULL REFERENCES mail_outbox (id),
    at TIMESTAMPTZ NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX mail_attempts_mail ON mail_attempts (mail_id);
