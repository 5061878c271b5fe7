#!/usr/bin/env bash
# deps.sh: installs what building and testing Gannet needs on Debian 12,
# skipping what is already there. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
      libjansson-dev libmicrohttpd-dev libxxhash-dev libcmocka-dev libcrypt-dev
      libnats-dev nats-server nodejs npm
      prometheus) # promtool and a Prometheus server for the /metrics tests (tests/monitor)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian: accept any working node and npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages for the JavaScript client tests (exact versions from the lock).
if [[ "${GANNET_SKIP_NPM:-0}" != 1 && -f tests/js/package-lock.json ]]; then
  stamp=tests/js/node_modules/.lock-stamp
  if [[ ! -f $stamp ]] || ! cmp -s tests/js/package-lock.json "$stamp"; then
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/js/package-lock.json "$stamp"
  fi
fi
