#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running bridge: installs what running needs
# (not the test tools: scripts/test.sh installs those), builds the daemon only, creates the
# user's config from the example on the first run, starts a private mosquitto when the configured
# broker is local and not running, and runs spotify2mqtt in the foreground. A second run with
# nothing changed only checks the packages and the build (seconds). Everything this script starts
# is stopped (by PID) when it exits.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/run.sh [--demo] [--config FILE] [--no-deps] [--no-build] [--] [EXTRA BRIDGE ARGS...]

Installs what running needs (scripts/install-deps.sh --run), builds the daemon
(scripts/build.sh --target spotify2mqtt), then runs `build/bin/spotify2mqtt run --config FILE`
in the foreground. Ctrl-C stops it.

  --demo          run against the bundled fake Spotify server (no Spotify account needed):
                  builds and starts build/bin/fake_spotify, writes a config for it to
                  state/demo/config.json (account "alice", tokens in state/demo) and runs the
                  bridge with that file; your own config is not touched.
  --config FILE   configuration file (default: $SPOTIFY2MQTT_CONFIG, else
                  config/spotify2mqtt.json, created from config/spotify2mqtt.example.json on
                  the first run; it is yours: git ignores it)
  --no-deps       skip scripts/install-deps.sh (e.g. when not root and everything is installed)
  --no-build      use the binaries already built (skip scripts/build.sh)
  --help          show this text

Environment: S2M_BUILD_DIR overrides the build directory (default: build/); S2M_RUN_STATE_DIR
the folder for the local broker's and the demo's files (default: state/).

Broker: the MQTT URL comes from $SPOTIFY2MQTT__MQTT__URL, else mqtt.url in the config file, else
mqtt://127.0.0.1:1883. When it names a loopback address and nothing listens on its port, a private
mosquitto is started on that address (config, persistence and log in state/mosquitto/) and
stopped again when the bridge exits.
EOF
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

demo=0
install_deps=1
build=1
config=""
bridge_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --demo) demo=1 ;;
        --config)
            [[ $# -ge 2 ]] || { echo "run: --config needs a file" >&2; exit 2; }
            config="$2"
            shift
            ;;
        --config=*) config="${1#--config=}" ;;
        --no-deps) install_deps=0 ;;
        --no-build) build=0 ;;
        -h | --help)
            usage
            exit 0
            ;;
        --)
            shift
            bridge_args+=("$@")
            break
            ;;
        *) bridge_args+=("$1") ;;
    esac
    shift
done

log() { echo "run: $*"; }

# --- PIDs we started, stopped on exit (never by name: other mosquittos may be the user's) -----
mosquitto_pid=""
fake_pid=""

