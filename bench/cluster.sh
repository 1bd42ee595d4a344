#!/usr/bin/env bash
# Issue 16: two nodes on one PostgreSQL behind nginx against one node, in the same run, with a
# bare nginx (a fixed 200 answer) as the machine's yardstick. Submissions, a public page and
# tracking at 64 connections; then how long a publication on node 1 takes to be found on
# node 2 while submissions load both nodes. Needs wrk, nginx, moto, a running PostgreSQL.
#   bench/cluster.sh [path/to/release/lentera]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:-target/release/lentera}")"
[ -x "$bin" ] || { echo "build the release binary first: cargo build --release -p lentera-server"; exit 1; }
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
admin_url="${LENTERA_BENCH_PG:-postgres://lentera:lentera@127.0.0.1:5432/lentera}"
dur="${BENCH_SECONDS:-10}"
tmp="$(mktemp -d)"; state="$tmp/cluster"; port="${CLUSTER_PORT:-18400}"
db="lentera_bench_$(date +%s)"
export CLUSTER_PORT="$port" LENTERA_BIN="$bin" LENTERA_TODAY=2026-03-02 LENTERA_RATE_SUBMIT_PER_MIN=0 \
  LENTERA_REQUIRE_2FA=0 LENTERA_LOG=warn
cleanup() {
  deploy/local-cluster down "$state" >/dev/null 2>&1 || true
  [ -f "$tmp/bare/nginx.pid" ] && kill "$(cat "$tmp/bare/nginx.pid")" 2>/dev/null || true
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
psql -q "$admin_url" -c "CREATE DATABASE $db" >/dev/null
export LENTERA_DATABASE_URL="${admin_url%/*}/$db"
deploy/local-cluster up "$state" 2 >/dev/null
key="$(cat "$state/secret.key")"
LENTERA_SECRET_KEY="$key" LENTERA_DATA_DIR="$tmp/admin" "$bin" body add --slug bench --name "Pemerintah Kabupaten Bench" --kind regency >/dev/null
echo "kata-sandi-bench-klaster" | LENTERA_SECRET_KEY="$key" LENTERA_DATA_DIR="$tmp/admin" "$bin" user add --email ppid@bench.id --role ppid --body bench --password-stdin >/dev/null

# The yardstick: nginx answering 200 from memory, one worker like the proxy.
mkdir -p "$tmp/bare"
cat >"$tmp/bare/nginx.conf" <<NGX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1; pid $tmp/bare/nginx.pid; error_log $tmp/bare/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $tmp/bare/b; proxy_temp_path $tmp/bare/p;
  fastcgi_temp_path $tmp/bare/f; uwsgi_temp_path $tmp/bare/u; scgi_temp_path $tmp/bare/s;
  server { listen 127.0.0.1:$((port + 60)); location / { return 200 "ok"; } } }
NGX
nginx -p "$tmp/bare" -c "$tmp/bare/nginx.conf"

body='{"body":"bench","applicant":{"kind":"individual","name":"Siti Aminah","id_number":"3302015708900007","email":"siti@example.id","address":"Jl. Pemuda 1","occupation":"Wartawan"},"information":"Salinan DPA Dinas Pendidikan 2026","purpose":"Liputan","obtain":"softcopy","delivery":"email"}'
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
one="http://127.0.0.1:$((port + 1))"; two="http://127.0.0.1:$port"; bare="http://127.0.0.1:$((port + 60))"
receipt=$(curl -fsS -XPOST -H 'content-type: application/json' -d "$body" "$one/api/v1/requests")
number=$(echo "$receipt" | sed 's/.*"number":"\([^"]*\)".*/\1/')
code=$(echo "$receipt" | sed 's/.*"tracking_code":"\([^"]*\)".*/\1/')

rate() { # label url [wrk args…]: prints "label rps p99 non2xx"
  local label="$1" url="$2"; shift 2
  local out; out=$(wrk -t2 -c64 -d"${dur}s" --latency "$@" "$url")
  local rps p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $4}'); bad="${bad:-0}"
  local err; err=$(echo "$out" | awk '/Socket errors/ {print $0}')
  printf '%-34s %10s req/s  p99 %-9s non-2xx %s %s\n' "$label" "$rps" "$p99" "$bad" "$err"
  echo "$rps" >"$tmp/last"
}
echo "== $(nproc) cores, ${dur}s per run, 64 connections"
rate "bare nginx (return 200)" "$bare/"; b=$(cat "$tmp/last")
target() { # what: sets args and path of a measured run
  case "$1" in
    submit) args=(-s "$tmp/post.lua"); path="/api/v1/requests";;
    page) args=(); path="/b/bench";;
    track) args=(); path="/api/v1/requests/$number?code=$code";;
  esac
}
for what in ${BENCH_ONLY:-submit page track}; do
  target "$what"
  rate "$what: one node (direct)" "$one$path" "${args[@]}"; o=$(cat "$tmp/last")
  rate "$what: two nodes through nginx" "$two$path" "${args[@]}"; t=$(cat "$tmp/last")
  awk -v o="$o" -v t="$t" -v b="$b" -v w="$what" 'BEGIN {printf "   %s: two/one = %.2f; one/bare = %.3f; two/bare = %.3f\n", w, t/o, o/b, t/b}'
  echo "$what $o $t" >>"$tmp/pairs"
