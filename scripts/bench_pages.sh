#!/usr/bin/env bash
# Benchmark (not a test): what a page costs at two data sizes — the default dataset, and the default plus
# 5,000,000 synthetic observations (made up, scripts/gen_synthetic_long.py; built once and kept in
# target/bench/). For each size a release server is started on a free port, twice: with the page cache
# off (uncached render: p50/p99 of one connection in sequence) and on (req/s with 32 connections, then
# its RSS). Then static assets, the API, and a whole-dataset CSV download (first byte, total, peak RSS).
# With BENCH_POSTGRES=1 the same runs go against PostgreSQL (a throwaway cluster from pg_virtualenv, the
# two databases built fresh), so the backends can be compared side by side.
# Usage: bash scripts/bench_pages.sh [SECONDS]   (default 10 s per load run)
#        BENCH_POSTGRES=1 bash scripts/bench_pages.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
if [[ "${BENCH_POSTGRES:-}" == 1 && -z "${PGPORT:-}" ]]; then
  exec pg_virtualenv bash "$0" "$@"
fi
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
export PATH="$HOME/.cargo/bin:$(npm config get prefix 2>/dev/null)/bin:$PATH"
cargo leptos build --release 2>&1 | tail -n 1

bench=target/bench
mkdir -p "$bench"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
server=""
start() { # start DATABASE_URL CACHE(on|off)
  port=$(free_port); base="http://127.0.0.1:$port"
  LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="$1" RUST_LOG=warn TRADEWINDS_PAGE_CACHE="$2" TRADEWINDS_RATE_LIMIT=off \
    target/release/tradewinds > "$bench/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$base/api/v1/datasets" 2>/dev/null && return 0
    kill -0 $server 2>/dev/null || { echo "server exited:"; cat "$bench/server.log"; exit 1; }
    sleep 0.5
  done
}
stop() { kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; server=""; }
trap stop EXIT
rss() { awk '/VmRSS/ {printf "%d MB", $2/1024}' /proc/$server/status; }

# The databases: default (seeded on first start), and default + 5M synthetic observations.
if [[ -n "${PGPORT:-}" ]]; then
  backend=PostgreSQL
  pg="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT"
  small="$pg/bench_default"; big="$pg/bench_5m"
  for db in bench_default bench_5m; do psql -q -c "CREATE DATABASE $db" >/dev/null; done
  target/release/tradewinds --database-url "$small" seed >/dev/null
  echo "building the 5M-observation database…"
  python3 scripts/gen_synthetic_long.py 5000000 "$bench/synthetic.csv" >/dev/null
  target/release/tradewinds --database-url "$big" seed >/dev/null
  target/release/tradewinds --database-url "$big" import --dataset synthetic-5m \
    --publisher "made-up benchmark data" "$bench/synthetic.csv" >/dev/null
  rm -f "$bench/synthetic.csv"
else
  backend=SQLite
  small="$bench/default.db"
  big="$bench/5m.db"
  # Built again when the shipped data changed (a database from an older build lacks its datasets).
  if [ -f "$small" ] && [ "$(sqlite3 "$small" 'SELECT COUNT(*) FROM datasets' 2>/dev/null)" != "$(grep -c '^    DefaultFile {' src/seed.rs)" ]; then
    rm -f "$small" "$big"
  fi
  if [ ! -f "$small" ]; then
    target/release/tradewinds --database-url "sqlite://$small" seed >/dev/null
  fi
  if [ ! -f "$big" ]; then
    echo "building the 5M-observation database (once)…"
    cp "$small" "$big.tmp"
    python3 scripts/gen_synthetic_long.py 5000000 "$bench/synthetic.csv" >/dev/null
    target/release/tradewinds --database-url "sqlite://$big.tmp" import --dataset synthetic-5m \
      --publisher "made-up benchmark data" "$bench/synthetic.csv" >/dev/null
    rm -f "$bench/synthetic.csv"; mv "$big.tmp" "$big"
  fi
  small="sqlite://$small"; big="sqlite://$big"
fi

