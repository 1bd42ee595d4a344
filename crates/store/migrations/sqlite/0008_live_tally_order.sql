-- The command centre sums a province's live counters per body, metric, unit and channel over the
-- months of a year. Keyed by month second, that grouping needed a sort of every counter row
-- (70 ms for 40 bodies); keyed by month last, the rows arrive grouped (16 ms). Same columns,
-- same counters; the triggers of 0006 are recreated unchanged because SQLite checks them against
-- the tables they name while the table is rebuilt.

DROP TRIGGER requests_tally_insert;
DROP TRIGGER requests_tally_remove;
DROP TRIGGER requests_tally_add;

ALTER TABLE request_live_tally RENAME TO request_live_tally_by_month;

CREATE TABLE request_live_tally (
    body_id BLOB NOT NULL,
    unit_key BLOB NOT NULL,
    channel TEXT NOT NULL,
    month TEXT NOT NULL,
    metric TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (body_id, metric, unit_key, channel, month)
) WITHOUT ROWID;

INSERT INTO request_live_tally (body_id, unit_key, channel, month, metric, n)
SELECT body_id, unit_key, channel, month, metric, n FROM request_live_tally_by_month;

DROP TABLE request_live_tally_by_month;

CREATE TRIGGER requests_tally_insert AFTER INSERT ON requests
WHEN NEW.projection_rev >= 1
BEGIN
    INSERT INTO request_report_tally (body_id, unit_key, r_month, f_month, metric, n)
    SELECT NEW.body_id, u, rm, fm, k, 1 FROM (
        SELECT zeroblob(16) AS u, substr(NEW.received_on, 1, 7) AS rm, '' AS fm, 'received' AS k
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'channel:' || NEW.channel
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'applicant:' || NEW.applicant_kind
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'obtain:' || NEW.obtain
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), substr(NEW.received_on, 1, 7), '', CASE WHEN NEW.unit_id IS NOT NULL THEN 'unit' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.extended_on, 1, 7), substr(NEW.received_on, 1, 7)), CASE WHEN NEW.extended THEN 'extended' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), CASE WHEN NEW.status IN ('withdrawn', 'not_processable') THEN COALESCE(substr(NEW.ended_on, 1, 7), substr(NEW.received_on, 1, 7)) WHEN NEW.decided_on IS NOT NULL THEN substr(NEW.decided_on, 1, 7) ELSE '' END, CASE WHEN NEW.status = 'withdrawn' THEN 'fate:withdrawn' WHEN NEW.status = 'not_processable' THEN 'fate:not_processable' WHEN NEW.decided_on IS NOT NULL THEN 'fate:decided' ELSE 'fate:open' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) THEN 'outcome:' || NEW.outcome END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) THEN CASE WHEN NEW.on_time AND NEW.extended THEN 'time:extended_on_time' WHEN NEW.on_time THEN 'time:within_10' ELSE 'time:late' END END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.service_wd IS NOT NULL THEN 'wd:' || NEW.service_wd END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17a,') > 0 THEN 'ground:17a' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17b,') > 0 THEN 'ground:17b' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17c,') > 0 THEN 'ground:17c' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17d,') > 0 THEN 'ground:17d' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17e,') > 0 THEN 'ground:17e' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17f,') > 0 THEN 'ground:17f' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17g,') > 0 THEN 'ground:17g' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17h,') > 0 THEN 'ground:17h' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17i,') > 0 THEN 'ground:17i' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17j,') > 0 THEN 'ground:17j' END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, r_month, f_month, metric, unit_key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO request_live_tally (body_id, unit_key, channel, month, metric, n)
    SELECT NEW.body_id, u, c, m, k, 1 FROM (
        SELECT COALESCE(NEW.unit_id, zeroblob(16)) AS u, NEW.channel AS c, substr(NEW.received_on, 1, 7) AS m, 'received' AS k
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, substr(NEW.received_on, 1, 7), CASE WHEN NEW.extended THEN 'extended' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL THEN 'decided' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL AND NEW.on_time THEN 'on_time' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, '', CASE WHEN NEW.status IN ('received', 'awaiting_completion', 'in_progress', 'extended') THEN 'open' END
        UNION ALL SELECT zeroblob(16), '', COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL AND NEW.service_wd IS NOT NULL THEN 'wd:' || NEW.service_wd END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, month, metric, unit_key, channel) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER requests_tally_remove BEFORE UPDATE ON requests