# shellcheck disable=SC2317 # reached only through the EXIT trap
stop_pid() { # name pid
    local name="$1" pid="$2" i
    [[ -n "$pid" ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name did not stop in 5 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    # The bridge has exited by now (it runs in the foreground); stop its peers after it so it
    # could still publish its offline state to the broker.
    stop_pid "fake Spotify server" "$fake_pid"
    stop_pid "local mosquitto" "$mosquitto_pid"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- dependencies and build: only what running needs --------------------------------------------
if [[ $install_deps -eq 1 ]]; then
    bash "$REPO_ROOT/scripts/install-deps.sh" --run
fi
BIN_DIR="${S2M_BUILD_DIR:-$REPO_ROOT/build}/bin"
STATE_ROOT="${S2M_RUN_STATE_DIR:-$REPO_ROOT/state}"
needed=(spotify2mqtt)
[[ $demo -eq 0 ]] || needed+=(fake_spotify)
if [[ $build -eq 1 ]]; then
    targets=()
    for binary in "${needed[@]}"; do targets+=(--target "$binary"); done
    bash "$REPO_ROOT/scripts/build.sh" "${targets[@]}"
fi
for binary in "${needed[@]}"; do
    [[ -x "$BIN_DIR/$binary" ]] || { echo "run: $BIN_DIR/$binary is not built" >&2; exit 1; }
done

# --- configuration file -------------------------------------------------------------------------
# The user's file is not tracked (a `git pull` never conflicts with it): made from the example
# on the first run, 0600 because it will hold the client secret.
if [[ -z "$config" && -n "${SPOTIFY2MQTT_CONFIG:-}" ]]; then
    config="$SPOTIFY2MQTT_CONFIG"
fi
if [[ -n "$config" ]]; then
    [[ -f "$config" ]] || { echo "run: config file '$config' not found" >&2; exit 2; }
else
    config="config/spotify2mqtt.json"
    if [[ ! -f "$config" && $demo -eq 0 ]]; then
        (umask 077 && cp config/spotify2mqtt.example.json "$config")
        log "created $config from config/spotify2mqtt.example.json: your settings go there"
    fi
    [[ -f "$config" ]] || config="config/spotify2mqtt.example.json"  # the demo's broker default
fi

# --- broker -------------------------------------------------------------------------------------
# A deliberately tiny reader: the only key called exactly "url" in our config is mqtt.url
# (the Spotify ones are api_url/accounts_url). The bridge does the real parsing.
mqtt_url="${SPOTIFY2MQTT__MQTT__URL:-}"
if [[ -z "$mqtt_url" && -n "$config" ]]; then
    mqtt_url="$(sed -n 's/^[^/]*"url"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$config" | head -n 1)"
fi
mqtt_url="${mqtt_url:-mqtt://127.0.0.1:1883}"

scheme="${mqtt_url%%://*}"
[[ "$scheme" != "$mqtt_url" ]] || scheme="mqtt"
hostport="${mqtt_url#*://}"
hostport="${hostport%%/*}"
hostport="${hostport##*@}"
if [[ "$hostport" == \[* ]]; then # [::1]:1883
    mqtt_host="${hostport%%]*}"
    mqtt_host="${mqtt_host#[}"
    rest="${hostport#*]}"
    mqtt_port="${rest#:}"
else
    mqtt_host="${hostport%%:*}"
    mqtt_port=""
    [[ "$hostport" != *:* ]] || mqtt_port="${hostport##*:}"
fi
if [[ -z "$mqtt_port" ]]; then
    case "$scheme" in mqtts | ssl | tls) mqtt_port=8883 ;; *) mqtt_port=1883 ;; esac
fi

shown() { # a path as the user would type it from the repository's folder
    local path="$1"
    [[ "$path" != "$REPO_ROOT/"* ]] || path="${path#"$REPO_ROOT/"}"
    echo "$path"
}

is_loopback() {
    case "$1" in 127.* | localhost | ::1) return 0 ;; *) return 1 ;; esac
}

port_open() { # host port
    local host="$1"
    [[ "$host" != localhost ]] || host=127.0.0.1
    timeout 2 bash -c "exec 3<>/dev/tcp/$host/$2" 2>/dev/null
}

start_local_mosquitto() {
    local dir="$STATE_ROOT/mosquitto" bind="$mqtt_host" i
    [[ "$bind" != localhost ]] || bind=127.0.0.1
    mkdir -p "$dir"
    # `user root` keeps mosquitto from switching to the `mosquitto` user when started as root,
    # which could not write the persistence file in our state dir. No effect when not root.
    cat >"$dir/mosquitto.conf" <<EOF
# Generated by scripts/run.sh; rewritten on every run.
listener $mqtt_port $bind
allow_anonymous true
# No Nagle delay on messages to subscribers: commands and states pass at once (docs/mqtt.md#broker-settings).
set_tcp_nodelay true
persistence true
persistence_location $dir/
log_dest file $dir/mosquitto.log
log_timestamp_format %Y-%m-%dT%H:%M:%S
user root
EOF
    log "starting a local mosquitto on $bind:$mqtt_port (log: $(shown "$dir")/mosquitto.log)"
    # setsid: Ctrl-C in the terminal must reach only the bridge, so the broker outlives it and
    # receives the bridge's offline message; the EXIT trap stops the broker afterwards.
    setsid /usr/sbin/mosquitto -c "$dir/mosquitto.conf" >>"$dir/mosquitto.stdout.log" 2>&1 &
    mosquitto_pid=$!
    for ((i = 0; i < 100; i++)); do
        port_open "$bind" "$mqtt_port" && return 0
        if ! kill -0 "$mosquitto_pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "run: mosquitto did not start; its log says:" >&2
    tail -n 20 "$dir/mosquitto.log" "$dir/mosquitto.stdout.log" >&2 2>/dev/null || true
    exit 1
}

