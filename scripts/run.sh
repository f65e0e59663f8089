#!/usr/bin/env bash
# Sets up what a fresh machine lacks, builds the app (release) and serves it on http://127.0.0.1:3000
# with the embedded SQLite database under data/, created and seeded with the real dataset on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$(npm config get prefix 2>/dev/null)/bin:$PATH"
exec cargo leptos serve --release
