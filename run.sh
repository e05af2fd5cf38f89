#!/usr/bin/env bash
# Builds (release) and runs the portal on a SQLite file under data/, migrated and seeded with
# demo data on first start, at http://127.0.0.1:3000. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/setup.sh
ensure_build_tools
step "cargo leptos build --release --precompress"
cargo leptos build --release --precompress
step "starting the portal"
# The demo signs in with passwords only (the sign-in page says so); production requires codes.
export PORTAL_REQUIRE_SECOND_FACTOR="${PORTAL_REQUIRE_SECOND_FACTOR:-false}"
exec target/release/portal serve --seed-demo "$@"
