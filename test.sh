#!/usr/bin/env bash
# Runs every check: format, query data freshness, clippy (server and wasm), unit and
# integration tests, and Playwright end-to-end tests in Debian's Chromium against the release
# build. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/setup.sh
start=$(date +%s)
ensure_build_tools
ensure_chromium
ensure_sqlx_cli

# cargo-leptos builds the server with this flag; using it here too shares the build cache.
export RUSTFLAGS="--cfg erase_components"

step "cargo fmt --check"
cargo fmt --all -- --check

step "sqlx offline query data is fresh"
rm -f target/sqlx-check.db*
mkdir -p target
export DATABASE_URL="sqlite://target/sqlx-check.db"
cargo sqlx database create
cargo sqlx migrate run --source migrations
cargo sqlx prepare --workspace --check
unset DATABASE_URL

step "clippy (server, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm bundle, warnings are errors)"
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests"
# One thread: the whole suite takes about a second, and it rules out test-to-test interference
# while a rare hang (once in about 14 runs, under parallel threads) is investigated.
cargo test --workspace -- --test-threads=1

unset RUSTFLAGS
step "release build"
cargo leptos build --release --precompress

step "end-to-end tests (Playwright, Debian's Chromium)"
(cd end2end && npx playwright test)

echo
echo "all checks passed in $(( $(date +%s) - start )) s"
