#!/usr/bin/env bash
# Checks systemd/spotify2mqtt.service the way systemd will read it: `systemd-analyze verify` must
# find nothing wrong (with ExecStart pointed at the binary just built, since the unit names the
# installed path), and `systemd-analyze security --offline` must rate its exposure 2.0 or less.
# Usage: systemd_unit_test.sh UNIT_FILE BINARY
set -euo pipefail
unit="$1" binary="$2"
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is not installed (package systemd)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s|^ExecStart=/usr/local/bin/spotify2mqtt|ExecStart=$binary|" "$unit" >"$work/spotify2mqtt.service"
grep -q "^ExecStart=$binary " "$work/spotify2mqtt.service" ||
    { echo "the unit's ExecStart is not /usr/local/bin/spotify2mqtt ..." >&2; exit 1; }

# The footprint bench measures the bridge with the environment the unit gives it.
grep -qx "Environment=GNUTLS_NO_IMPLICIT_INIT=1" "$unit" ||
    { echo "the unit does not set GNUTLS_NO_IMPLICIT_INIT=1 (see its comment)" >&2; exit 1; }

# verify prints every problem it finds and may still exit 0: any output is a failure.
if ! out="$(systemd-analyze verify "$work/spotify2mqtt.service" 2>&1)" || [[ -n "$out" ]]; then
    printf 'systemd-analyze verify:\n%s\n' "$out" >&2
    exit 1
fi

report="$(systemd-analyze security --offline=true --no-pager "$work/spotify2mqtt.service" 2>&1)"
level="$(sed -n 's/.*Overall exposure level for spotify2mqtt.service: \([0-9.]*\).*/\1/p' <<<"$report")"
[[ -n "$level" ]] || { printf 'no exposure level in:\n%s\n' "$report" >&2; exit 1; }
echo "systemd-analyze security: exposure $level (limit 2.0)"
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || {
    grep '✗' <<<"$report" >&2
    exit 1
}
