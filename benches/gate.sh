#!/usr/bin/env bash
# Benchmark: `evident gate --base HEAD~50` on N documents with C commits of history.
#   benches/gate.sh [N] [C]        (defaults: 10000 documents, 5000 commits)
# Prints the wall time (median of 3) with the command that produced it. Target: <= 2 s.
set -euo pipefail
N=${1:-10000}
C=${2:-5000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${EVIDENT_BENCH_DIR:-/tmp/evident-bench}
repo="$work/gate-$N-$C"
target=${CARGO_TARGET_DIR:-$root/target}
CARGO_TARGET_DIR=$target cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$target/release/evident"
mkdir -p "$work"
if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  python3 "$root/benches/gen_corpus.py" "$N" "$repo" >/dev/null
  python3 "$root/benches/gen_history.py" "$repo" "$C"
fi
echo "repository: $repo ($(git -C "$repo" rev-list --count HEAD) commits, $(find "$repo/policies" -name '*.yaml' | wc -l) documents)"
cmd=("$bin" gate --base HEAD~50 --as-of 2026-11-21 -q "$repo")
walls=()
for i in 1 2 3; do
  start=$EPOCHREALTIME
  "${cmd[@]}" >/dev/null || true
  end=$EPOCHREALTIME
  walls+=("$(awk -v a="$end" -v b="$start" 'BEGIN { printf "%.3f", a - b }')")
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)
echo "\$ ${cmd[*]}"
"${cmd[@]}" | tail -1 || true
printf 'evident gate --base HEAD~50: wall %.3f s (median of 3: %s) — target <= 2 s\n' "$median" "${walls[*]}"
