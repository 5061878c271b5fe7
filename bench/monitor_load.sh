#!/usr/bin/env bash
# bench/monitor_load.sh [--quick] [gn_bench options...]
#
# Publish throughput of gannet-server with and without a monitoring client that polls /varz,
# /connz and /metrics 20 times a second (issue 6: "the difference is within noise"). gn_bench
# runs the same workloads against two wrappers of the same gannet-server binary, both started
# with -m on a free port: "nats" = no poller, "gannet" = with the poller (one keep-alive HTTP
# connection, three GETs every 50 ms). The gn_bench report goes to stdout with those two
# labels; a summary of the throughput ratios (polled / unpolled) follows it.
# Environment: GANNET_SERVER (binary), GN_BENCH_BUILD (build directory, default
# build/bench-release). Needs python3 for the poller.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GN_BENCH_BUILD:-$root/build/bench-release}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGANNET_TESTS=OFF >/dev/null
ninja -C "$build" gn_bench >&2
gannet=${GANNET_SERVER:-}
if [[ -z $gannet ]]; then
    ninja -C "$build" gannet-server >&2
    gannet=$build/src/gannet-server
fi
command -v python3 >/dev/null || { echo "monitor_load.sh: python3 is needed for the poller" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/poll.py" <<'EOF'
import http.client, os, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
conn, polls, errors, nxt = None, 0, 0, time.monotonic()
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        break
    for path in ("/varz", "/connz", "/metrics"):
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
        except Exception:
            errors += 1
            conn = None
    polls += 1
    nxt += 0.05
    delay = nxt - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    else:
        nxt = time.monotonic()
with open(sys.argv[3], "a") as f:
    f.write(f"{polls} {errors}\n")
EOF

# make_wrapper <file> <poll 0|1>: gannet-server with -m <free port>, optionally polled.
make_wrapper() {
    cat >"$1" <<EOF
#!/usr/bin/env bash
mport=\$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$gannet" "\$@" -m "\$mport" &
pid=\$!
trap 'kill -TERM \$pid 2>/dev/null' TERM INT
if [[ $2 == 1 ]]; then python3 "$tmp/poll.py" "\$mport" "\$pid" "$tmp/polls" & fi
wait \$pid
code=\$?
wait \$pid 2>/dev/null || true
exit \$code
EOF
    chmod +x "$1"
}
make_wrapper "$tmp/unpolled" 0
make_wrapper "$tmp/polled" 1

quick=()
if [[ ${1:-} == --quick ]]; then
    quick=(--quick --msgs 200000 --seconds 1)
    shift
fi
echo "monitor_load.sh: $gannet, unpolled (\"nats\") vs polled 20x/s (\"gannet\")" >&2
"$build/bench/gn_bench" --nats "$tmp/unpolled" --gannet "$tmp/polled" \
    --workloads pub,pub-sub,pub-4sub --sizes 16,128 --startups 1 "${quick[@]}" \
    --csv "$tmp/out.csv" "$@"

echo
echo "## Throughput with a /varz+/connz+/metrics poller at 20/s, relative to none"
echo
python3 - "$tmp/out.csv" "$tmp/polls" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
vals = {}
for r in rows:
    if "msgs" in r["metric"] and "/s" in r["metric"] or r["metric"].endswith("msgs_per_s"):
        vals.setdefault((r["workload"], r["payload"], r["metric"]), {})[r["server"]] = float(r["value"])
print("| workload | payload | metric | unpolled | polled | polled/unpolled |")
print("| --- | --- | --- | ---: | ---: | ---: |")
for (w, p, m), v in sorted(vals.items()):
    if "nats" in v and "gannet" in v and v["nats"] > 0:
        print(f"| {w} | {p} | {m} | {v['nats']:.0f} | {v['gannet']:.0f} | {v['gannet'] / v['nats']:.3f} |")
try:
    polls = [l.split() for l in open(sys.argv[2])]
    print(f"\npoller: {sum(int(p[0]) for p in polls)} rounds of 3 GETs, "
          f"{sum(int(p[1]) for p in polls)} failed (connecting before the port was up)")
except OSError:
    pass
EOF
