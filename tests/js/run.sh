#!/bin/sh
# Runs the JS integration tests (node --test) against $GANNET_SERVER_BIN.
# Usage: run.sh <test file>...   (from CTest, or by hand inside tests/js)
# Exit 77 (CTest "skipped") when GANNET_SERVER_BIN is unset; exit 1 with a clear message when
# node_modules is missing (run `npm ci` in tests/js first, as CI does).
cd "$(dirname "$0")" || exit 1
if [ -z "$GANNET_SERVER_BIN" ]; then
    echo "SKIP: GANNET_SERVER_BIN is not set (path of the server under test)" >&2
    exit 77
fi
if [ ! -d node_modules/@nats-io/transport-node ]; then
    echo "FAIL: tests/js/node_modules is missing: run 'npm ci' in $(pwd) first" >&2
    exit 1
fi
exec node --test --test-reporter=spec "$@"