WHEN OLD.projection_rev >= 1 AND (OLD.status IS NOT NEW.status OR OLD.unit_id IS NOT NEW.unit_id OR OLD.channel IS NOT NEW.channel OR OLD.received_on IS NOT NEW.received_on OR OLD.applicant_kind IS NOT NEW.applicant_kind OR OLD.obtain IS NOT NEW.obtain OR OLD.extended IS NOT NEW.extended OR OLD.extended_on IS NOT NEW.extended_on OR OLD.decided_on IS NOT NEW.decided_on OR OLD.outcome IS NOT NEW.outcome OR OLD.grounds IS NOT NEW.grounds OR OLD.ended_on IS NOT NEW.ended_on OR OLD.service_wd IS NOT NEW.service_wd OR OLD.on_time IS NOT NEW.on_time OR OLD.projection_rev IS NOT NEW.projection_rev)
BEGIN
    INSERT INTO request_report_tally (body_id, unit_key, r_month, f_month, metric, n)
    SELECT OLD.body_id, u, rm, fm, k, -1 FROM (
        SELECT zeroblob(16) AS u, substr(OLD.received_on, 1, 7) AS rm, '' AS fm, 'received' AS k
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), '', 'channel:' || OLD.channel
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), '', 'applicant:' || OLD.applicant_kind
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), '', 'obtain:' || OLD.obtain
        UNION ALL SELECT COALESCE(OLD.unit_id, zeroblob(16)), substr(OLD.received_on, 1, 7), '', CASE WHEN OLD.unit_id IS NOT NULL THEN 'unit' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.extended_on, 1, 7), substr(OLD.received_on, 1, 7)), CASE WHEN OLD.extended THEN 'extended' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), CASE WHEN OLD.status IN ('withdrawn', 'not_processable') THEN COALESCE(substr(OLD.ended_on, 1, 7), substr(OLD.received_on, 1, 7)) WHEN OLD.decided_on IS NOT NULL THEN substr(OLD.decided_on, 1, 7) ELSE '' END, CASE WHEN OLD.status = 'withdrawn' THEN 'fate:withdrawn' WHEN OLD.status = 'not_processable' THEN 'fate:not_processable' WHEN OLD.decided_on IS NOT NULL THEN 'fate:decided' ELSE 'fate:open' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) THEN 'outcome:' || OLD.outcome END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) THEN CASE WHEN OLD.on_time AND OLD.extended THEN 'time:extended_on_time' WHEN OLD.on_time THEN 'time:within_10' ELSE 'time:late' END END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.service_wd IS NOT NULL THEN 'wd:' || OLD.service_wd END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17a,') > 0 THEN 'ground:17a' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17b,') > 0 THEN 'ground:17b' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17c,') > 0 THEN 'ground:17c' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17d,') > 0 THEN 'ground:17d' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17e,') > 0 THEN 'ground:17e' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17f,') > 0 THEN 'ground:17f' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17g,') > 0 THEN 'ground:17g' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17h,') > 0 THEN 'ground:17h' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17i,') > 0 THEN 'ground:17i' END
        UNION ALL SELECT zeroblob(16), substr(OLD.received_on, 1, 7), COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN (OLD.status NOT IN ('withdrawn', 'not_processable') AND OLD.decided_on IS NOT NULL) AND OLD.outcome = 'rejected_exempt' AND instr(COALESCE(OLD.grounds, ''), ',17j,') > 0 THEN 'ground:17j' END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, r_month, f_month, metric, unit_key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO request_live_tally (body_id, unit_key, channel, month, metric, n)
    SELECT OLD.body_id, u, c, m, k, -1 FROM (
        SELECT COALESCE(OLD.unit_id, zeroblob(16)) AS u, OLD.channel AS c, substr(OLD.received_on, 1, 7) AS m, 'received' AS k
        UNION ALL SELECT COALESCE(OLD.unit_id, zeroblob(16)), OLD.channel, substr(OLD.received_on, 1, 7), CASE WHEN OLD.extended THEN 'extended' END
        UNION ALL SELECT COALESCE(OLD.unit_id, zeroblob(16)), OLD.channel, COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN OLD.decided_on IS NOT NULL THEN 'decided' END
        UNION ALL SELECT COALESCE(OLD.unit_id, zeroblob(16)), OLD.channel, COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN OLD.decided_on IS NOT NULL AND OLD.on_time THEN 'on_time' END
        UNION ALL SELECT COALESCE(OLD.unit_id, zeroblob(16)), OLD.channel, '', CASE WHEN OLD.status IN ('received', 'awaiting_completion', 'in_progress', 'extended') THEN 'open' END
        UNION ALL SELECT zeroblob(16), '', COALESCE(substr(OLD.decided_on, 1, 7), ''), CASE WHEN OLD.decided_on IS NOT NULL AND OLD.service_wd IS NOT NULL THEN 'wd:' || OLD.service_wd END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, month, metric, unit_key, channel) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER requests_tally_add AFTER UPDATE ON requests
