-- The command centre sums a province's live counters per body, metric, unit and channel over the
-- months of a year: keyed by month last, the rows arrive grouped (see the SQLite twin).

ALTER TABLE request_live_tally DROP CONSTRAINT request_live_tally_pkey;
ALTER TABLE request_live_tally ADD PRIMARY KEY (body_id, metric, unit_key, channel, month);
