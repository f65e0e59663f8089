#!/usr/bin/env bash
# The end-to-end tests against the release build, started on a spare port with a brand-new database
# (so first-start seeding is exercised too): SQLite by default; `scripts/e2e.sh postgres` inside a
# PostgreSQL cluster (pg_virtualenv sets PG*; scripts/test.sh runs it that way) uses a fresh database
# there. Writes the Playwright output to $E2E_LOG (default: a temp file).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
logs=$(mktemp -d)
log=${E2E_LOG:-$logs/e2e.log}
case "$backend" in
  sqlite) url="sqlite://$logs/e2e.db" ;;
  postgres)
    psql -q -c "CREATE DATABASE tradewinds_e2e"
    url="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/tradewinds_e2e"
    ;;
  *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;;
esac
# A free port, so a server already running on 3000 (or a previous run) is never tested by mistake.
port=${E2E_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
export ADMIN_TOKEN="e2e-admin-token-$RANDOM$RANDOM"
LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="$url" RUST_LOG=warn TRADEWINDS_ADMIN_TOKEN="$ADMIN_TOKEN" \
  target/release/tradewinds > "$logs/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/datasets" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { echo "server exited:"; cat "$logs/server.log"; exit 1; }
  sleep 0.5
done
(cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test) 2>&1 | tee "$log"