WHEN NEW.projection_rev >= 1 AND (OLD.status IS NOT NEW.status OR OLD.unit_id IS NOT NEW.unit_id OR OLD.channel IS NOT NEW.channel OR OLD.received_on IS NOT NEW.received_on OR OLD.applicant_kind IS NOT NEW.applicant_kind OR OLD.obtain IS NOT NEW.obtain OR OLD.extended IS NOT NEW.extended OR OLD.extended_on IS NOT NEW.extended_on OR OLD.decided_on IS NOT NEW.decided_on OR OLD.outcome IS NOT NEW.outcome OR OLD.grounds IS NOT NEW.grounds OR OLD.ended_on IS NOT NEW.ended_on OR OLD.service_wd IS NOT NEW.service_wd OR OLD.on_time IS NOT NEW.on_time OR OLD.projection_rev IS NOT NEW.projection_rev)
BEGIN
    INSERT INTO request_report_tally (body_id, unit_key, r_month, f_month, metric, n)
    SELECT NEW.body_id, u, rm, fm, k, 1 FROM (
        SELECT zeroblob(16) AS u, substr(NEW.received_on, 1, 7) AS rm, '' AS fm, 'received' AS k
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'channel:' || NEW.channel
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'applicant:' || NEW.applicant_kind
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), '', 'obtain:' || NEW.obtain
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), substr(NEW.received_on, 1, 7), '', CASE WHEN NEW.unit_id IS NOT NULL THEN 'unit' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.extended_on, 1, 7), substr(NEW.received_on, 1, 7)), CASE WHEN NEW.extended THEN 'extended' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), CASE WHEN NEW.status IN ('withdrawn', 'not_processable') THEN COALESCE(substr(NEW.ended_on, 1, 7), substr(NEW.received_on, 1, 7)) WHEN NEW.decided_on IS NOT NULL THEN substr(NEW.decided_on, 1, 7) ELSE '' END, CASE WHEN NEW.status = 'withdrawn' THEN 'fate:withdrawn' WHEN NEW.status = 'not_processable' THEN 'fate:not_processable' WHEN NEW.decided_on IS NOT NULL THEN 'fate:decided' ELSE 'fate:open' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) THEN 'outcome:' || NEW.outcome END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) THEN CASE WHEN NEW.on_time AND NEW.extended THEN 'time:extended_on_time' WHEN NEW.on_time THEN 'time:within_10' ELSE 'time:late' END END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.service_wd IS NOT NULL THEN 'wd:' || NEW.service_wd END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17a,') > 0 THEN 'ground:17a' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17b,') > 0 THEN 'ground:17b' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17c,') > 0 THEN 'ground:17c' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17d,') > 0 THEN 'ground:17d' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17e,') > 0 THEN 'ground:17e' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17f,') > 0 THEN 'ground:17f' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17g,') > 0 THEN 'ground:17g' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17h,') > 0 THEN 'ground:17h' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17i,') > 0 THEN 'ground:17i' END
        UNION ALL SELECT zeroblob(16), substr(NEW.received_on, 1, 7), COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN (NEW.status NOT IN ('withdrawn', 'not_processable') AND NEW.decided_on IS NOT NULL) AND NEW.outcome = 'rejected_exempt' AND instr(COALESCE(NEW.grounds, ''), ',17j,') > 0 THEN 'ground:17j' END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, r_month, f_month, metric, unit_key) DO UPDATE SET n = n + excluded.n;
    INSERT INTO request_live_tally (body_id, unit_key, channel, month, metric, n)
    SELECT NEW.body_id, u, c, m, k, 1 FROM (
        SELECT COALESCE(NEW.unit_id, zeroblob(16)) AS u, NEW.channel AS c, substr(NEW.received_on, 1, 7) AS m, 'received' AS k
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, substr(NEW.received_on, 1, 7), CASE WHEN NEW.extended THEN 'extended' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL THEN 'decided' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL AND NEW.on_time THEN 'on_time' END
        UNION ALL SELECT COALESCE(NEW.unit_id, zeroblob(16)), NEW.channel, '', CASE WHEN NEW.status IN ('received', 'awaiting_completion', 'in_progress', 'extended') THEN 'open' END
        UNION ALL SELECT zeroblob(16), '', COALESCE(substr(NEW.decided_on, 1, 7), ''), CASE WHEN NEW.decided_on IS NOT NULL AND NEW.service_wd IS NOT NULL THEN 'wd:' || NEW.service_wd END
    ) WHERE k IS NOT NULL
    ON CONFLICT (body_id, month, metric, unit_key, channel) DO UPDATE SET n = n + excluded.n;
END;
