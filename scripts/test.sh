#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the full test suite (also what CI runs):
#   1. install dependencies,
#   2. build build/ and run the unit and packaging tests, then the browser end-to-end test
#      (after `npm ci` in tests/e2e), then build the container image from HEAD with podman and
#      run it (tests/packaging/container_test.sh),
#   3. build the unit tests and the bridge with ASan+UBSan in build-asan/: the unit tests run
#      there, and the integration tests drive that sanitized bridge,
#   4. build the bridge with TSan in build-tsan/ and run the integration tests of its threaded
#      parts (commands, faults, linking, observability, resilience) against it,
#   5. fuzz every libFuzzer target for 30 s (scripts/fuzz.sh, clang, build-fuzz/),
#   and check that every tracked C++ file is clang-formatted (and no test name has a ';').
# A sanitizer report from the bridge fails its stage even when no test noticed it.
# Every stage runs even if an earlier one failed, so one run reports everything; the exit status
# is non-zero if any stage failed.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/test.sh [--no-deps] [--no-sanitize] [--no-fuzz] [--help]

Installs dependencies, builds, and runs the whole test suite:
  - build/      : unit and packaging tests (ctest -j2), then the e2e test in headless chromium
                  (after `npm ci` in tests/e2e when needed), then the container image built
                  from HEAD and run with podman (tests/packaging/container_test.sh)
  - build-asan/ : the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, and every
                  integration test (one at a time) against the bridge built that way
  - build-tsan/ : the integration tests of the threaded parts against a ThreadSanitizer bridge
  - build-fuzz/ : every libFuzzer target (fuzz/) for 30 s, two at a time, built with clang +
                  ASan + UBSan (scripts/fuzz.sh; it says SKIPPED and passes when clang cannot
                  fuzz here)

  --no-deps      skip scripts/install-deps.sh (when everything is installed and you are not root)
  --no-sanitize  no sanitizer builds: the integration tests then drive build/'s bridge, and
                 TSan and fuzzing are skipped (quicker local runs; CI always runs them)
  --no-fuzz      skip only the fuzz stage (saves about 1.5 minutes; CI always runs it)
  --help         show this text

JUnit reports go to test-artifacts/, sanitizer reports to test-artifacts/sanitizers/.
Exit status is 0 only when every stage passed.
Environment: JOBS=N (default nproc), CTEST_TIMEOUT=seconds (default 300),
S2M_BUILD_DIR / S2M_ASAN_BUILD_DIR / S2M_TSAN_BUILD_DIR / S2M_FUZZ_BUILD_DIR (default build/,
build-asan/, build-tsan/, build-fuzz/).
EOF
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

install_deps=1
sanitize=1
fuzz=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-deps) install_deps=0 ;;
        --no-sanitize) sanitize=0 ;;
        --no-fuzz) fuzz=0 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "test: unknown argument '$1'" >&2
            usage >&2
            exit 2
            ;;
    esac
    shift
done

# Two cores on the reference machine; more when available locally.
JOBS="${JOBS:-$(nproc)}"
export JOBS
# Default per-test limit for tests without their own TIMEOUT property (integration tests set 120 s).
CTEST_TIMEOUT="${CTEST_TIMEOUT:-300}"
ARTIFACTS="$REPO_ROOT/test-artifacts"
BUILD_DIR="${S2M_BUILD_DIR:-$REPO_ROOT/build}"
ASAN_BUILD_DIR="${S2M_ASAN_BUILD_DIR:-$REPO_ROOT/build-asan}"
TSAN_BUILD_DIR="${S2M_TSAN_BUILD_DIR:-$REPO_ROOT/build-tsan}"
SANITIZER_REPORTS="$ARTIFACTS/sanitizers"
mkdir -p "$ARTIFACTS"

start_time=$SECONDS
results=()
failed=0

