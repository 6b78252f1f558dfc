#!/usr/bin/env bash
# `cmake --install` into a scratch DESTDIR: the binary, the systemd unit pointing at it, the
# example config under share/doc, and /etc/spotify2mqtt/config.json root-only (it holds the
# client secret) — and a second install keeps a config the user has edited.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build="$1"
dest="$(mktemp -d)"
trap 'rm -rf "$dest"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

DESTDIR="$dest" cmake --install "$build" >/dev/null
prefix="$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")"
unit="$dest$prefix/lib/systemd/system/spotify2mqtt.service"
config="$dest/etc/spotify2mqtt/config.json"

[[ -x "$dest$prefix/bin/spotify2mqtt" ]] || fail "no executable $prefix/bin/spotify2mqtt"
"$dest$prefix/bin/spotify2mqtt" --version >/dev/null || fail "the installed binary does not run"
[[ -f "$unit" ]] || fail "no unit in $prefix/lib/systemd/system"
grep -q "^ExecStart=$prefix/bin/spotify2mqtt run " "$unit" || fail "ExecStart is not $prefix/bin"
[[ -f "$dest$prefix/share/doc/spotify2mqtt/config.example.json" ]] || fail "no example config"
[[ -f "$config" ]] || fail "no /etc/spotify2mqtt/config.json"
[[ "$(stat -c %a "$config")" == 600 ]] || fail "config.json is $(stat -c %a "$config"), not 600"
grep -q '"state_dir": "/var/lib/spotify2mqtt"' "$config" ||
    fail "config.json does not name the service's state directory"
"$dest$prefix/bin/spotify2mqtt" check-config --config "$config" >/dev/null ||
    fail "the installed config.json is not a valid configuration"

echo '// edited by the user' >>"$config"
DESTDIR="$dest" cmake --install "$build" >/dev/null
[[ "$(tail -n 1 "$config")" == '// edited by the user' ]] || fail "reinstalling replaced the config"
echo "install_test: ok (prefix $prefix)"
