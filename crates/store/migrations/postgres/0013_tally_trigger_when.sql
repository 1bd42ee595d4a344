-- The tally trigger of 0006 ran its PL/pgSQL function for every updated request, only for the
-- function to find that none of the tallied columns had changed: a calendar recomputation moves
-- the due dates of 100,000 open requests and changes none of them, and paid 100,000 function
-- calls for nothing. The same comparison as a WHEN clause is evaluated by the executor itself,
-- and the function runs only for the rows it concerns (SQLite's triggers have had this clause
-- from the start). The function keeps its own check.

DROP TRIGGER requests_tally ON requests;

CREATE TRIGGER requests_tally_insert AFTER INSERT ON requests
FOR EACH ROW EXECUTE FUNCTION lentera_requests_tally();

CREATE TRIGGER requests_tally_update AFTER UPDATE ON requests
FOR EACH ROW
WHEN (ROW(OLD.status, OLD.unit_id, OLD.channel, OLD.received_on, OLD.applicant_kind, OLD.obtain, OLD.extended, OLD.extended_on, OLD.decided_on, OLD.outcome, OLD.grounds, OLD.ended_on, OLD.service_wd, OLD.on_time, OLD.projection_rev) IS DISTINCT FROM ROW(NEW.status, NEW.unit_id, NEW.channel, NEW.received_on, NEW.applicant_kind, NEW.obtain, NEW.extended, NEW.extended_on, NEW.decided_on, NEW.outcome, NEW.grounds, NEW.ended_on, NEW.service_wd, NEW.on_time, NEW.projection_rev))
EXECUTE FUNCTION lentera_requests_tally();

-- Two indexes repeated the leading columns of wider ones (requests_open_due begins with
-- body_id, status, due_on; requests_received_day with body_id, received_on): every lookup they
-- served the wider ones serve, and each was one more entry to write on every submission and
-- every moved deadline.
DROP INDEX requests_queue;
DROP INDEX requests_received;