stage() { # name command...
    local name="$1" t0=$SECONDS rc=0
    shift
    echo
    echo "=== test: $name ==="
    "$@" || rc=$?
    if [[ $rc -eq 0 ]]; then
        results+=("PASS  $name ($((SECONDS - t0)) s)")
    else
        results+=("FAIL  $name (exit $rc, $((SECONDS - t0)) s)")
        failed=1
    fi
    return "$rc"
}

skip() { # name reason
    results+=("SKIP  $1 ($2)")
}

# tests/e2e/node_modules from package-lock.json, only when missing or the lock file changed
# (a stamp with the lock file's hash records what was installed).
# shellcheck disable=SC2317 # called through stage "$@"
e2e_npm_ci() {
    local dir="$REPO_ROOT/tests/e2e"
    local stamp="$dir/node_modules/.s2m-package-lock.sha256" sum
    if ! command -v npm >/dev/null 2>&1; then
        echo "test: npm is not installed; the e2e test will report itself skipped"
        return 0
    fi
    sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
        return 0
    fi
    echo "test: npm ci in tests/e2e (node_modules missing or package-lock.json changed)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && echo "$sum" >"$stamp"
}

# shellcheck disable=SC2317 # called through stage "$@"
run_e2e() {
    e2e_npm_ci || return 1
    run_ctest "$BUILD_DIR" ctest-e2e -L e2e
}

# shellcheck disable=SC2317 # called through stage "$@"
check_format() {
    # `|| return 1`: the function's status is its last command's, so a failure here must end it.
    git -C "$REPO_ROOT" ls-files -- '*.cpp' '*.h' |
        (cd "$REPO_ROOT" && xargs clang-format --dry-run --Werror) || return 1
    # CTest gets Catch2 test names through CMake lists, which split on ';': such a test would be
    # registered under broken names (and then fail with -w NoTests).
    if git -C "$REPO_ROOT" grep -n 'TEST_CASE("[^"]*;' -- 'tests/*.cpp'; then
        echo "test: a TEST_CASE name above contains ';' (CMake splits on it); use ',' or '-'" >&2
        return 1
    fi
}

# shellcheck disable=SC2317 # called through stage "$@"
run_ctest() { # build-dir junit-name ctest-args...
    local dir="$1" junit="$2"
    shift 2
    ctest --test-dir "$dir" --output-on-failure --no-tests=error --timeout "$CTEST_TIMEOUT" \
        --output-junit "$ARTIFACTS/$junit.xml" "$@"
}

if [[ $install_deps -eq 1 ]]; then
    # chromium and node are installed below: the e2e test must then run, not skip.
    export S2M_E2E_REQUIRED="${S2M_E2E_REQUIRED:-1}" S2M_CONTAINER_REQUIRED="${S2M_CONTAINER_REQUIRED:-1}"
    if ! stage "install dependencies" bash scripts/install-deps.sh; then
        echo "test: cannot continue without the dependencies" >&2
        printf '%s\n' "${results[@]}"
        echo "test: SUMMARY: FAILED (dependencies could not be installed)"
        exit 1
    fi
fi

if command -v clang-format >/dev/null 2>&1; then
    stage "clang-format check" check_format || true
else
    skip "clang-format check" "clang-format not installed"
fi

# The threaded parts the TSan bridge is run through (Catch tags of tests/integration): the
# worker pool and loop (commands), hanging and failing answers (faults), the web thread
# (linking, observability) and broker kills and reconnects (resilience, with [broker_kill]: the
# bridge's own reconnect thread, src/adapters/mqtt/ReconnectSupervisor.h). The rate-limit gate is
# loop-only logic and takes half a minute under TSan, so its tests run under ASan only.
TSAN_TAGS='[commands],[faults]~[rate_limit],[linking],[observability],[resilience]'

