#!/usr/bin/env bash
# Public pages against a bare server, side by side in one run (issue 17): every public page of
# the demo, and of a generated province of 40 bodies with four units each, under wrk -t2 -c64;
# the yardstick is crates/server/examples/bare.rs answering a copy of the same page (same size,
# same runtime). The figure to keep is the ratio: rates alone drift by a third between days.
#   bench/public-pages.sh [path/to/release/lentera]      (BENCH_SECONDS, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
bin="${1:-$target/release/lentera}"
[ -x "$bin" ] || cargo build --release -p lentera-server
cargo build --release -q -p lentera-server --example bare
bare="$target/release/examples/bare"
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }
tmp="$(mktemp -d)"; dur="${BENCH_SECONDS:-10}"
export LENTERA_TODAY="${LENTERA_TODAY:-2026-03-02}" LENTERA_LOG=warn
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
wait_up() { until curl -fsS "$1" >/dev/null 2>&1; do sleep 0.1; done; }

# rate and p99 of one wrk run: "rate p99_ms non2xx"
measure() {
  wrk -t2 -c64 -d"${dur}s" --latency "$1" | awk '
    /Requests\/sec/ {r=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p=v}
    /Non-2xx/ {n=$4}
    END {printf "%d %.1f %d\n", r, p, n+0}'
}

run_set() { # name base path...
  local name=$1 base=$2; shift 2
  mkdir -p "$tmp/pages-$name"
  local i=0
  for path in "$@"; do
    i=$((i+1)); curl -fsS "$base$path" -o "$tmp/pages-$name/p$i"
  done
  "$bare" 127.0.0.1:18300 "$tmp/pages-$name" & local bpid=$!; pids+=("$bpid")
  wait_up "http://127.0.0.1:18300/p1"
  echo
  echo "== $name ($dur s each, wrk -t2 -c64)"
  printf "%-34s %8s %10s %9s %12s %7s\n" page bytes lentera p99_ms bare ratio
  i=0
  for path in "$@"; do
    i=$((i+1))
    read -r lr lp ln < <(measure "$base$path")
    read -r br bp bn < <(measure "http://127.0.0.1:18300/p$i")
    [ "$ln" = 0 ] || echo "!! $ln non-2xx answers for $path"
    printf "%-34s %8s %8s/s %9s %10s/s %7s\n" "$path" "$(stat -c %s "$tmp/pages-$name/p$i")" "$lr" "$lp" "$br" \
      "$(awk -v a="$lr" -v b="$br" 'BEGIN {printf "%.2f", a/b}')"
  done
  kill "$bpid"; wait "$bpid" 2>/dev/null || true
}

echo "== demo (seeding)"
"$bin" demo --listen 127.0.0.1:18281 --data-dir "$tmp/demo" > "$tmp/demo.log" 2>&1 & demo=$!; pids+=("$demo")
wait_up "http://127.0.0.1:18281/api/v1/health/ready"
b=kab-banyumas
run_set demo http://127.0.0.1:18281 / "/b/$b" "/b/$b/dip" "/b/$b/dik" "/b/$b/register" \
  "/b/$b/keberatan" "/b/$b/permohonan" /lacak "/cari?q=anggaran"
kill "$demo"; wait "$demo" 2>/dev/null || true

echo
echo "== province of 40 bodies with 4 units each (generating)"
d="$tmp/prov"
"$bin" body add --slug prov --name "Pemerintah Provinsi Bench" --kind province --data-dir "$d" >/dev/null
for i in $(seq -w 1 39); do
  "$bin" body add --slug "kab-$i" --name "Pemerintah Kabupaten $i" --kind regency --parent prov --data-dir "$d" >/dev/null
done
for p in prov $(seq -f "kab-%02g" 1 39); do
  for u in dinkes disdik bappeda dpupr; do
    "$bin" body add --slug "$p-$u" --name "Unit $u $p" --parent "$p" --data-dir "$d" >/dev/null
  done
done
"$bin" serve --listen 127.0.0.1:18282 --data-dir "$d" > "$tmp/prov.log" 2>&1 & pids+=($!)
wait_up "http://127.0.0.1:18282/api/v1/health/ready"
run_set province http://127.0.0.1:18282 / /b/kab-17 /b/kab-17/dip /b/kab-17/register /b/kab-17/permohonan
