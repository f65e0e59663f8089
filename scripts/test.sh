#!/usr/bin/env bash
# Runs every test: unit and integration (cargo test), then end-to-end in real Chromium against a release
# build started on a spare port with a brand-new database (so first-start seeding is exercised too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$(npm config get prefix 2>/dev/null)/bin:$PATH"
logs=$(mktemp -d)

echo "== unit and integration tests"
# Own target dir: cargo-leptos builds with other flags, and sharing would rebuild everything each time.
# Line tables only and no incremental cache: panics still name file and line, and the test build takes a
# few GB instead of tens.
CARGO_TARGET_DIR=target/test CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only \
  cargo test --features ssr 2>&1 | tee "$logs/cargo.log"

echo "== release build (server + wasm)"
# cargo-leptos 0.3.10 now and then loses its own wasm-bindgen output under load ("Could not rename
# …/tradewinds_bg.wasm", "Could not read …/tradewinds.js"); a second run finds everything compiled and
# only generates the bindings again. A real failure fails twice and shows its log.
for attempt in 1 2; do
  if cargo leptos build --release > "$logs/release.log" 2>&1; then
    tail -n 5 "$logs/release.log"
    break
  fi
  echo "release build failed (attempt $attempt), the end of its log:"
  tr '\r' '\n' < "$logs/release.log" | grep -av '^[[:space:]]*$' | tail -n 40
  [ "$attempt" = 2 ] && exit 1
done

echo "== end-to-end tests"
# A free port, so a server already running on 3000 (or a previous run) is never tested by mistake.
port=${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
db="$logs/e2e.db"
export ADMIN_TOKEN="e2e-admin-token-$RANDOM$RANDOM"
LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$db" RUST_LOG=warn TRADEWINDS_ADMIN_TOKEN="$ADMIN_TOKEN" \
  target/release/tradewinds > "$logs/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/datasets" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "server exited:"; cat "$logs/server.log"; exit 1; }
  sleep 0.5
done
(cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test) 2>&1 | tee "$logs/e2e.log"

unit=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$logs/cargo.log" | awk '{s+=$4} END {print s+0}')
e2e=$(grep -Eo '^ *[0-9]+ passed' "$logs/e2e.log" | awk '{s+=$1} END {print s+0}')
echo "all tests: $((unit + e2e)) passed, 0 failed"