# shellcheck disable=SC2317 # called through stage "$@"
integration_with() { # bridge-binary junit-name [catch-filter]: integration tests against it
    local binary="$1" junit="$2" filter="${3:-}"
    local args=(-L integration)
    if [[ -n "$filter" ]]; then
        # ctest cannot select by Catch tag: run the Catch binary itself, one JUnit file.
        # No ctest --timeout here: timeout(1) stops a hung run (ctest allows 120 s per test).
        S2M_BRIDGE_BINARY="$binary" timeout 1200 "$BUILD_DIR/bin/integration_tests" "$filter" \
            --reporter junit --out "$ARTIFACTS/$junit.xml" --durations yes >/dev/null ||
            { grep -E '<(failure|error)' -A12 "$ARTIFACTS/$junit.xml" | head -150; return 1; }
        return 0
    fi
    S2M_BRIDGE_BINARY="$binary" run_ctest "$BUILD_DIR" "$junit" "${args[@]}"
}

# shellcheck disable=SC2317 # called through stage "$@"
no_sanitizer_reports() { # kind: fails listing the reports the bridge wrote, if any
    local files
    files=$(find "$SANITIZER_REPORTS" -name "$1*.*" -type f 2>/dev/null | sort)
    [[ -z "$files" ]] && return 0
    echo "test: the $1 bridge wrote $(wc -l <<<"$files") sanitizer report(s):" >&2
    while read -r file; do
        echo "--- $file" >&2
        head -n 60 "$file" >&2
    done <<<"$files"
    return 1
}