lat() { # url -> "p50 p99" in ms, one connection
  wrk -t1 -c1 -d"${seconds}s" --latency "$1" | awk '
    / 50%/ {p50=$2} / 99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return sprintf("%.2f", v/1000); if (v ~ /ms$/) return sprintf("%.2f", v+0); return sprintf("%.0f", v*1000) }
    END {print ms(p50) " " ms(p99)}'
}
rps() { wrk -t2 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {printf "%d", $2} /Non-2xx/ {printf " (non-2xx: %s)", $NF}'; }

echo "backend: $backend"
printf "%-34s %-8s %18s %14s %10s\n" route data "uncached p50/p99 ms" "cached req/s" RSS
for db in "$small" "$big"; do
  size=$([ "$db" = "$small" ] && echo default || echo +5M)
  start "$db" off
  ids=$(curl -fsS "$base/api/v1/series?limit=10000" | python3 -c '
import json, sys, collections
series = [s for s in json.load(sys.stdin)["series"] if not s["id"].startswith("synthetic")]
unit = collections.Counter(s["unit"] for s in series).most_common(1)[0][0]
print(",".join([s["id"] for s in series if s["unit"] == unit][:20]))')
  routes=("/" "/explore" "/explore?s=$ids" "/embed/home" "/markets" "/markets?category=Miscellaneous&weights=growing" "/rankings" "/rankings?table=ots-china-partners%2Fots_exports&category=Textiles&sort=-to")
  declare -A uncached=()
  for r in "${routes[@]}"; do uncached[$r]=$(lat "$base$r"); done
  stop
  start "$db" on
  for r in "${routes[@]}"; do
    curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$base$r"
    req=$(rps -H 'Accept-Encoding: gzip' "$base$r")
    label=$r; [ ${#label} -gt 34 ] && { [[ $r == /explore* ]] && label="${label:0:22}…(20 series)" || label="${label:0:33}…"; }
    printf "%-34s %-8s %18s %14s %10s\n" "$label" "$size" "${uncached[$r]}" "$req" "$(rss)"
  done
  root=$(curl -fsS "$base/" | grep -o '/v/[0-9a-f]*/pkg/tradewinds.css' | head -1)
  printf "%-34s %-8s %18s %14s %10s\n" "$root (br)" "$size" "-" "$(rps -H 'Accept-Encoding: br' "$base$root")" "$(rss)"
  printf "%-34s %-8s %18s %14s %10s\n" "/api/v1/series (1000/page)" "$size" "$(lat "$base/api/v1/series")" "$(rps "$base/api/v1/series")" "$(rss)"
  printf "%-34s %-8s %18s %14s %10s\n" "/api/v1/markets?category=Textiles" "$size" "$(lat "$base/api/v1/markets?category=Textiles")" "$(rps "$base/api/v1/markets?category=Textiles")" "$(rss)"
  printf "%-34s %-8s %18s %14s %10s\n" "/api/v1/rankings.csv (all rows)" "$size" "$(lat "$base/api/v1/rankings.csv")" "$(rps "$base/api/v1/rankings.csv")" "$(rss)"
  one=${ids%%,*}
  printf "%-34s %-8s %18s %14s %10s\n" "/api/v1/observations (1 series)" "$size" "$(lat "$base/api/v1/observations?series=$one")" "$(rps "$base/api/v1/observations?series=$one")" "$(rss)"
  # A minute of mixed load (pages, images, API, assets at random), then the server's memory.
  img=$(python3 -c 'import sys; print(sys.argv[1].replace(",", "%2C"))' "$ids")
  PATHS="$(printf '%s\n' / /explore "/explore?s=$ids" "/explore?s=$ids&chart=bars" /embed/home \
    "/chart.svg?s=$img" "/chart.png?home=totals" /api/v1/series "/api/v1/observations?series=$one" \
    "$root" /api/v1/datasets)" wrk -t2 -c16 -d60s -s scripts/bench/mixed.lua "$base/" \
    | awk -v size="$size" '/Requests\/sec/ {printf "%-34s %-8s %18s %14d", "mixed load, 60 s", size, "-", $2}'
  printf " %10s\n" "$(rss)"
  if [ "$db" = "$big" ]; then
    # The 5M synthetic rows are one dataset: download it whole, watching the server's memory.
    peak=0
    ( while kill -0 $server 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$server/status; sleep 0.1; done ) > "$bench/rss.log" &
    watcher=$!
    curl -s -o /dev/null -w 'whole-dataset CSV (5M rows): first byte %{time_starttransfer} s, all %{time_total} s, %{size_download} bytes\n' \
      "$base/api/v1/datasets/synthetic-5m/observations?format=csv"
    kill $watcher 2>/dev/null || true
    echo "server RSS peak during the download: $(sort -n "$bench/rss.log" | tail -1 | awk '{printf "%d MB", $1/1024}')"
  fi
  stop
done
