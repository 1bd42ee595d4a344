#!/usr/bin/env bash
# HTTP figures of issue 2: submissions/s and tracking lookups/s at 64 connections on SQLite with
# durable commits, demo start-up time and idle memory. Needs `wrk` (apt-get install wrk).
#   bench/http.sh [path/to/release/lentera]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/lentera}"
[ -x "$bin" ] || cargo build --release -p lentera-server
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
tmp="$(mktemp -d)"
port=18181
dur="${BENCH_SECONDS:-15}"
cleanup() { kill "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

echo "== demo start-up (release binary, fresh folder)"
start=$(date +%s%N)
"$bin" demo --listen "127.0.0.1:$port" --data-dir "$tmp/demo" > "$tmp/demo.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do sleep 0.02; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 3
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "demo ready to serve after ${ready} ms; idle RSS $((rss / 1024)) MiB"
kill $pid; wait $pid 2>/dev/null || true

echo "== serve on a fresh SQLite database"
d="$tmp/serve"
"$bin" body add --slug bench --name "Badan Bench" --kind regency --data-dir "$d" >/dev/null
LENTERA_RATE_SUBMIT_PER_MIN=0 LENTERA_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --data-dir "$d" > "$tmp/serve.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do sleep 0.02; done
body='{"body":"bench","applicant":{"kind":"individual","name":"Siti Aminah","id_number":"3302015708900007","email":"siti@example.id","address":"Jl. Pemuda 1","occupation":"Wartawan"},"information":"Salinan DPA Dinas Pendidikan 2026","purpose":"Liputan","obtain":"softcopy","delivery":"email"}'
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
echo "-- submissions (POST /api/v1/requests), 64 connections, ${dur}s"
wrk -t2 -c64 -d"${dur}s" --latency -s "$tmp/post.lua" "http://127.0.0.1:$port/api/v1/requests" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
receipt=$(curl -fsS -XPOST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/requests")
number=$(echo "$receipt" | sed 's/.*"number":"\([^"]*\)".*/\1/')
code=$(echo "$receipt" | sed 's/.*"tracking_code":"\([^"]*\)".*/\1/')
echo "-- tracking (GET /api/v1/requests/{number}?code=…), 64 connections, ${dur}s"
wrk -t2 -c64 -d"${dur}s" --latency "http://127.0.0.1:$port/api/v1/requests/$number?code=$code" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "stored requests: $(curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null && sqlite3 "$d/lentera.sqlite3" 'select count(*) from requests' 2>/dev/null || echo '?')"
