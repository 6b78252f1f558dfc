#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to the full test suite (also what CI runs):
#   1. install dependencies,
#   2. build build/ and run every CTest test (unit in parallel, integration one at a time, then
#      the browser end-to-end test after `npm ci` in tests/e2e),
#   3. build the unit tests with ASan+UBSan in build-asan/ and run them,
#   4. fuzz every libFuzzer target for 60 s (scripts/fuzz.sh, clang, build-fuzz/),
#   and check that every tracked C++ file is clang-formatted (and no test name has a ';').
# Every stage runs even if an earlier one failed, so one run reports everything; the exit status
# is non-zero if any stage failed.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/test.sh [--no-deps] [--no-sanitize] [--no-fuzz] [--help]

Installs dependencies, builds, and runs the whole test suite:
  - build/      : all tests (ctest; unit tests with -j2, integration tests serially, then the
                  e2e test in headless chromium, after `npm ci` in tests/e2e when needed)
  - build-asan/ : the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer
  - build-fuzz/ : every libFuzzer target (fuzz/) for 60 s, built with clang + ASan + UBSan
                  (scripts/fuzz.sh; it says SKIPPED and passes when clang cannot fuzz here)

  --no-deps      skip scripts/install-deps.sh (when everything is installed and you are not root)
  --no-sanitize  skip the sanitizer stages, i.e. ASan+UBSan and fuzzing (quicker local runs; CI
                 always runs them)
  --no-fuzz      skip only the fuzz stage (saves about 2 minutes; CI always runs it)
  --help         show this text

JUnit reports go to test-artifacts/. Exit status is 0 only when every stage passed.
Environment: JOBS=N (default nproc), CTEST_TIMEOUT=seconds (default 300),
S2M_BUILD_DIR / S2M_ASAN_BUILD_DIR / S2M_FUZZ_BUILD_DIR (default build/, build-asan/, build-fuzz/).
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
    export S2M_E2E_REQUIRED="${S2M_E2E_REQUIRED:-1}"
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

if stage "build (build/)" bash scripts/build.sh; then
    # Unit (and any other non-integration, non-e2e) tests are independent and quick: in parallel.
    stage "unit tests" run_ctest "$BUILD_DIR" ctest-unit -LE 'integration|e2e' -j "$JOBS" || true
    # Integration tests start brokers and timing-sensitive daemons: one at a time keeps them
    # deterministic on a loaded 2-core machine.
    stage "integration tests" run_ctest "$BUILD_DIR" ctest-integration -L integration || true
    # A real browser through the account page (tests/e2e); alone, after the others.
    stage "e2e tests (browser)" run_e2e || true
else
    skip "unit tests" "build failed"
    skip "integration tests" "build failed"
    skip "e2e tests (browser)" "build failed"
fi

if [[ $sanitize -eq 1 ]]; then
    # Only the unit tests are built here: that is what runs under the sanitizers, and it halves
    # the build time of this stage.
    if stage "build with ASan+UBSan (build-asan/)" bash scripts/build.sh --sanitize \
        --target unit_tests; then
        # halt_on_error: a UBSan report must fail the test, not scroll by.
        export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}"
        export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
        stage "unit tests under ASan+UBSan" run_ctest "$ASAN_BUILD_DIR" ctest-unit-asan -L unit \
            -j "$JOBS" || true
    else
        skip "unit tests under ASan+UBSan" "build failed"
    fi
else
    skip "unit tests under ASan+UBSan" "--no-sanitize"
fi

# libFuzzer + ASan + UBSan on the pure parsers (separate clang build in build-fuzz/).
if [[ $sanitize -eq 0 ]]; then
    skip "fuzz (60 s per target)" "--no-sanitize"
elif [[ $fuzz -eq 0 ]]; then
    skip "fuzz (60 s per target)" "--no-fuzz"
else
    stage "fuzz (60 s per target)" bash scripts/fuzz.sh --seconds 60 || true
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
