#!/usr/bin/env bash
# Builds the benches, prints their tables, then one summary table of every target next to Home
# Assistant's figures (the TARGET lines the benches print). Each bench starts its own mosquitto,
# fake Spotify and bridge on loopback (nothing reaches the internet) and stops them again.
#
#   bash bench/run.sh [--no-deps] [--no-live] [--soak MINUTES] [--chaos]
#                     [footprint_bench arguments...]
#       e.g. bash bench/run.sh --no-deps --soak 30 --accounts 1,10,100,500 --samples 20
# command_bench (240 commands) and isolation_bench (30 per setting) run with their defaults;
# alone: --commands N.
# listening_day_bench (a simulation, no processes) runs 12 accounts x 56 days; alone: --days N --seed S
# --playing S (another interval against the same days).
# live_day_bench plays 5 such days live to the real bridge at 60x (24 minutes; --no-live skips
# it); alone: --accounts N --speed X --changes.
# soak_bench runs only with --soak (it takes that long); alone: build/bin/soak_bench --minutes N.
# chaos_bench runs only with --chaos: 30 bridge minutes at 10x, a calm run then a chaotic one
# (about 7 real minutes; its full disk is a tmpfs mount, root only, else skipped and said); alone:
# build/bin/chaos_bench --minutes N --speed X (--speed 1 for 30 real minutes per run).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

usage() {
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

deps=1
live=1
soak_minutes=0
chaos=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --no-deps) deps=0 ;;
        --no-live) live=0 ;;
        --chaos) chaos=1 ;;
        --soak)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "run.sh: --soak needs minutes" >&2; exit 2; }
            soak_minutes="$2"
            shift
            ;;
        *) break ;;
    esac
    shift
done

if [[ $deps -eq 1 ]]; then
    bash scripts/install-deps.sh
fi
for bench in footprint_bench command_bench isolation_bench listening_day_bench live_day_bench \
    soak_bench chaos_bench; do
    bash scripts/build.sh --target "$bench" -- -DSPOTIFY2MQTT_TESTS=ON
done
BIN="${S2M_BUILD_DIR:-$REPO_ROOT/build}/bin"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT

"$BIN/listening_day_bench" | tee -a "$OUT"
echo
if [[ $live -eq 1 ]]; then
    "$BIN/live_day_bench" | tee -a "$OUT"
    echo
fi
"$BIN/footprint_bench" "$@" | tee -a "$OUT"
echo
"$BIN/command_bench" | tee -a "$OUT"
echo
"$BIN/isolation_bench" | tee -a "$OUT"
if [[ $soak_minutes -gt 0 ]]; then
    echo
    "$BIN/soak_bench" --minutes "$soak_minutes" | tee -a "$OUT"
fi
if [[ $chaos -eq 1 ]]; then
    echo
    "$BIN/chaos_bench" | tee -a "$OUT"
fi

echo
echo "Summary (every target of the benchmark issue; Home Assistant's figures modelled or as documented)"
echo
echo "| what | spotify2mqtt | target | Home Assistant | verdict |"
echo "|---|---:|---|---:|---|"
grep '^TARGET | ' "$OUT" | sed -e 's/^TARGET | /| /' -e 's/$/ |/'
