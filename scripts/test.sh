#!/usr/bin/env bash
# test.sh: installs what is missing, builds, and runs every test:
#  1. clang + AddressSanitizer/UBSan build: unit and integration tests
#     (real clients: libnats and the npm @nats-io packages; raw-wire
#     differential tests against the nats-server Debian package);
#  2. clang libFuzzer build: each fuzz target for GANNET_FUZZ_SECONDS;
#  3. gcc release build (warnings as errors with a second compiler) and the
#     benchmark smoke test.
# Prints a summary line "N passed, M failed" at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

jobs=$(nproc)
fuzz_secs=${GANNET_FUZZ_SECONDS:-20}
tests_passed=0
tests_failed=0
failed_stages=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

stage() { # stage NAME CTEST-COMMAND...: runs it, adds its test counts to the totals
  local name=$1; shift
  echo "=== $name"
  local rc=0
  "$@" 2>&1 | tee "$log" || rc=$?
  # ctest's summary: "100% tests passed, 0 tests failed out of 42"
  local line total nfail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [[ -n $line ]]; then
    nfail=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    tests_passed=$((tests_passed + total - nfail))
    tests_failed=$((tests_failed + nfail))
  fi
  if ((rc != 0)) || [[ -z $line ]]; then
    failed_stages+=("$name")
    [[ -n $line ]] || tests_failed=$((tests_failed + 1))
  fi
}

# Store unit tests fsync a lot; on tmpfs they take a second instead of ~30 s
# (the integration and crash tests still use the real disk).
[[ -d /dev/shm && -w /dev/shm ]] && export GANNET_TEST_TMPDIR=${GANNET_TEST_TMPDIR:-/dev/shm}
# Kill -9 durability test: iterations per run (each kills the server under load).
export GANNET_CRASH_ITERATIONS=${GANNET_CRASH_ITERATIONS:-6}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

CC=clang cmake --preset asan -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build/asan -j "$jobs"
stage "unit+integration (asan, clang)" \
  ctest --test-dir build/asan -L 'unit|integration|reference' -E '^ref_js_crash$' --output-on-failure -j "$jobs"

cmake --preset fuzz -DGANNET_FUZZ_SECONDS="$fuzz_secs" >/dev/null
cmake --build build/fuzz -j "$jobs"
stage "fuzz (${fuzz_secs}s each)" ctest --test-dir build/fuzz -L fuzz --output-on-failure

CC=gcc cmake --preset release -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/release -j "$jobs"
stage "release (gcc): unit + bench smoke" \
  ctest --test-dir build/release -L 'unit|bench' --output-on-failure -j "$jobs"

((${#failed_stages[@]} == 0)) || echo "failed stages: ${failed_stages[*]}"
echo "all: $tests_passed passed, $tests_failed failed"
((${#failed_stages[@]} == 0))