if is_loopback "$mqtt_host"; then
    if port_open "$mqtt_host" "$mqtt_port"; then
        log "using the MQTT broker already listening on $mqtt_host:$mqtt_port"
    elif [[ "$scheme" == mqtt || "$scheme" == tcp ]]; then
        start_local_mosquitto
    else
        log "WARNING: nothing listens on $mqtt_host:$mqtt_port and a TLS broker cannot be" \
            "started automatically; the bridge will keep retrying"
    fi
else
    log "using the MQTT broker at $mqtt_url"
fi

# --- demo: fake Spotify -------------------------------------------------------------------------
# The demo gets a config file of its own (state/demo/config.json; its relative state_dir "." is
# that folder), so `spotify2mqtt accounts --config state/demo/config.json` sees what the demo
# bridge sees, from any working directory.
if [[ $demo -eq 1 ]]; then
    demo_dir="$STATE_ROOT/demo"
    mkdir -p "$demo_dir"
    port_file="$demo_dir/fake_spotify.port"
    rm -f "$port_file"
    setsid "$BIN_DIR/fake_spotify" --demo --listen 127.0.0.1:0 --port-file "$port_file" \
        >"$demo_dir/fake_spotify.log" 2>&1 &
    fake_pid=$!
    fake_port=""
    for ((i = 0; i < 100; i++)); do
        if [[ -s "$port_file" ]]; then
            fake_port="$(tr -dc '0-9' <"$port_file")"
            [[ -z "$fake_port" ]] || break
        fi
        kill -0 "$fake_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -z "$fake_port" ]]; then
        echo "run: the fake Spotify server did not start; its log says:" >&2
        tail -n 20 "$demo_dir/fake_spotify.log" >&2 || true
        exit 1
    fi
    config="$demo_dir/config.json"
    cat >"$config" <<EOF
// Written by scripts/run.sh --demo on every start: the bridge against the fake Spotify server.
{
  "mqtt": {"url": "$mqtt_url"},
  "spotify": {
    "client_id": "fake-client-id",
    "client_secret": "fake-client-secret",
    "api_url": "http://127.0.0.1:$fake_port/v1",
    "accounts_url": "http://127.0.0.1:$fake_port"
  },
  "state_dir": ".",
  "accounts": [{"name": "alice", "refresh_token": "demo-refresh-token"}]
}
EOF
    cat <<EOF

==========================================================================================
  DEMO MODE: fake Spotify, no real account
  fake Spotify server: http://127.0.0.1:$fake_port  (log: $(shown "$demo_dir")/fake_spotify.log)
  account "alice" (Spotify user "Alice"); its config and tokens: $(shown "$demo_dir")/
  its accounts:  $(shown "$BIN_DIR")/spotify2mqtt accounts --config $(shown "$config")
==========================================================================================
EOF
fi

sub_args=""
if [[ "$mqtt_host" != 127.0.0.1 || "$mqtt_port" != 1883 ]]; then
    sub_args="-h $mqtt_host -p $mqtt_port "
fi
echo
log "watch the bridge with:   mosquitto_sub ${sub_args}-v -t 'spotify2mqtt/#'"
log "stop it with Ctrl-C"
echo

run_args=(run --config "$config")
run_args+=("${bridge_args[@]}")

# Foreground, not exec: the EXIT trap must still stop mosquitto / the fake after the bridge ends.
# Ctrl-C reaches the bridge directly (same process group); the no-op INT trap lets this script
# wait for the bridge's clean shutdown and report its status instead of exiting with 130.
# (A SIGTERM sent to this script alone is acted on only after the bridge exits: stop the bridge
# itself, or the whole process group, to end a run from outside.)
trap ':' INT
status=0
"$BIN_DIR/spotify2mqtt" "${run_args[@]}" || status=$?
log "spotify2mqtt exited with status $status"
exit "$status"
