#!/bin/sh
# The annual report benchmark: one body with 1,000,000 requests (projections inserted so that
# the tally triggers run for each), then the report's figures, document and PDF; on SQLite,
# and on PostgreSQL when LENTERA_TEST_PG_URL is set (e.g. from .ci/start-postgres).
# BENCH_REQUESTS=200000 bench/report.sh for a quicker run.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p lentera-web --test it report_bench -- --ignored --nocapture
