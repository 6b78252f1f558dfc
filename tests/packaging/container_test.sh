#!/usr/bin/env bash
# Builds the image from a clean checkout of HEAD with podman and runs it for real, against a test
# mosquitto and the fake Spotify on loopback (--network=host), the way docs/docker.md tells users
# to run it. Checks: state on MQTT, the image's HEALTHCHECK (0 while connected, non-zero without
# the broker), uid 10001, /data 0700 and token files 0600, tokens kept across a new container on
# the same volume, SPOTIFY2MQTT__ overrides, `podman stop` exits 0 after publishing offline.
# Prints the image's size and the bridge's VmRSS in the container.
#
# Usage: container_test.sh REPO_ROOT BIN_DIR   (BIN_DIR holds fake_spotify; run as root)
# Without podman, runc or debootstrap it says SKIPPED and passes, unless S2M_CONTAINER_REQUIRED=1
# (scripts/test.sh sets it after installing them). S2M_CONTAINER_ADDON=1 also builds the Home
# Assistant add-on's image (spotify2mqtt/) and runs it against a fake Supervisor.
set -euo pipefail

REPO="$1"
BIN_DIR="$2"
# Ours: the image and (as $IMAGE-build) its build stage, kept between runs as the build cache.
IMAGE=localhost/spotify2mqtt-ci:latest
RUN_ID="s2m-ct-$$"
# runc with cgroupfs: works on hosts without systemd's cgroup delegation (our CI machines). The
# ulimits stay at or below this machine's (`ulimit -n -u`); podman's defaults are higher and runc
# refuses them there.
PODMAN=(podman --runtime /usr/sbin/runc --cgroup-manager=cgroupfs)
LIMITS=(--ulimit nofile=1024:4096 --ulimit nproc=1024:4096)

for tool in podman /usr/sbin/runc debootstrap mosquitto_sub; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        [[ "${S2M_CONTAINER_REQUIRED:-0}" == 1 ]] && { echo "FAIL  $tool is not installed"; exit 1; }
        echo "SKIPPED: $tool is not installed (scripts/install-deps.sh installs it)"
        exit 0
    fi
done

