#!/usr/bin/env bash
# Builds the benches and prints their tables. Each bench starts its own mosquitto, fake Spotify
# and bridge on loopback (nothing reaches the internet) and stops them again.
#
#   bash bench/run.sh [--no-deps] [bench arguments...]    e.g. --accounts 1,10 --samples 20
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

if [[ "${1:-}" == "--no-deps" ]]; then
    shift
else
    bash scripts/install-deps.sh
fi
bash scripts/build.sh --target footprint_bench
"${S2M_BUILD_DIR:-$REPO_ROOT/build}/bin/footprint_bench" "$@"
