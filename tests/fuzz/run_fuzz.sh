#!/bin/sh
# run_fuzz.sh BINARY CORPUS_DIR ARGS...: runs a libFuzzer target over a
# scratch copy of the committed corpus, so fuzzing never rewrites the repo.
set -e
bin=$1; corpus=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
[ -d "$corpus" ] && cp -r "$corpus/." "$work/corpus/" 2>/dev/null || true
cd "$work"
exec "$bin" "$@" "$work/corpus"
