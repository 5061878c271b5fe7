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
passed=0
failed=0
failed_stages=()

stage() { # stage NAME COMMAND...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_stages+=("$name"); fi
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

CC=clang cmake --preset asan -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build/asan -j "$jobs"
stage "unit+integration (asan, clang)" \
  ctest --test-dir build/asan -L 'unit|integration|reference' --output-on-failure -j "$jobs"

cmake --preset fuzz -DGANNET_FUZZ_SECONDS="$fuzz_secs" >/dev/null
cmake --build build/fuzz -j "$jobs"
stage "fuzz (${fuzz_secs}s each)" ctest --test-dir build/fuzz -L fuzz --output-on-failure

CC=gcc cmake --preset release -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build/release -j "$jobs"
stage "release (gcc): unit + bench smoke" \
  ctest --test-dir build/release -L 'unit|bench' --output-on-failure -j "$jobs"

echo "stages: $passed passed, $failed failed"
((failed == 0)) || { echo "failed stages: ${failed_stages[*]}"; exit 1; }
