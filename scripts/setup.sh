#!/usr/bin/env bash
# Installs what a fresh machine lacks to build, run and test Tradewinds.
# Each tool is installed only when it is missing or at the wrong version, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
NPM_PREFIX="$(npm config get prefix 2>/dev/null || echo /usr/local)"
export PATH="$NPM_PREFIX/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# Rust: the wasm target for the hydrate build.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate pinned in Cargo.toml exactly.
WB_VERSION=0.2.130
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# cargo-leptos 0.3.10 (0.3.11 needs a newer rustc).
CL_VERSION=0.3.10
if [[ "$(cargo-leptos --version 2>/dev/null | awk '{print $2}')" != "$CL_VERSION" ]]; then
  say "installing cargo-leptos $CL_VERSION (takes ~15 min the first time)"
  cargo install cargo-leptos --version "$CL_VERSION" --locked --force
fi

# wasm-opt from npm's binaryen 132: Debian's binaryen 108 builds wasm that fails to hydrate.
BINARYEN_VERSION=132
if [[ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]]; then
  say "installing binaryen@$BINARYEN_VERSION.0.0 from npm"
  npm install -g "binaryen@$BINARYEN_VERSION.0.0"
fi

# Debian's Chromium for end-to-end tests (Playwright never downloads its own browser here).
if ! command -v chromium >/dev/null 2>&1; then
  say "installing chromium from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

# PostgreSQL for the tests that run the store and the app on it (pg_virtualenv starts a throwaway
# cluster, as root too); the app itself needs none unless DATABASE_URL names one.
if ! command -v pg_virtualenv >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-common >/dev/null
fi

# Node packages for end2end (playwright-core only; the browser is Debian's).
if [[ -f end2end/package.json ]]; then
  if [[ ! -d end2end/node_modules || end2end/package-lock.json -nt end2end/node_modules ]]; then
    say "installing end2end node packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
say "tools ready: $(cargo-leptos --version), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version)"
