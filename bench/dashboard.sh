#!/bin/sh
# The command centre benchmark: a province of 40 bodies with 1,000,000 requests on SQLite,
# then the uncached refresh of the province's and one body's figures (see docs of the issue).
# BENCH_REQUESTS=200000 bench/dashboard.sh for a quicker run.
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release -p lentera-web --test it dashboard_bench -- --ignored --nocapture
