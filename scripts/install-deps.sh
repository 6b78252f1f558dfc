#!/usr/bin/env bash
# Installs, from Debian 12's apt repositories, everything spotify2mqtt needs.
# Safe to run again: when every package is already installed it returns at once without touching
# apt (no `apt-get update`), so build/run/test scripts can call it unconditionally.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/install-deps.sh [--run | --compile | --runtime] [--list] [--help]

Installs with apt what spotify2mqtt needs on Debian 12 (run as root, or with sudo available).

  (default)   everything to build, run and test (scripts/test.sh): compilers, CMake, the -dev
              libraries, Catch2, mosquitto (broker + clients for tests and the local demo), clang
              for fuzzing, clang-format, systemd (systemd-analyze checks the unit), chromium for
              the browser (e2e) test, podman + runc + debootstrap for the container test, and
              Node.js + npm from Debian when no `node` is on the PATH
              (tests/e2e runs `npm ci` with it).
  --run       what building and running the daemon needs (scripts/run.sh): the --compile set
              plus mosquitto and its clients (the local broker and mosquitto_sub/_pub).
  --compile   only what compiling the daemon needs (compiler, CMake, the -dev libraries): the
              build stage of the container image, built with -DSPOTIFY2MQTT_TESTS=OFF.
  --runtime   only the shared libraries the spotify2mqtt binary needs at run time
              (for the runtime stage of a container image).
  --list      print the chosen set's package names, one per line, and install nothing
              (tests/packaging checks the image's runtime set against the binary with it).
  --help      show this text.

Packages that are already installed are not touched; if nothing is missing, apt is not run.
EOF
}

# What compiling the daemon itself needs (no tests). ccache: the image's build stage keeps its
# cache between builds (Dockerfile); CMAKE_CXX_COMPILER_LAUNCHER=ccache uses it anywhere.
COMPILE_PACKAGES=(
    build-essential g++ cmake pkg-config
    libpaho-mqttpp-dev libpaho-mqtt-dev nlohmann-json3-dev libspdlog-dev
    libcurl4-openssl-dev libcpp-httplib-dev libmicrohttpd-dev libssl-dev
    ca-certificates ccache
)

# What scripts/run.sh needs: build the daemon (and the fake Spotify for --demo, which needs
# nothing more) and start a local broker; the README's examples use mosquitto_sub/_pub.
RUN_PACKAGES=(
    "${COMPILE_PACKAGES[@]}"
    mosquitto mosquitto-clients
)

# Everything needed to build, run and test (scripts/test.sh). libclang-rt-14-dev is only a "Recommends" of clang,
# but libFuzzer and clang's sanitizer runtimes live there, and we install without recommends.
# openssl makes the test CA for MQTT over TLS; python3-yaml reads docker-compose.example.yml.
# podman, runc and debootstrap build and run the container image (tests/packaging/container_test.sh);
# jq is what the add-on's run script reads JSON with (tests/packaging/addon_run_test.py).
BUILD_PACKAGES=(
    "${RUN_PACKAGES[@]}"
    catch2
    openssl
    curl git
    clang libclang-rt-14-dev clang-format
    systemd
    python3-yaml
    chromium
    podman runc debootstrap
    jq
)

# The shared libraries the release binary links against (Debian 12 package names).
RUNTIME_PACKAGES=(
    libpaho-mqttpp3-1 libpaho-mqtt1.3 libspdlog1.10 libcurl4 libcpp-httplib0.11 libmicrohttpd12
    libfmt9 libssl3
    ca-certificates
    tzdata
)

mode=build
list=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --run) mode=run ;;
        --compile) mode=compile ;;
        --runtime) mode=runtime ;;
        --list) list=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "install-deps: unknown argument '$1'" >&2
            usage >&2
            exit 2
            ;;
    esac
    shift
done

if [[ "$mode" == runtime ]]; then
    packages=("${RUNTIME_PACKAGES[@]}")
elif [[ "$mode" == compile ]]; then
    packages=("${COMPILE_PACKAGES[@]}")
elif [[ "$mode" == run ]]; then
    packages=("${RUN_PACKAGES[@]}")
else
    packages=("${BUILD_PACKAGES[@]}")
    # The e2e test's runner. A node already on the PATH (e.g. a newer one from elsewhere, whose
    # package may conflict with Debian's npm) is kept; otherwise Debian's (node 18, npm 9).
    if ! command -v node >/dev/null 2>&1; then
        packages+=(nodejs npm)
    elif ! command -v npm >/dev/null 2>&1; then
        packages+=(npm)
    fi
fi

if [[ $list -eq 1 ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

log() { echo "install-deps: $*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this script needs a Debian-based system (dpkg + apt-get); Debian 12 is supported." >&2
    exit 1
fi

is_installed() {
    # "install ok installed" is the only state in which the package's files are all present;
    # half-configured or removed-but-config-kept packages must be (re)installed.
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
    if ! is_installed "$pkg"; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    log "all ${#packages[@]} ${mode} packages are already installed; nothing to do."
    exit 0
fi

# Root runs apt directly; anyone else goes through sudo (non-interactive, so CI fails instead of
# hanging on a password prompt).
SUDO=()
if [[ $EUID -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo -n)
    else
        echo "install-deps: not root and sudo is not installed; re-run as root." >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (e.g. unattended-upgrades) instead of failing on its lock.
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef
    -o Dpkg::Options::=--force-confold)

log "missing ${#missing[@]} package(s): ${missing[*]}"
log "running apt-get update ..."
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q
log "installing ..."
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q \
    --no-install-recommends "${missing[@]}"

# Verify instead of trusting apt's exit status alone, so a partial install is reported clearly.
still_missing=()
for pkg in "${missing[@]}"; do
    if ! is_installed "$pkg"; then
        still_missing+=("$pkg")
    fi
done
if [[ ${#still_missing[@]} -ne 0 ]]; then
    echo "install-deps: these packages are still not installed: ${still_missing[*]}" >&2
    exit 1
fi
log "done: all ${#packages[@]} ${mode} packages are installed."
