#!/usr/bin/env bash
# The add-on's entry point: turns the add-on's options (/data/options.json) and the MQTT service
# the Supervisor hands out (GET http://supervisor/services/mqtt with SUPERVISOR_TOKEN) into the
# bridge's SPOTIFY2MQTT__ environment overrides (docs/configuration.md), then runs the bridge in
# its place, as uid 10001 when started as root. Tokens live in /data/state (kept in the add-on's
# backups). See docs/home-assistant-addon.md.
#
# For tests without a Supervisor (tests/packaging/addon_run_test.py) the paths can be moved:
#   S2M_ADDON_OPTIONS (/data/options.json), S2M_SUPERVISOR_URL (http://supervisor),
#   S2M_ADDON_STATE_DIR (/data/state), S2M_BRIDGE (/usr/local/bin/spotify2mqtt),
#   S2M_INGRESS_PROXY (172.30.32.2), S2M_INGRESS_PORT (8099, the config's ingress_port).
set -euo pipefail

OPTIONS="${S2M_ADDON_OPTIONS:-/data/options.json}"
SUPERVISOR="${S2M_SUPERVISOR_URL:-http://supervisor}"
STATE_DIR="${S2M_ADDON_STATE_DIR:-/data/state}"
BRIDGE="${S2M_BRIDGE:-/usr/local/bin/spotify2mqtt}"

fail() {
    echo "spotify2mqtt add-on: $*" >&2
    exit 78 # EX_CONFIG, as the bridge's own configuration errors
}

[[ -r "$OPTIONS" ]] || fail "cannot read the add-on's options ($OPTIONS)"
jq -e 'type == "object"' "$OPTIONS" >/dev/null 2>&1 || fail "the add-on's options ($OPTIONS) are not a JSON object"
[[ -n "${SUPERVISOR_TOKEN:-}" ]] || fail "SUPERVISOR_TOKEN is not set: start this as a Home Assistant add-on"

# One option as a JSON string literal ("" when unset): the bridge reads a variable's value as
# JSON first, so a password like `true` or `123` stays text.
option() { jq -c --arg key "$1" '(.[$key] // "") | tostring' "$OPTIONS"; }

mqtt=$(curl -fsS --max-time 10 -H "Authorization: Bearer $SUPERVISOR_TOKEN" \
    "$SUPERVISOR/services/mqtt") ||
    fail "the Supervisor gave no MQTT service: install and start the Mosquitto broker add-on"
service() { jq -c --arg key "$1" '(.data[$key] // "") | tostring' <<<"$mqtt"; }
host=$(jq -r '.data.host // empty' <<<"$mqtt")
port=$(jq -r '.data.port // 1883' <<<"$mqtt")
[[ -n "$host" ]] || fail "the Supervisor's MQTT service names no host"
scheme=mqtt
[[ "$(jq -r '.data.ssl // false' <<<"$mqtt")" == true ]] && scheme=mqtts
# An IPv6 broker address goes into the URL in brackets.
[[ "$host" == *:* ]] && host="[$host]"

# NAME=VALUE, unless VALUE is the empty JSON string (an option or field that was not given).
export_given() { [[ "$2" == '""' ]] || export "$1=$2"; }
export SPOTIFY2MQTT__MQTT__URL="$scheme://$host:$port"
export_given SPOTIFY2MQTT__MQTT__USERNAME "$(service username)"
export_given SPOTIFY2MQTT__MQTT__PASSWORD "$(service password)"
export_given SPOTIFY2MQTT__SPOTIFY__CLIENT_ID "$(option spotify_client_id)"
export_given SPOTIFY2MQTT__SPOTIFY__CLIENT_SECRET "$(option spotify_client_secret)"
export_given SPOTIFY2MQTT__LOG_LEVEL "$(option log_level)"
# (jq's `//` would take false for missing.)
discovery=$(jq 'if .discovery == false then false else true end' "$OPTIONS")
export SPOTIFY2MQTT__HOMEASSISTANT__DISCOVERY="$discovery"
export SPOTIFY2MQTT__STATE_DIR="$STATE_DIR"
# The page behind Home Assistant's ingress: all interfaces of the add-on's container at the
# ingress port, answering only the Supervisor's proxy (docs/home-assistant-addon.md).
export SPOTIFY2MQTT__WEB__LISTEN="0.0.0.0:${S2M_INGRESS_PORT:-8099}"
export SPOTIFY2MQTT__WEB__INGRESS=true
export SPOTIFY2MQTT__WEB__INGRESS_PROXY="${S2M_INGRESS_PROXY:-172.30.32.2}"
# No config file: the options above are the whole configuration.
unset SPOTIFY2MQTT_CONFIG

mkdir -p "$STATE_DIR"
chmod 0700 "$STATE_DIR"
echo "spotify2mqtt add-on: broker $SPOTIFY2MQTT__MQTT__URL, tokens in $STATE_DIR"
if [[ $EUID -eq 0 ]] && id spotify2mqtt >/dev/null 2>&1; then
    # Home Assistant starts add-ons as root; the bridge needs none of it.
    chown -R spotify2mqtt: "$STATE_DIR"
    exec setpriv --reuid=spotify2mqtt --regid=spotify2mqtt --clear-groups "$BRIDGE" run
fi
exec "$BRIDGE" run
