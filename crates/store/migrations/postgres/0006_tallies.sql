-- Running tallies of requests, kept by triggers in the same transaction as every write to the
-- `requests` projection, so the annual report and the command centre read a few thousand
-- counters instead of folding a million logs. The projection gains the facts the tallies need
-- (applicant kind, obtain method, Pasal 17 grounds, end/extension days, service working days,
-- on time), computed by the application from the folded state. `projection_rev` marks rows
-- whose projection has these columns: rows written before (rev 0) are not tallied until the
-- application re-projects them at start-up.
--
-- request_report_tally: per body and month of receipt (r_month) and month of the fate or the
--   decision (f_month, '' while open): received, channel:*, applicant:*, obtain:*, unit (per
--   unit_key), extended, fate:{decided,withdrawn,not_processable,open}, outcome:*, time:*,
--   wd:N, ground:17x. Report periods are whole months, so "as of the period's end" is
--   f_month <= the last month.
-- request_live_tally: per body, unit, channel and month: received, extended (month of
--   receipt), decided, on_time (month of decision), open (month ''), and wd:N (unit nil,
--   channel '') for the time-to-answer histogram.

ALTER TABLE requests ADD COLUMN applicant_kind TEXT NOT NULL DEFAULT 'individual';
ALTER TABLE requests ADD COLUMN obtain TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN grounds TEXT;
ALTER TABLE requests ADD COLUMN ended_on DATE;
ALTER TABLE requests ADD COLUMN extended_on DATE;
ALTER TABLE requests ADD COLUMN service_wd BIGINT;
ALTER TABLE requests ADD COLUMN on_time BOOLEAN;
ALTER TABLE requests ADD COLUMN projection_rev BIGINT NOT NULL DEFAULT 0;
UPDATE requests SET applicant_kind = (SELECT a.kind FROM applicants a WHERE a.id = requests.applicant_id);

CREATE INDEX requests_open_due ON requests (body_id, status, due_on, unit_id, channel);
CREATE INDEX requests_received_day ON requests (body_id, received_on, unit_id, channel);
-- The requests of a period with their fate, for its oldest requests still open at its end.
CREATE INDEX requests_report_open ON requests (body_id, received_on, status, decided_on, ended_on, number);

CREATE TABLE request_report_tally (
    body_id UUID NOT NULL,
    unit_key UUID NOT NULL,
    r_month TEXT NOT NULL,
    f_month TEXT NOT NULL,
    metric TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (body_id, r_month, f_month, metric, unit_key)
);

CREATE TABLE request_live_tally (
    body_id UUID NOT NULL,
    unit_key UUID NOT NULL,
    channel TEXT NOT NULL,
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (body_id, month, metric, unit_key, channel)
);

