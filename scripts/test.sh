#!/usr/bin/env bash
# Runs every test: unit and integration (cargo test), then end-to-end in real Chromium against a release
# build started on a spare port with a brand-new database (so first-start seeding is exercised too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$(npm config get prefix 2>/dev/null)/bin:$PATH"
logs=$(mktemp -d)

echo "== unit and integration tests (SQLite, and PostgreSQL in a throwaway cluster)"
# Own target dir: cargo-leptos builds with other flags, and sharing would rebuild everything each time.
# Line tables only and no incremental cache: panics still name file and line, and the test build takes a
# few GB instead of tens. pg_virtualenv starts a PostgreSQL cluster for the run, sets PG* for it and
# drops it afterwards; a streaming replica of it is started beside it (scripts/lib/pg_replica.sh).
# tests/postgres.rs reads TEST_POSTGRES_URL and TEST_POSTGRES_REPLICA_URL and must not skip (REQUIRED).
cat > "$logs/cargo-test.sh" <<'SH'
export TEST_POSTGRES_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"
export TEST_POSTGRES_REQUIRED=1
source scripts/lib/pg_replica.sh
pg_replica_start
CARGO_TARGET_DIR=target/test CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only \
  cargo test --features ssr
SH
pg_virtualenv bash "$logs/cargo-test.sh" 2>&1 | tee "$logs/cargo.log"

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

echo "== end-to-end tests (SQLite)"
E2E_LOG="$logs/e2e.log" bash scripts/e2e.sh sqlite
echo "== end-to-end tests (PostgreSQL)"
E2E_LOG="$logs/e2e-pg.log" pg_virtualenv bash scripts/e2e.sh postgres

unit=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$logs/cargo.log" | awk '{s+=$4} END {print s+0}')
e2e=$(cat "$logs/e2e.log" "$logs/e2e-pg.log" | grep -Eo '^ *[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
echo "all tests: $((unit + e2e)) passed, 0 failed"
