#!/usr/bin/env bash
# Indexing and in-process search benchmark of lentera-search over a generated corpus.
# Usage: bench/search.sh [DOCS=1000000] [QUERIES_PER_THREAD=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p lentera-search --example bench_index -- "${1:-1000000}" "${2:-2000}"
