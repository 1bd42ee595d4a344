#!/usr/bin/env bash
# HTML figures of issue 3: public pages (home, body page, tracking) under 64 connections, and the
# back-office queue of a body with 10,000 open requests. Needs `wrk`.
#   bench/pages.sh [path/to/release/lentera]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/lentera}"
[ -x "$bin" ] || cargo build --release -p lentera-server
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
tmp="$(mktemp -d)"; port=18282; dur="${BENCH_SECONDS:-10}"; base="http://127.0.0.1:$port"
cleanup() { kill "${pid:-0}" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
d="$tmp/data"
"$bin" body add --slug bench --name "Pemerintah Kabupaten Bench" --kind regency --data-dir "$d" >/dev/null
"$bin" body add --slug bench-dinkes --name "Dinas Kesehatan" --parent bench --data-dir "$d" >/dev/null
echo "kata-sandi-bench" | "$bin" user add --email ppid@bench.id --role ppid --body bench --password-stdin --data-dir "$d" >/dev/null
LENTERA_RATE_SUBMIT_PER_MIN=0 LENTERA_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --data-dir "$d" > "$tmp/serve.log" 2>&1 &
pid=$!
until curl -fsS "$base/api/v1/health" >/dev/null 2>&1; do sleep 0.05; done

echo "== 10,000 open requests for one body (through the API)"
body='{"body":"bench","applicant":{"kind":"individual","name":"Siti Aminah","id_number":"3302015708900007","email":"siti@example.id","address":"Jl. Pemuda 1","occupation":"Wartawan"},"information":"Salinan DPA Dinas Pendidikan 2026","purpose":"Liputan","obtain":"softcopy","delivery":"email"}'
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests) end
LUA
# Submit until 10,000 are stored.
wrk -t2 -c64 -d30s -s "$tmp/post.lua" "$base/api/v1/requests" >/dev/null &
wpid=$!
while :; do
  n=$(sqlite3 "$d/lentera.sqlite3" 'select count(*) from requests' 2>/dev/null || echo 0)
  [ "$n" -ge 10000 ] && break
  sleep 0.2
done
kill $wpid 2>/dev/null || true; wait $wpid 2>/dev/null || true
echo "stored: $(sqlite3 "$d/lentera.sqlite3" 'select count(*) from requests')"
receipt=$(curl -fsS -XPOST -H 'content-type: application/json' -d "$body" "$base/api/v1/requests")
number=$(echo "$receipt" | sed 's/.*"number":"\([^"]*\)".*/\1/'); code=$(echo "$receipt" | sed 's/.*"tracking_code":"\([^"]*\)".*/\1/')

for path in / /b/bench; do
  echo "-- GET $path, 64 connections, ${dur}s"
  wrk -t2 -c64 -d"${dur}s" --latency "$base$path" | grep -E "Requests/sec|50%|99%|Non-2xx"
done
csrf=0123456789abcdef0123456789abcdef
cat > "$tmp/track.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$csrf&nomor=$number&kode=$code"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "lentera_csrf=$csrf"
LUA
echo "-- POST /lacak (tracking page with result), 64 connections, ${dur}s"
wrk -t2 -c64 -d"${dur}s" --latency -s "$tmp/track.lua" "$base/lacak" | grep -E "Requests/sec|50%|99%|Non-2xx"

echo "== back-office queue of a body with 10,000 open requests"
curl -fsS -c "$tmp/jar" "$base/kantor/masuk" -o "$tmp/login.html"
token=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$tmp/login.html" | head -1)
curl -fsS -b "$tmp/jar" -c "$tmp/jar" -o /dev/null -d "csrf=$token&email=ppid@bench.id&password=kata-sandi-bench" "$base/kantor/masuk"
sid=$(awk '$6=="lentera_sid" {print $7}' "$tmp/jar")
for i in 1 2 3; do curl -fsS -o /dev/null -H "Cookie: lentera_sid=$sid" "$base/kantor"; done
echo "-- GET /kantor, one client, 200 sequential renders"
curl -fsS -o /dev/null -w "single render: %{time_total}s, %{size_download} bytes\n" -H "Cookie: lentera_sid=$sid" "$base/kantor"
wrk -t1 -c1 -d"${dur}s" --latency -H "Cookie: lentera_sid=$sid" "$base/kantor" | grep -E "Requests/sec|50%|99%|Non-2xx"
