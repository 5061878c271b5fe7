#!/usr/bin/env bash
# run.sh: installs what is missing, builds a release gannet-server and
# starts it with JetStream storing under ./data (or $GANNET_DATA).
# Extra arguments go to gannet-server (e.g. -p 4333 -m 8222).
set -euo pipefail
cd "$(dirname "$0")/.."
GANNET_SKIP_NPM=1 scripts/deps.sh
cmake --preset release >/dev/null
cmake --build build/release --target gannet-server
data=${GANNET_DATA:-./data}
mkdir -p "$data"
exec build/release/src/gannet-server -js -sd "$data" "$@"
