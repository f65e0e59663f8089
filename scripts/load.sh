#!/usr/bin/env bash
# Load test (not a test in the suite; it stops by itself): a release server on a fresh copy of the default
# dataset, loopback only, then 200 connections for SECONDS (default 60) on each mix — cached pages, the
# API, /chart.svg and /chart.png — with wrk (scripts/load/mix.lua counts every status). Prints one line per
# mix (requests, 2xx/3xx, deliberate 429 and 503, anything else, socket errors, p50/p99, req/s) and the
# server's RSS before, right after and 10 s after the run. What to look for: other=0 and socket_errors=0;
# p99 ≤ 100 ms on the cached mixes; RSS back to flat after the run.
# The per-client rate limit is off (every connection comes from one address, so it would answer almost
# everything with a deliberate 429 and measure nothing else); LOAD_RATE_LIMIT=on keeps it, to see the
# limiter answer 429 with Retry-After under load. The expensive-work bound stays on (503s are deliberate).
# Usage: bash scripts/load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-200}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
export PATH="$HOME/.cargo/bin:$(npm config get prefix 2>/dev/null)/bin:$PATH"
[ -x target/release/tradewinds ] || cargo leptos build --release 2>&1 | tail -n 1
ulimit -n 65536 2>/dev/null || true

dir=target/load
mkdir -p "$dir"
rm -f "$dir"/load.db*
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
rate_limit=$([ "${LOAD_RATE_LIMIT:-off}" = on ] && echo "100/1000" || echo off)
LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$dir/load.db" RUST_LOG=warn TRADEWINDS_RATE_LIMIT="$rate_limit" \
  target/release/tradewinds > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$base/api/v1/datasets" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "server exited:"; cat "$dir/server.log"; exit 1; }
  sleep 0.5
done
rss() { awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$server/status"; }

mirror="comtrade-mirror-china.m.china"
pages="/ /zh /explore /zh/explore /markets /zh/markets /rankings /explore?s=$mirror.usa.total,$mirror.viet-nam.total"
api="/api/v1/datasets /api/v1/series?q=viet+nam /api/v1/observations?series=$mirror.usa.total /api/v1/rankings?table=comtrade-mirror-china%2Freported_imports"
svg="/chart.svg?s=$mirror.usa.total /chart.svg?s=$mirror.viet-nam.total,$mirror.usa.total&tf=yoy /chart.svg?home=totals /markets/chart.svg?category=Textiles"
png="/chart.png?s=$mirror.usa.total /chart.png?home=shares&lang=zh-Hans /markets/chart.png?category=Textiles"
# Warm the caches once, as a visitor before the crowd would.
for p in $pages $api $svg $png; do curl -fsS -o /dev/null "$base$p" || echo "warm-up: $p failed"; done

echo "server RSS before: $(rss)"
for mix in pages api svg png; do
  LOAD_PATHS="${!mix}" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s scripts/load/mix.lua "$base" \
    | grep RESULT | sed "s/^RESULT/$mix:/"
done
echo "server RSS right after: $(rss)"
sleep 10
echo "server RSS 10 s after: $(rss)"
