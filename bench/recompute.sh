#!/bin/sh
# Issue 14: loading a calendar year into an installation with 100,000 open requests whose
# deadlines run into it, on SQLite and (with LENTERA_TEST_PG_URL) PostgreSQL, while four HTTP
# clients submit and track requests. BENCH_OPEN_CASES and BENCH_CLIENTS change the sizes.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p lentera-web --test it recompute_bench -- --ignored --nocapture
