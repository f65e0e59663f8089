#!/usr/bin/env bash
# Benchmark (not a test): imports a synthetic 1,000,000-row long CSV with a release build and reports
# wall time and peak memory; then times a first start (create, migrate, seed every default file).
# On SQLite, and with BENCH_POSTGRES=1 on PostgreSQL as well (a throwaway cluster from pg_virtualenv),
# so the two backends are measured side by side on the same file.
# Usage: bash scripts/bench_import.sh [ROWS]      BENCH_POSTGRES=1 bash scripts/bench_import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
if [[ "${BENCH_POSTGRES:-}" == 1 && -z "${PGPORT:-}" ]]; then
  exec pg_virtualenv bash "$0" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --no-default-features --features ssr --bin tradewinds 2>&1 | tail -n 1
python3 scripts/gen_synthetic_long.py "$rows" "$work/synthetic.csv"

# "name url" per backend; PostgreSQL gets two fresh databases in the throwaway cluster.
backends=("SQLite sqlite://$work/bench.db sqlite://$work/seed.db")
if [[ -n "${PGPORT:-}" ]]; then
  for db in bench_import bench_seed; do psql -q -c "CREATE DATABASE $db"; done
  pg="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT"
  backends+=("PostgreSQL $pg/bench_import $pg/bench_seed")
fi
for b in "${backends[@]}"; do
  read -r name import_url seed_url <<< "$b"
  echo "== $name: import of $rows synthetic rows ($(du -h "$work/synthetic.csv" | cut -f1))"
  /usr/bin/time -f "wall %e s, peak RSS %M KB, user %U s, sys %S s" \
    target/release/tradewinds --database-url "$import_url" import "$work/synthetic.csv"
  echo "== $name: first start with an empty database (seed all default files)"
  /usr/bin/time -f "wall %e s, peak RSS %M KB" target/release/tradewinds --database-url "$seed_url" seed
done
