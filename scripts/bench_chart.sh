#!/usr/bin/env bash
# Benchmark (not a test): static chart images and the embed page, against a release server on loopback
# with a fresh database.
#  - uncached render time of /chart.svg and /chart.png for a 10-series chart (each request a new size, so
#    nothing comes from the cache);
#  - /chart.svg of that chart served from the cache with 32 connections (wrk): plain, gzip, and 304s;
#  - the embed page's first-load bytes (HTML, wasm, JS, CSS as sent gzipped).
# Usage: bash scripts/bench_chart.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
# The site build (server + wasm) as served: a plain cargo build would name the wasm differently.
cargo leptos build --release 2>&1 | tail -n 1

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$work/bench.db" RUST_LOG=warn TRADEWINDS_RATE_LIMIT=off \
  target/release/tradewinds > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$base/api/v1/datasets" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "server exited:"; cat "$work/server.log"; exit 1; }
  sleep 0.5
done

# Ten series of the unit most series share: one panel, ten lines.
ids=$(curl -fsS "$base/api/v1/series" | python3 -c '
import json, sys, collections
series = json.load(sys.stdin)["series"]
unit = collections.Counter(s["unit"] for s in series).most_common(1)[0][0]
print(",".join([s["id"] for s in series if s["unit"] == unit][:10]))')
query="s=$ids"
url="$base/chart.svg?$query"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || { curl -s "$url"; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "== uncached render (10 series, median of 9, ms incl. loopback HTTP)"
for fmt in svg png; do
  ms=$(for w in 701 702 703 704 705 706 707 708 709; do
    curl -s -o /dev/null -w '%{time_total}\n' "$base/chart.$fmt?$query&width=$w"
  done | awk '{printf "%.1f\n", $1 * 1000}' | median)
  echo "chart.$fmt: $ms ms"
done

echo "== cached /chart.svg, 32 connections, ${seconds}s each"
etag=$(curl -sI "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
bytes=$(curl -s -o /dev/null -w '%{size_download}' "$url")
gz=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url")
run() {
  local label=$1; shift
  wrk -t2 -c32 -d"${seconds}s" "$@" "$url" | awk -v l="$label" '
    /Requests\/sec/ {r=$2} /Latency/ {lat=$2} /Non-2xx/ {n=$NF}
    END {printf "%-28s %10s req/s   mean latency %s%s\n", l, r, lat, (n ? "   non-2xx/3xx: " n : "")}'
}
run "plain ($bytes B)"
run "gzip ($gz B)" -H 'Accept-Encoding: gzip'
run "If-None-Match (304)" -H "If-None-Match: $etag"

echo "== embed page, first load (bytes as sent, gzip)"
page="$base/embed?$query"
size() {
  local r
  r=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{http_code} %{size_download}' "$1")
  [ "${r% *}" = 200 ] || { echo "$1: HTTP ${r% *}" >&2; exit 1; }
  echo "${r#* }"
}
html=$(size "$page")
total=$html
printf '%-32s %8s B\n' "HTML" "$html"
for asset in $(curl -s "$page" | grep -oE '/pkg/[A-Za-z0-9_.-]+\.(wasm|js|css)' | sort -u); do
  b=$(size "$base$asset")
  total=$((total + b))
  printf '%-32s %8s B\n' "$asset" "$b"
done
printf '%-32s %8s B\n' "total" "$total"
printf '%-32s %8s B\n' "/embed.js (on the partner page)" "$(size "$base/embed.js")"
