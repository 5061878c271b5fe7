#!/usr/bin/env bash
# bench/run.sh [--quick] [gn_bench options...]
#
# Builds gn_bench (and gannet-server, if the tree has that target) in Release mode, then runs the
# side-by-side comparison of nats-server and gannet-server. The markdown report goes to stdout,
# progress to stderr. --quick is a ~10 s smoke test; the full run takes about 3 minutes on 2 cores.
# --js runs the JetStream workloads (js-sync, js-async, js-restart) instead: about 5 minutes.
# Environment: NATS_SERVER, GANNET_SERVER (server binaries), GN_BENCH_BUILD (build directory).
# Extra options (--csv FILE, --reps N, --workloads LIST, ...) are passed to gn_bench unchanged.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GN_BENCH_BUILD:-$root/build/bench-release}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGANNET_TESTS=OFF >/dev/null
ninja -C "$build" gn_bench >&2

nats=${NATS_SERVER:-}
if [[ -z $nats ]]; then
    for cand in "$(command -v nats-server || true)" /usr/sbin/nats-server /usr/bin/nats-server; do
        if [[ -n $cand && -x $cand ]]; then
            nats=$cand
            break
        fi
    done
fi
if [[ -z $nats ]]; then
    echo "run.sh: nats-server not found (apt-get install nats-server, or set NATS_SERVER)" >&2
    exit 2
fi

gannet=${GANNET_SERVER:-}
if [[ -z $gannet ]] && ninja -C "$build" -t targets all 2>/dev/null | grep -q '^gannet-server:'; then
    if ! ninja -C "$build" gannet-server >&2; then
        echo "run.sh: building gannet-server failed; set GANNET_SERVER to a binary to compare" >&2
        exit 1
    fi
    gannet=$(find "$build" -name gannet-server -type f -perm -u+x -print -quit)
fi
if [[ -z $gannet ]]; then
    echo "run.sh: no gannet-server built yet; comparing nats-server with itself" >&2
    gannet=$nats
fi

echo "run.sh: nats=$nats gannet=$gannet" >&2
# exec: gn_bench receives Ctrl-C itself and kills every server it started.
exec "$build/bench/gn_bench" --nats "$nats" --gannet "$gannet" "$@"
