#!/usr/bin/env bash
# Builds the benches and prints their tables. Each bench starts its own mosquitto, fake Spotify
# and bridge on loopback (nothing reaches the internet) and stops them again.
#
#   bash bench/run.sh [--no-deps] [footprint_bench arguments...]   e.g. --accounts 1,10 --samples 20
# command_bench runs with its defaults (240 commands); run it alone for --commands N.
# listening_day_bench (a simulation, no processes) runs 50 days; alone: --days N --seed S.
# soak_bench is built but not run here (it takes 30 min): build/bin/soak_bench [--minutes 30].
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

if [[ "${1:-}" == "--no-deps" ]]; then
    shift
else
    bash scripts/install-deps.sh
fi
bash scripts/build.sh --target footprint_bench
bash scripts/build.sh --target command_bench
bash scripts/build.sh --target listening_day_bench
bash scripts/build.sh --target soak_bench
BIN="${S2M_BUILD_DIR:-$REPO_ROOT/build}/bin"
"$BIN/listening_day_bench"
echo
"$BIN/footprint_bench" "$@"
echo
"$BIN/command_bench"