# ccache for every build here (install-deps.sh installs it): warm runs recompile only what
# changed. CCACHE_BASEDIR and CCACHE_NOHASHDIR make its entries independent of the checkout's
# path, which lets the container image's compile (in /src) reuse what build/ compiled: the build
# of build/ also writes each result to CCACHE_SEED, which tests/packaging/container_test.sh hands
# to the image's build (a bare CI machine would otherwise compile the daemon twice).
if command -v ccache >/dev/null 2>&1 && [[ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]]; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$REPO_ROOT" CCACHE_NOHASHDIR=1
fi
CONTAINER_CACHE="${S2M_CONTAINER_CACHE:-/var/cache/spotify2mqtt-ci}"
CCACHE_SEED=()
if [[ -n "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]] && command -v podman >/dev/null 2>&1 &&
    mkdir -p "$CONTAINER_CACHE/ccache-seed" 2>/dev/null; then
    # The image's build sets no locale: ccache must not hash this machine's (LANG…) either.
    CCACHE_SEED=(env "CCACHE_REMOTE_STORAGE=file://$CONTAINER_CACHE/ccache-seed"
        CCACHE_SLOPPINESS=locale)
fi
# The container image's base (tests/packaging/container_base.sh: debootstrap, about a minute of
# waiting for the mirror and the disk) is made in the background while the compiler runs; the
# container stage waits for it there.
if command -v podman >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then
    bash tests/packaging/container_base.sh >"$ARTIFACTS/container-base.log" 2>&1 &
fi

built=0
# The tests are built only when asked for (scripts/run.sh configures build/ without them when
# Catch2 is not installed).
TESTS_ON=(-- -DSPOTIFY2MQTT_TESTS=ON)
if stage "build (build/)" "${CCACHE_SEED[@]}" bash scripts/build.sh "${TESTS_ON[@]}"; then
    built=1
    # Unit and packaging tests are independent and quick: in parallel.
    stage "unit and packaging tests" run_ctest "$BUILD_DIR" ctest-unit -LE 'integration|e2e' \
        -j "$JOBS" || true
else
    skip "unit and packaging tests" "build failed"
fi

asan_bridge=""
if [[ $sanitize -eq 1 ]]; then
    if stage "build with ASan+UBSan (build-asan/)" bash scripts/build.sh --sanitize \
        --target unit_tests --target spotify2mqtt "${TESTS_ON[@]}"; then
        asan_bridge="$ASAN_BUILD_DIR/bin/spotify2mqtt"
        # halt_on_error: a UBSan report must fail the test, not scroll by. log_path: reports of
        # the bridge processes the integration tests start land in files the stage checks.
        # The suppressions name one race inside Debian's Paho C library (see the file).
        export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1:suppressions=$REPO_ROOT/tests/sanitizers/asan.supp}"
        export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
        stage "unit tests under ASan+UBSan" run_ctest "$ASAN_BUILD_DIR" ctest-unit-asan -L unit \
            -j "$JOBS" || true
    else
        skip "unit tests under ASan+UBSan" "build failed"
    fi
else
    skip "unit tests under ASan+UBSan" "--no-sanitize"
fi

if [[ $built -eq 1 ]]; then
    # Integration tests start brokers and timing-sensitive daemons: one at a time keeps them
    # deterministic on a loaded 2-core machine.
    if [[ -n "$asan_bridge" ]]; then
        rm -rf "$SANITIZER_REPORTS" && mkdir -p "$SANITIZER_REPORTS"
        # (Assignments before a function call hold, exported, for that call only.)
        ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$SANITIZER_REPORTS/asan" \
            UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$SANITIZER_REPORTS/asan-ubsan" \
            stage "integration tests (bridge under ASan+UBSan)" \
            integration_with "$asan_bridge" ctest-integration-asan || true
        stage "no ASan/UBSan reports from the bridge" no_sanitizer_reports asan || true
    else
        stage "integration tests" integration_with "$BUILD_DIR/bin/spotify2mqtt" \
            ctest-integration || true
    fi
    # A real browser through the account page (tests/e2e); alone, after the others.
    stage "e2e tests (browser)" run_e2e || true
    # The image built from a clean checkout of HEAD and run with podman (tests/packaging).
    if command -v podman >/dev/null 2>&1; then
        stage "container image (podman)" bash tests/packaging/container_test.sh "$REPO_ROOT" \
            "$BUILD_DIR/bin" || true
    else
        skip "container image (podman)" "podman not installed"
    fi
else
    skip "integration tests" "build failed"
    skip "e2e tests (browser)" "build failed"
fi

if [[ $sanitize -eq 1 && $built -eq 1 ]]; then
    if stage "build the bridge with TSan (build-tsan/)" bash scripts/build.sh --tsan \
        --target spotify2mqtt "${TESTS_ON[@]}"; then
        TSAN_OPTIONS="suppressions=$REPO_ROOT/tests/sanitizers/tsan.supp:log_path=$SANITIZER_REPORTS/tsan" \
            stage "threaded integration tests (bridge under TSan)" \
            integration_with "$TSAN_BUILD_DIR/bin/spotify2mqtt" catch-integration-tsan \
            "$TSAN_TAGS" || true
        stage "no TSan reports from the bridge" no_sanitizer_reports tsan || true
    else
        skip "threaded integration tests (bridge under TSan)" "build failed"
    fi
elif [[ $sanitize -eq 0 ]]; then
    skip "threaded integration tests (bridge under TSan)" "--no-sanitize"
fi

# libFuzzer + ASan + UBSan on the pure parsers (separate clang build in build-fuzz/).
FUZZ_SECONDS=30
fuzz_stage="fuzz ($FUZZ_SECONDS s per target)"
if [[ $sanitize -eq 0 ]]; then
    skip "$fuzz_stage" "--no-sanitize"
elif [[ $fuzz -eq 0 ]]; then
    skip "$fuzz_stage" "--no-fuzz"
else
    stage "$fuzz_stage" bash scripts/fuzz.sh --seconds "$FUZZ_SECONDS" || true
fi

echo
echo "=== test: results ==="
printf '  %s\n' "${results[@]}"
elapsed=$((SECONDS - start_time))
if [[ $failed -eq 0 ]]; then
    echo "test: SUMMARY: ALL PASSED in $((elapsed / 60)) min $((elapsed % 60)) s"
    exit 0
fi
echo "test: SUMMARY: FAILED (see the FAIL lines above) after $((elapsed / 60)) min $((elapsed % 60)) s"
exit 1
