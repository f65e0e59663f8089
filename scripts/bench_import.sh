#!/usr/bin/env bash
# Benchmark (not a test): imports a synthetic 1,000,000-row long CSV with a release build and reports
# wall time and peak memory; then times a first start (create, migrate, seed every default file).
# Usage: bash scripts/bench_import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --no-default-features --features ssr --bin tradewinds 2>&1 | tail -n 1
python3 scripts/gen_synthetic_long.py "$rows" "$work/synthetic.csv"
echo "== import of $rows synthetic rows ($(du -h "$work/synthetic.csv" | cut -f1))"
/usr/bin/time -f "wall %e s, peak RSS %M KB, user %U s, sys %S s" \
  target/release/tradewinds --database-url "sqlite://$work/bench.db" import "$work/synthetic.csv"
echo "== first start with an empty database (seed all default files)"
/usr/bin/time -f "wall %e s, peak RSS %M KB" target/release/tradewinds --database-url "sqlite://$work/seed.db" seed