-- Adds `sign` times a row's contributions. Rows are inserted in key order so that concurrent
-- writers lock counters in the same order.
CREATE FUNCTION lentera_request_tally(r requests, sign BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_report_tally (body_id, unit_key, r_month, f_month, metric, n)
    SELECT r.body_id, t.u, t.rm, t.fm, t.k, sign FROM (VALUES
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), '', 'received'),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), '', 'channel:' || r.channel),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), '', 'applicant:' || r.applicant_kind),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), '', 'obtain:' || r.obtain),
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), to_char(r.received_on, 'YYYY-MM'), '', CASE WHEN r.unit_id IS NOT NULL THEN 'unit' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.extended_on, 'YYYY-MM'), to_char(r.received_on, 'YYYY-MM')), CASE WHEN r.extended THEN 'extended' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), CASE WHEN r.status IN ('withdrawn', 'not_processable') THEN COALESCE(to_char(r.ended_on, 'YYYY-MM'), to_char(r.received_on, 'YYYY-MM')) WHEN r.decided_on IS NOT NULL THEN to_char(r.decided_on, 'YYYY-MM') ELSE '' END, CASE WHEN r.status = 'withdrawn' THEN 'fate:withdrawn' WHEN r.status = 'not_processable' THEN 'fate:not_processable' WHEN r.decided_on IS NOT NULL THEN 'fate:decided' ELSE 'fate:open' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) THEN 'outcome:' || r.outcome END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) THEN CASE WHEN r.on_time AND r.extended THEN 'time:extended_on_time' WHEN r.on_time THEN 'time:within_10' ELSE 'time:late' END END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.service_wd IS NOT NULL THEN 'wd:' || r.service_wd END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17a,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17a' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17b,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17b' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17c,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17c' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17d,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17d' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17e,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17e' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17f,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17f' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17g,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17g' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17h,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17h' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17i,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17i' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, to_char(r.received_on, 'YYYY-MM'), COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN (r.status NOT IN ('withdrawn', 'not_processable') AND r.decided_on IS NOT NULL) AND r.outcome = 'rejected_exempt' AND position(',17j,' in COALESCE(r.grounds, '')) > 0 THEN 'ground:17j' END)
    ) AS t (u, rm, fm, k) WHERE t.k IS NOT NULL
    ORDER BY t.rm, t.fm, t.k, t.u
    ON CONFLICT (body_id, r_month, f_month, metric, unit_key) DO UPDATE SET n = request_report_tally.n + excluded.n;
    INSERT INTO request_live_tally (body_id, unit_key, channel, month, metric, n)
    SELECT r.body_id, t.u, t.c, t.m, t.k, sign FROM (VALUES
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.channel, to_char(r.received_on, 'YYYY-MM'), 'received'),
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.channel, to_char(r.received_on, 'YYYY-MM'), CASE WHEN r.extended THEN 'extended' END),
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.channel, COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN r.decided_on IS NOT NULL THEN 'decided' END),
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.channel, COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN r.decided_on IS NOT NULL AND r.on_time THEN 'on_time' END),
        (COALESCE(r.unit_id, '00000000-0000-0000-0000-000000000000'::uuid), r.channel, '', CASE WHEN r.status IN ('received', 'awaiting_completion', 'in_progress', 'extended') THEN 'open' END),
        ('00000000-0000-0000-0000-000000000000'::uuid, '', COALESCE(to_char(r.decided_on, 'YYYY-MM'), ''), CASE WHEN r.decided_on IS NOT NULL AND r.service_wd IS NOT NULL THEN 'wd:' || r.service_wd END)
    ) AS t (u, c, m, k) WHERE t.k IS NOT NULL
    ORDER BY t.m, t.k, t.u, t.c
    ON CONFLICT (body_id, month, metric, unit_key, channel) DO UPDATE SET n = request_live_tally.n + excluded.n;
END
$$;

CREATE FUNCTION lentera_requests_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF ROW(OLD.status, OLD.unit_id, OLD.channel, OLD.received_on, OLD.applicant_kind, OLD.obtain, OLD.extended, OLD.extended_on, OLD.decided_on, OLD.outcome, OLD.grounds, OLD.ended_on, OLD.service_wd, OLD.on_time, OLD.projection_rev) IS NOT DISTINCT FROM ROW(NEW.status, NEW.unit_id, NEW.channel, NEW.received_on, NEW.applicant_kind, NEW.obtain, NEW.extended, NEW.extended_on, NEW.decided_on, NEW.outcome, NEW.grounds, NEW.ended_on, NEW.service_wd, NEW.on_time, NEW.projection_rev) THEN
            RETURN NULL;
        END IF;
        IF OLD.projection_rev >= 1 THEN
            PERFORM lentera_request_tally(OLD, -1);
        END IF;
    END IF;
    IF NEW.projection_rev >= 1 THEN
        PERFORM lentera_request_tally(NEW, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER requests_tally AFTER INSERT OR UPDATE ON requests
FOR EACH ROW EXECUTE FUNCTION lentera_requests_tally();
