#!/usr/bin/env bash
# Configures and builds spotify2mqtt (daemon, fake Spotify server, tests, benches).
# Dependencies are not installed here; scripts/install-deps.sh does that (run.sh/test.sh call both).
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/build.sh [--sanitize | --tsan] [--no-unity] [--target T]... [--help] [-- EXTRA_CMAKE_CONFIGURE_ARGS...]

Configures and builds the project with CMake (RelWithDebInfo).

  (default)    build into build/       -> build/bin/{spotify2mqtt,fake_spotify,unit_tests,integration_tests}
  --sanitize   build into build-asan/ with AddressSanitizer + UBSan (-DSPOTIFY2MQTT_SANITIZE=ON)
  --tsan       build into build-tsan/ with ThreadSanitizer (-DSPOTIFY2MQTT_TSAN=ON)
  --no-unity   compile every source file on its own (quicker rebuilds after editing one file;
               the default unity build merges up to 8 files per compiler run, which halves a
               clean build because the big headers are parsed once per batch)
  --target T   build only target T (repeatable), e.g. --target unit_tests
  --help       show this text

Environment: JOBS=N overrides the parallelism (default: nproc);
S2M_BUILD_DIR / S2M_ASAN_BUILD_DIR / S2M_TSAN_BUILD_DIR override the build directories.
Arguments after `--` are passed to the CMake configure step.
EOF
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build_dir="${S2M_BUILD_DIR:-$REPO_ROOT/build}"
# -g1 (line tables only): backtraces and sanitizer reports keep file:line, and the build is about
# a third faster than with full debug info (CI builds twice on two cores). Use a Debug build for
# gdb sessions.
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
target_args=()
unity=ON
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sanitize)
            build_dir="${S2M_ASAN_BUILD_DIR:-$REPO_ROOT/build-asan}"
            # -O0: the instrumented build compiles fastest and its reports are the most exact;
            # the unit tests are quick enough unoptimised (asserts stay on).
            cmake_args+=(-DSPOTIFY2MQTT_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1")
            ;;
        --tsan)
            build_dir="${S2M_TSAN_BUILD_DIR:-$REPO_ROOT/build-tsan}"
            # -O1: TSan's own advice (-O0 makes instrumented code several times slower still).
            cmake_args+=(-DSPOTIFY2MQTT_TSAN=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1")
            ;;
        --no-unity) unity=OFF ;;
        --target)
            [[ $# -ge 2 ]] || { echo "build: --target needs a name" >&2; exit 2; }
            target_args+=(--target "$2")
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        --)
            shift
            cmake_args+=("$@")
            break
            ;;
        *)
            echo "build: unknown argument '$1'" >&2
            usage >&2
            exit 2
            ;;
    esac
    shift
done

jobs="${JOBS:-$(nproc)}"
cmake_args+=("-DCMAKE_UNITY_BUILD=$unity" -DCMAKE_UNITY_BUILD_BATCH_SIZE=8)

for tool in cmake c++; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build: '$tool' not found; run scripts/install-deps.sh first." >&2
        exit 1
    fi
done

echo "build: configuring $build_dir (${cmake_args[*]})"
cmake -S "$REPO_ROOT" -B "$build_dir" "${cmake_args[@]}"
echo "build: compiling with -j$jobs ${target_args[*]}"
cmake --build "$build_dir" -j "$jobs" "${target_args[@]}"
echo "build: done; binaries are in $build_dir/bin/"
