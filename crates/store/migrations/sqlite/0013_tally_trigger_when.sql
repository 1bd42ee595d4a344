-- PostgreSQL's tally trigger gains the WHEN clause that SQLite's triggers have had since 0006
-- (see the PostgreSQL twin); here only the two redundant indexes below go.

-- Two indexes repeated the leading columns of wider ones (requests_open_due begins with
-- body_id, status, due_on; requests_received_day with body_id, received_on): every lookup they
-- served the wider ones serve, and each was one more entry to write on every submission and
-- every moved deadline.
DROP INDEX requests_queue;
DROP INDEX requests_received;
