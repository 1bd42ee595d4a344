#!/usr/bin/env bash
# Search over HTTP (issue 4): a generated corpus of N register entries and answers (default
# 1,000,000) indexed by the release binary, then GET /api/v1/search with 1–4 word queries at 16
# connections. Two query mixes: every request a query drawn uniformly from 200,000 generated
# queries (mostly first sightings: the cold path), and a popular-topics mix where 80 % of
# requests repeat the 2,000 most frequent queries (what portals see; answered from the cache).
#   bench/search-http.sh [DOCS] [path/to/release/lentera]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-1000000}"
bin="${2:-target/release/lentera}"
[ -x "$bin" ] || cargo build --release -p lentera-server
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
tmp="${BENCH_DIR:-$(mktemp -d)}"
port=18282
dur="${BENCH_SECONDS:-20}"
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  [ -n "${BENCH_DIR:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
if [ ! -d "$tmp/data/index" ]; then
  echo "== indexing $docs generated documents"
  /usr/bin/time -f "indexing: %e s wall, %M KiB max RSS" "$bin" bench-corpus --data-dir "$tmp/data" --docs "$docs" --queries 200000
  du -sb "$tmp/data/index" | awk '{printf "index size on disk: %.1f MB\n", $1/1e6}'
fi
# Read the index once so that every run starts from the page cache (the machine may have
# reclaimed it since the last run; a cold first run measures the disk, not the search).
cat "$tmp"/data/index/* > /dev/null
LENTERA_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data" > "$tmp/serve.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { echo "the server did not start:"; tail -5 "$tmp/serve.log"; exit 1; }
  sleep 0.1
done
cat > "$tmp/uniform.lua" <<LUA
local qs = {}
for line in io.lines("$tmp/data/queries.txt") do qs[#qs + 1] = line end
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/search?" .. qs[math.random(#qs)] .. "&limit=10")
end
LUA
cat > "$tmp/popular.lua" <<LUA
local qs = {}
for line in io.lines("$tmp/data/queries.txt") do qs[#qs + 1] = line end
math.randomseed(7)
request = function()
  local i
  if math.random() < 0.8 then i = math.random(2000) else i = math.random(#qs) end
  return wrk.format("GET", "/api/v1/search?" .. qs[i] .. "&limit=10")
end
LUA
# The server's CPU time (user + system, clock ticks) so far: CPU per request is steadier than
# throughput on a shared machine, whose other tenants take cores away now and then.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
for mix in ${BENCH_MIXES:-uniform popular}; do
  echo "-- GET /api/v1/search, $mix mix, 16 connections, ${dur}s"
  before=$(cpu_ticks)
  wrk -t2 -c16 -d"${dur}s" --latency -s "$tmp/$mix.lua" "http://127.0.0.1:$port" > "$tmp/wrk.out"
  after=$(cpu_ticks)
  grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors|requests in" "$tmp/wrk.out"
  requests=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
  awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" \
    'BEGIN { printf "server CPU: %.0f us per request\n", t * 1e6 / hz / n }'
done