WORK=$(mktemp -d /tmp/s2m-container.XXXXXX)
failures=0
pids=()
cleanup() {
    for name in "$RUN_ID-a" "$RUN_ID-b" "$RUN_ID-addon"; do
        "${PODMAN[@]}" rm --ignore -f -t 0 "$name" >/dev/null 2>&1 || true
    done
    podman volume rm -f "$RUN_ID-data" >/dev/null 2>&1 || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

check() { # condition-status message
    if [[ "$1" == 0 ]]; then echo "ok    $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # seconds command...: until the command succeeds
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

t0=$SECONDS
# ---- the image: base, then a build from a clean checkout of HEAD -------------------------------
bash "$REPO/tests/packaging/container_base.sh"
mkdir "$WORK/src"
git -C "$REPO" archive HEAD | tar -x -C "$WORK/src"
old_image=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
# The host build's ccache results (scripts/test.sh writes them while it builds build/), read-only
# for the image's ccache (the Dockerfile's CCACHE_REMOTE_STORAGE): on a bare machine the compile
# in the image then finds what the host compiled. Kept to what a week of builds wrote.
SEED="${S2M_CONTAINER_CACHE:-/var/cache/spotify2mqtt-ci}/ccache-seed"
SEED_ARGS=()
if [[ -d "$SEED" ]]; then
    find "$SEED" -type f -mtime +7 -delete
    SEED_ARGS=(--volume "$SEED:/ccache-seed:ro"
        --build-arg "CCACHE_REMOTE_STORAGE=file:///ccache-seed|read-only")
fi
tb=$SECONDS
# --format docker: the OCI format has no HEALTHCHECK. Layers are cached between runs (only the
# compile step runs again when the sources changed).
podman build --isolation chroot --format docker "${LIMITS[@]}" "${SEED_ARGS[@]}" -t "$IMAGE" \
    "$WORK/src" \
    >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; echo "FAIL  podman build"; exit 1; }
echo "ok    image built from a clean checkout of HEAD in $((SECONDS - tb)) s"
# The build stage gets a name too (all its layers are cached by now): otherwise every run would
# leave an untagged ~800 MB image behind.
old_stage=$(podman image inspect --format '{{.Id}}' "$IMAGE-build" 2>/dev/null || true)
podman build --isolation chroot --format docker "${LIMITS[@]}" "${SEED_ARGS[@]}" --target build \
    -t "$IMAGE-build" "$WORK/src" >>"$WORK/build.log" 2>&1 || { echo "FAIL  tagging the build stage"; exit 1; }
# The previous build's images (ours, by id); the layers the new ones share stay as the cache.
remove_previous() { # old-id name
    if [[ -n "$1" && "$1" != "$(podman image inspect --format '{{.Id}}' "$2")" ]]; then
        podman rmi "$1" >/dev/null 2>&1 || true
    fi
}
remove_previous "$old_image" "$IMAGE"
remove_previous "$old_stage" "$IMAGE-build"
health=$(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE")
[[ "$health" == *spotify2mqtt*healthcheck* ]]; check $? "the image keeps its HEALTHCHECK ($health)"

# ---- the test broker and the fake Spotify on loopback ------------------------------------------
MQTT_PORT=$(free_port)
WEB_PORT=$(free_port)
cat >"$WORK/mosquitto.conf" <<EOF
listener $MQTT_PORT 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
user root
EOF
start_broker() {
    /usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
    broker_pid=$!
    pids+=("$broker_pid")
    wait_for 10 mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -t s2m-ct/probe -m x
}
start_broker
"$BIN_DIR/fake_spotify" --demo --listen 127.0.0.1:0 --port-file "$WORK/fake.port" \
    >"$WORK/fake.log" 2>&1 &
pids+=("$!")
wait_for 10 test -s "$WORK/fake.port"
FAKE="http://127.0.0.1:$(cat "$WORK/fake.port")"
# Everything recorded from the start: the offline message must be seen when it is published.
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -v -t 'ct/#' >"$WORK/mqtt.log" 2>/dev/null &
pids+=("$!")

# The base topic and the web port come from variables, over the image's config file.
BRIDGE_ENV=(-e SPOTIFY2MQTT__MQTT__URL="mqtt://127.0.0.1:$MQTT_PORT"
    -e SPOTIFY2MQTT__MQTT__BASE_TOPIC=ct -e SPOTIFY2MQTT__MQTT__CLIENT_ID="$RUN_ID"
    -e SPOTIFY2MQTT__WEB__LISTEN="127.0.0.1:$WEB_PORT"
    -e SPOTIFY2MQTT__SPOTIFY__API_URL="$FAKE/v1" -e SPOTIFY2MQTT__SPOTIFY__ACCOUNTS_URL="$FAKE"
    -e SPOTIFY2MQTT__SPOTIFY__CLIENT_ID=fake-client-id
    -e SPOTIFY2MQTT__SPOTIFY__CLIENT_SECRET=fake-client-secret)
run_bridge() { # name extra-args...
    local name="$1"
    shift
    # --health-interval=disable: no systemd timer (none here); `podman healthcheck run` still runs
    # the image's HEALTHCHECK command.
    "${PODMAN[@]}" run -d --name "$name" --network=host "${LIMITS[@]}" --health-interval=disable \
        -v "$RUN_ID-data:/data" "${BRIDGE_ENV[@]}" "$@" "$IMAGE" >/dev/null
}
in_container() { "${PODMAN[@]}" exec "$1" "${@:2}"; }
account_state_seen() { grep -q '^ct/alice {.*"state":"\(playing\|paused\|idle\)"' "$WORK/mqtt.log"; }

# ---- first container: seeds alice's token from a variable --------------------------------------
run_bridge "$RUN_ID-a" -e 'SPOTIFY2MQTT__ACCOUNTS=[{"name":"alice"}]' \
    -e SPOTIFY2MQTT__ACCOUNTS__ALICE__REFRESH_TOKEN=demo-refresh-token -e TZ=Europe/Berlin
wait_for 60 account_state_seen
check $? "alice's state arrives on ct/alice (base topic from SPOTIFY2MQTT__MQTT__BASE_TOPIC)"
# The log read whole first: `podman logs | grep -q` dies of SIGPIPE under pipefail when grep
# stops reading at its match.
bridge_log=$("${PODMAN[@]}" logs "$RUN_ID-a" 2>&1)
zone=0
grep -q 'local time: UTC+0[12]:00 (CES\?T)' <<<"$bridge_log" || zone=$?
check "$zone" "TZ=Europe/Berlin is the bridge's local time (the image has tzdata)"
wait_for 30 "${PODMAN[@]}" healthcheck run "$RUN_ID-a"
check $? "the image's HEALTHCHECK passes while the bridge is connected"
status=$(in_container "$RUN_ID-a" cat /proc/1/status)
uid=$(awk '/^Uid:/ {print $2}' <<<"$status")
[[ "$uid" == 10001 ]]; check $? "the bridge (PID 1) runs as uid 10001, not root (uid $uid)"
rss=$(awk '/^VmRSS:/ {print $2, $3}' <<<"$status")
mode_data=$(in_container "$RUN_ID-a" stat -c %a /data)
[[ "$mode_data" == 700 ]]; check $? "/data is 0700 ($mode_data)"
modes=$(in_container "$RUN_ID-a" find /data -type f -name '*.json' -printf '%m %p\n')
[[ -n "$modes" ]] && ! grep -qv '^600 ' <<<"$modes"
check $? "every token file is 0600: $(tr '\n' ' ' <<<"$modes")"

kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
wait_for 60 bash -c "! ${PODMAN[*]} healthcheck run $RUN_ID-a"
check $? "the HEALTHCHECK fails while the broker is gone"
start_broker
wait_for 60 "${PODMAN[@]}" healthcheck run "$RUN_ID-a"
check $? "the HEALTHCHECK passes again once the broker is back"

ts=$SECONDS
"${PODMAN[@]}" stop -t 30 "$RUN_ID-a" >/dev/null
stop_s=$((SECONDS - ts))
code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$RUN_ID-a")
[[ "$code" == 0 && $stop_s -lt 30 ]]; check $? "podman stop: exit code $code after $stop_s s (SIGTERM, not the kill)"
wait_for 10 grep -q '^ct/bridge/state {"state":"offline"}' "$WORK/mqtt.log"
check $? "{\"state\":\"offline\"} published on ct/bridge/state at the stop"
"${PODMAN[@]}" rm "$RUN_ID-a" >/dev/null

# ---- second container, same volume, no token given: alice is still linked ----------------------
: >"$WORK/mqtt.log.before"
cp "$WORK/mqtt.log" "$WORK/mqtt.log.before"
lines_before=$(wc -l <"$WORK/mqtt.log")
run_bridge "$RUN_ID-b"
# grep without -q reads to the end: tail is not cut off by SIGPIPE (a failure under pipefail).
new_state() { tail -n +"$((lines_before + 1))" "$WORK/mqtt.log" | grep '^ct/alice {.*"state":"\(playing\|paused\|idle\)"' >/dev/null; }
wait_for 60 new_state
check $? "a new container on the same volume polls alice with the stored token"
accounts=$(in_container "$RUN_ID-b" spotify2mqtt accounts 2>&1 || true)
grep -q alice <<<"$accounts"; check $? "spotify2mqtt accounts in the container lists alice"
"${PODMAN[@]}" stop -t 30 "$RUN_ID-b" >/dev/null

# ---- the add-on's image (S2M_CONTAINER_ADDON=1: its build installs the compilers again and
# compiles, about two more minutes, too many for every CI run) ---------------------------------
if [[ "${S2M_CONTAINER_ADDON:-0}" == 1 ]]; then
    ADDON_IMAGE=localhost/spotify2mqtt-addon-ci:latest
    # build.yaml's base image name, for the Debian we imported.
    podman tag debian:bookworm-slim docker.io/library/debian:bookworm-slim
    # The Supervisor builds from the add-on's folder alone; the sources come as a release tarball,
    # served here on loopback instead of GitHub.
    mkdir "$WORK/release" "$WORK/addon-data"
    git -C "$REPO" archive --format=tar.gz --prefix=spotify2mqtt-src/ HEAD >"$WORK/release/src.tar.gz"
    SRC_PORT=$(free_port)
    python3 -m http.server --bind 127.0.0.1 --directory "$WORK/release" "$SRC_PORT" >/dev/null 2>&1 &
    pids+=("$!")
    SUPERVISOR_PORT=$(free_port)
    python3 -c '
import http.server, json, sys
port, mqtt = int(sys.argv[1]), int(sys.argv[2])
class Supervisor(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/services/mqtt" and self.headers["Authorization"] == "Bearer ct-token"
        self.send_response(200 if ok else 401)
        self.end_headers()
        if ok: self.wfile.write(json.dumps({"result": "ok", "data": {"host": "127.0.0.1", "port": mqtt}}).encode())
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Supervisor).serve_forever()' "$SUPERVISOR_PORT" "$MQTT_PORT" &
    pids+=("$!")
    wait_for 10 curl -fsS -o /dev/null "http://127.0.0.1:$SRC_PORT/src.tar.gz"
    ta=$SECONDS
    old_addon=$(podman image inspect --format '{{.Id}}' "$ADDON_IMAGE" 2>/dev/null || true)
    old_addon_stage=$(podman image inspect --format '{{.Id}}' "$ADDON_IMAGE-build" 2>/dev/null || true)
    # Then its build stage, by name, as for the project's image above.
    built=0
    for naming in "-t $ADDON_IMAGE" "--target=build -t $ADDON_IMAGE-build"; do
        # shellcheck disable=SC2086 # several words on purpose
        podman build --isolation chroot --format docker "${LIMITS[@]}" --network host \
            --build-arg S2M_SOURCE="http://127.0.0.1:$SRC_PORT/src.tar.gz" ${naming} \
            "$WORK/src/spotify2mqtt" >>"$WORK/addon-build.log" 2>&1 || built=1
    done
    check $built "the add-on's image builds from its folder alone in $((SECONDS - ta)) s"
    remove_previous "$old_addon" "$ADDON_IMAGE"
    remove_previous "$old_addon_stage" "$ADDON_IMAGE-build"
    echo '{"log_level": "info", "discovery": true}' >"$WORK/addon-data/options.json"
    ADDON_WEB_PORT=$(free_port)
    "${PODMAN[@]}" run -d --name "$RUN_ID-addon" --network=host "${LIMITS[@]}" \
        --health-interval=disable -v "$WORK/addon-data:/data" -e SUPERVISOR_TOKEN=ct-token \
        -e S2M_SUPERVISOR_URL="http://127.0.0.1:$SUPERVISOR_PORT" \
        -e S2M_INGRESS_PORT="$ADDON_WEB_PORT" -e SPOTIFY2MQTT__WEB__LISTEN="0.0.0.0:$ADDON_WEB_PORT" \
        "$ADDON_IMAGE" >/dev/null
    addon_online() { mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -t spotify2mqtt/bridge/state -C 1 -W 2 | grep -q online; }
    wait_for 60 addon_online
    check $? "the add-on's bridge reaches the broker the (fake) Supervisor names"
    wait_for 30 "${PODMAN[@]}" healthcheck run "$RUN_ID-addon"
    check $? "the add-on's HEALTHCHECK passes"
    uid=$(in_container "$RUN_ID-addon" cat /proc/1/status | awk '/^Uid:/ {print $2}')
    [[ "$uid" == 10001 ]]; check $? "run.sh hands over to the bridge as uid 10001 (uid $uid)"
    mode_state=$(stat -c %a "$WORK/addon-data/state")
    [[ "$mode_state" == 700 ]]; check $? "the add-on's state is in /data/state, 0700 ($mode_state)"
    "${PODMAN[@]}" stop -t 30 "$RUN_ID-addon" >/dev/null
    code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$RUN_ID-addon")
    [[ "$code" == 0 ]]; check $? "stopping the add-on: exit code $code"
    echo "measured: add-on image $(($(podman image inspect --format '{{.Size}}' "$ADDON_IMAGE") / 1000000)) MB"
fi

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "measured: image $IMAGE $((size / 1000000)) MB; bridge VmRSS in the container $rss;" \
    "stage $((SECONDS - t0)) s"
if [[ $failures -gt 0 ]]; then
    echo "container test: $failures check(s) FAILED; broker log and MQTT traffic:"
    tail -n 20 "$WORK/mosquitto.log" "$WORK/mqtt.log" || true
    exit 1
fi
echo "container test: all checks passed"
