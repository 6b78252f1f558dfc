#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ with clang (libFuzzer + ASan + UBSan) and runs each
# for a fixed time on a copy of its seed corpus. Exits non-zero when a target crashes, leaks,
# trips a sanitizer or breaks one of its invariants; the input that did it is kept in
# build-fuzz/artifacts/<target>/. Skips (exit 0) when clang++ cannot build fuzzers here.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/fuzz.sh [--seconds N] [--help] [TARGET...]

Configures build-fuzz/ with clang++ (-DSPOTIFY2MQTT_FUZZ=ON -DSPOTIFY2MQTT_TESTS=OFF), builds the
fuzz targets (fuzz/<name>_fuzz.cpp) with -fsanitize=fuzzer,address,undefined, and runs each for
N seconds on a copy of fuzz/corpus/<name>/ (the committed corpus is never modified).

  TARGET       a target name such as command_parser (default: every fuzz/*_fuzz.cpp)
  --seconds N  how long each target runs (default 60)
  --help       show this text

Prints the executions per target; exits 1 when any target found a crash (the input is saved in
build-fuzz/artifacts/<name>/ and can be replayed with build-fuzz/bin/<name>_fuzz <file>).
Skips with exit 0 when clang++ is missing or cannot link -fsanitize=fuzzer (Debian: install
clang and libclang-rt-14-dev, as scripts/install-deps.sh does).
Targets run FUZZ_PARALLEL at a time (default: JOBS), one core each.
Environment: JOBS=N (default nproc), FUZZ_PARALLEL=N, S2M_FUZZ_BUILD_DIR (default build-fuzz/).
EOF
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

seconds=60
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || {
                echo "fuzz: --seconds needs a whole number of seconds > 0" >&2
                exit 2
            }
            seconds="$2"
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*)
            echo "fuzz: unknown argument '$1'" >&2
            usage >&2
            exit 2
            ;;
        *) targets+=("${1%_fuzz}") ;;
    esac
    shift
done

if [[ ${#targets[@]} -eq 0 ]]; then
    for source in fuzz/*_fuzz.cpp; do
        name="$(basename "$source" .cpp)"
        targets+=("${name%_fuzz}")
    done
fi
for name in "${targets[@]}"; do
    if [[ ! -f "fuzz/${name}_fuzz.cpp" ]]; then
        echo "fuzz: no target '$name' (no fuzz/${name}_fuzz.cpp)" >&2
        exit 2
    fi
done

log() { echo "fuzz: $*"; }

CXX_BIN="$(command -v clang++ || true)"
if [[ -z "$CXX_BIN" ]]; then
    log "SKIPPED: clang++ is not installed (Debian: apt-get install clang libclang-rt-14-dev)"
    exit 0
fi
probe_dir="$(mktemp -d)"
trap 'rm -rf "$probe_dir"' EXIT
printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
    'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }' \
    >"$probe_dir/probe.cpp"
if ! "$CXX_BIN" -fsanitize=fuzzer,address,undefined "$probe_dir/probe.cpp" \
    -o "$probe_dir/probe" >"$probe_dir/probe.log" 2>&1; then
    log "SKIPPED: $CXX_BIN cannot link -fsanitize=fuzzer,address,undefined" \
        "(Debian: apt-get install libclang-rt-14-dev):"
    sed 's/^/    /' "$probe_dir/probe.log" | head -5
    exit 0
fi

BUILD_DIR="${S2M_FUZZ_BUILD_DIR:-$REPO_ROOT/build-fuzz}"
JOBS="${JOBS:-$(nproc)}"
PARALLEL="${FUZZ_PARALLEL:-$JOBS}"

log "configuring $BUILD_DIR with $CXX_BIN"
mkdir -p "$BUILD_DIR"
CXX="$CXX_BIN" cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
    -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
    -DCMAKE_CXX_COMPILER="$CXX_BIN" -DSPOTIFY2MQTT_FUZZ=ON -DSPOTIFY2MQTT_TESTS=OFF \
    -DSPOTIFY2MQTT_SANITIZE=OFF >"$BUILD_DIR/configure.log" 2>&1 || {
    cat "$BUILD_DIR/configure.log" >&2
    echo "fuzz: cmake configure failed" >&2
    exit 1
}
build_targets=()
for name in "${targets[@]}"; do build_targets+=(--target "${name}_fuzz"); done
log "building ${targets[*]} (-j$JOBS)"
cmake --build "$BUILD_DIR" -j "$JOBS" "${build_targets[@]}"

# One target: fuzz it, then write its summary line to $BUILD_DIR/<name>.result ("ok ..." or
# "FAIL ..."). Runs in the background, so it reports through that file, not variables.
run_target() { # name
    local name="$1" rc=0
    local binary="$BUILD_DIR/bin/${name}_fuzz"
    local corpus="$BUILD_DIR/corpus/$name"
    local artifacts="$BUILD_DIR/artifacts/$name"
    local run_log="$BUILD_DIR/${name}_fuzz.log"
    # A working copy: libFuzzer adds the inputs it finds interesting to its corpus directory.
    # Artifacts of an earlier run are cleared so the ones listed below are this run's.
    rm -rf "$corpus" "$artifacts"
    mkdir -p "$corpus" "$artifacts"
    if [[ -d "fuzz/corpus/$name" ]]; then
        cp -R "fuzz/corpus/$name/." "$corpus/"
    fi
    local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096
        -print_final_stats=1 -artifact_prefix="$artifacts/")
    if [[ -f "fuzz/$name.dict" ]]; then
        options+=(-dict="fuzz/$name.dict")
    fi
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
        "$binary" "${options[@]}" "$corpus" >"$run_log" 2>&1 || rc=$?
    local runs speed line
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$run_log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run_log" | tail -1)"
    line="$name: ${runs:-?} executions in $seconds s (${speed:-?}/s), corpus $(find "$corpus" -type f | wc -l) files"
    if [[ $rc -ne 0 ]]; then
        {
            echo "fuzz: $name FAILED (exit $rc); the end of its log:"
            tail -n 60 "$run_log"
            if [[ -n "$(find "$artifacts" -type f -print -quit)" ]]; then
                echo "fuzz: the input(s) that did it (replay: $binary <file>):"
                find "$artifacts" -type f | head -5 | sed 's/^/    /'
            fi
        } >&2
        echo "FAIL  $line" >"$BUILD_DIR/$name.result"
    else
        echo "ok    $line" >"$BUILD_DIR/$name.result"
    fi
}

# Each libFuzzer process uses one core: run up to $PARALLEL targets at once, so every target
# still gets its full time on a core of its own and the stage takes about
# seconds x ceil(targets / PARALLEL).
pids=()
for name in "${targets[@]}"; do
    rm -f "$BUILD_DIR/$name.result"
    while [[ $(jobs -rp | wc -l) -ge $PARALLEL ]]; do wait -n || true; done
    log "running $name for $seconds s (log: $BUILD_DIR/${name}_fuzz.log)"
    run_target "$name" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

failed=()
summary=()
for name in "${targets[@]}"; do
    result="$(cat "$BUILD_DIR/$name.result" 2>/dev/null || echo "FAIL  $name: no result (the run did not finish)")"
    summary+=("$result")
    [[ "$result" == ok* ]] || failed+=("$name")
done

echo
log "results:"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -ne 0 ]]; then
    log "FAILED: ${failed[*]}"
    exit 1
fi
log "all ${#targets[@]} target(s) ran ${seconds} s without a finding"