done
# The proxy's own cost: node 2 stopped, one node through nginx.
deploy/local-cluster stop "$state" 2
while read -r what o t; do
  target "$what"
  rate "$what: one node through nginx" "$two$path" "${args[@]}"; p=$(cat "$tmp/last")
  awk -v o="$o" -v t="$t" -v p="$p" -v w="$what" 'BEGIN {printf "   %s: proxied one/direct one = %.2f; two/proxied one = %.2f\n", w, p/o, t/p}'
done <"$tmp/pairs"
deploy/local-cluster start "$state" 2

echo "== index lag: publications on node 1 found on node 2 while register writes load the outbox"
token=$(curl -fsS -XPOST -H 'content-type: application/json' -d '{"email":"ppid@bench.id","password":"kata-sandi-bench-klaster"}' "$one/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
entry='{"kind":"periodic","title":"Laporan beban indeks","summary":"Entri untuk mengukur jeda indeks","responsible":"Bagian Umum","made_when":"Januari 2026","made_where":"Bench","forms":["softcopy"],"retention":"5 tahun","checklist":"berkala.keuangan"}'
# Each connection creates an entry, then publishes it: every publication is an outbox row.
cat >"$tmp/entry.lua" <<LUA
local pending = {}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
request = function()
  local id = table.remove(pending)
  if id then return wrk.format("POST", "/api/v1/register/entries/" .. id .. "/publish", nil, "{}") end
  return wrk.format("POST", "/api/v1/register/entries", nil, '$entry')
end
response = function(status, headers, body)
  local id = body:match('"id":"([%w%-]+)"')
  if status == 201 and id then table.insert(pending, id) end
end
LUA
cursor() { curl -fsS "http://127.0.0.1:$((port + 2))/api/v1/health/ready" | sed 's/.*"cursor":\([0-9]*\).*/\1/'; }
c0=$(cursor); t0=$(date +%s%N)
wrk -t2 -c"${LAG_CONNECTIONS:-8}" -d25s -s "$tmp/entry.lua" "$two" >"$tmp/load.txt" &
load=$!
sleep 2
worst=0; maxlag=0
for i in $(seq 1 10); do
  word="lagujikata$i$RANDOM"
  id=$(curl -fsS -XPOST -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"kind\":\"periodic\",\"title\":\"Laporan $word\",\"summary\":\"Ringkasan $word\",\"responsible\":\"Bagian Umum\",\"made_when\":\"Januari 2026\",\"made_where\":\"Bench\",\"forms\":[\"softcopy\"],\"retention\":\"5 tahun\",\"checklist\":\"berkala.keuangan\"}" \
    "$one/api/v1/register/entries" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  start=$(date +%s%N)
  curl -fsS -o /dev/null -XPOST -H "authorization: Bearer $token" -H 'content-type: application/json' -d '{}' "$one/api/v1/register/entries/$id/publish"
  until curl -fsS "http://127.0.0.1:$((port + 2))/api/v1/search?q=$word" | grep -q '"total":[1-9]'; do sleep 0.01; done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -gt "$worst" ] && worst=$ms
  lag=$(curl -fsS "http://127.0.0.1:$((port + 2))/api/v1/health/ready" | sed 's/.*"lag":\([0-9]*\).*/\1/')
  [ "$lag" -gt "$maxlag" ] && maxlag=$lag
  printf '  publication %s found on node 2 after %s ms (node 2 lag then: %s outbox rows)\n' "$i" "$ms" "$lag"
  sleep 1
done
wait $load
c1=$(cursor); t1=$(date +%s%N)
rows=$((c1 - c0)); secs=$(( (t1 - t0) / 1000000 ))
echo "   worst: ${worst} ms; highest lag seen: ${maxlag} rows; outbox rows applied by node 2: ${rows} in ${secs} ms ($(( rows * 1000 / (secs > 0 ? secs : 1) ))/s); register writes (create + publish): $(awk '/Requests\/sec/ {print $2}' "$tmp/load.txt")/s"
