#!/usr/bin/env bash
# Installs what the portal's build and tests need, skipping what is already there.
# Sourced by ./run.sh and ./test.sh; every step is idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
SQLX_CLI_VERSION="0.8.6"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# cargo-leptos prints very long backtraces with this set; keep errors readable.
export RUST_BACKTRACE=0

# Each step is printed with the seconds since the script started, so slow steps show up in CI logs.
step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly; cargo-leptos would
# otherwise try to download it from a host this machine cannot reach.
ensure_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    step "installing wasm-bindgen-cli $want"
    cargo install wasm-bindgen-cli --version "$want" --locked || cargo install wasm-bindgen-cli --version "$want"
  fi
}

# npm packages: Designsystemet's CSS, wasm-opt (binaryen 132; Debian's 108 breaks the bundle)
# and Playwright. Reinstalled when package-lock.json changed.
ensure_npm_packages() {
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    step "npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    step "installing Debian's Chromium"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
  fi
}

ensure_sqlx_cli() {
  if ! cargo sqlx --version 2>/dev/null | grep -q "$SQLX_CLI_VERSION"; then
    step "installing sqlx-cli $SQLX_CLI_VERSION"
    cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --no-default-features --features sqlite,rustls --locked
  fi
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_npm_packages
  ensure_cargo_leptos
  ensure_wasm_bindgen
}
