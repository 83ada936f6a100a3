#!/usr/bin/env bash
# Benchmark: `evident gate` on a generated repository of N documents with C commits of history,
# with a change of a few documents (PRODUCT.md §7: <= 1 s, and <= 1.3x a plain `check` of the
# head). `gate --base HEAD~K` and `check` of the same working tree alternate after a warm-up run
# of each; the load average is printed, and every figure with its command.
#
#   benches/gate.sh [N] [C]        defaults: 10000 documents, 5000 commits
#
# Environment: RUNS (alternating rounds, default 3), GATE_CHANGED (K: commits, each editing one
# document, between the base and the head; default 5), EVIDENT_BENCH_DIR, EVIDENT_BENCH_TARGET.
# Fails (non-zero) when the head has any finding or the gate reports anything new.
set -euo pipefail
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-10000}
C=${2:-5000}
K=${GATE_CHANGED:-5}
[[ $N =~ ^[0-9]+$ && $C =~ ^[0-9]+$ && $K =~ ^[0-9]+$ ]] || die "usage: benches/gate.sh [N] [C]"
((K < C)) || die "GATE_CHANGED ($K) must be below the number of commits ($C)"
build
load

step "Repository: $N documents requested, $C commits (benches/gen_corpus.py, benches/gen_history.py)"
REPO_DIR=$WORK/gate-$N
corpus "$REPO_DIR" --documents "$N" --seed 1
HIST_STAMP="$C $(cat "$REPO_DIR.stamp" "$HERE/gen_history.py" | sha256sum | cut -c1-16)"
if [[ -d $REPO_DIR/.git && -f $REPO_DIR.history && $(cat "$REPO_DIR.history") == "$HIST_STAMP" ]]; then
  say "reusing the history of $REPO_DIR (made by: python3 $HERE/gen_history.py $REPO_DIR $C)"
else
  rm -rf "$REPO_DIR/.git"
  say "\$ python3 $HERE/gen_history.py $REPO_DIR $C"
  python3 "$HERE/gen_history.py" "$REPO_DIR" "$C"
  echo "$HIST_STAMP" >"$REPO_DIR.history"
fi
COMMITS=$(git -C "$REPO_DIR" rev-list --count HEAD)
CHANGED=$(git -C "$REPO_DIR" diff --name-only "HEAD~$K" HEAD -- policies | wc -l)
say "$COMMITS commits, $DOCS documents; HEAD~$K..HEAD changes $CHANGED documents"
[[ -z $(git -C "$REPO_DIR" status --porcelain) ]] || die "$REPO_DIR has uncommitted changes"

step "gate against check of the head"
load
compare gate "$BIN gate --base HEAD~$K --as-of $AS_OF -q $REPO_DIR" \
  check "$BIN check --as-of $AS_OF -q $REPO_DIR"
expect_rc gate 0
expect_rc check 0
grep -q 'no findings' "$LOG/check.$RUNS.out" || die "the head has findings: $(cat "$LOG/check.$RUNS.out")"
say "  gate: $(cat "$LOG/gate.$RUNS.out")"
say "  check: $(cat "$LOG/check.$RUNS.out")"

step "Results: gate ($DOCS documents, $COMMITS commits, $CHANGED changed; as of $AS_OF, $(nproc) cores)"
load
row() { printf '| %-44s | %10s | %-22s | %-4s |\n' "$@"; }
R=$(ratio "${WALL[gate]}" "${WALL[check]}")
row "figure" "value" "target (PRODUCT.md §7)" "ok"
row "--------------------------------------------" "----------" "----------------------" "----"
row "gate --base HEAD~$K: wall" "${WALL[gate]} s" "<= 1 s" "$(verdict "${WALL[gate]} <= 1")"
row "gate: peak memory" "$(mb "${RSS[gate]}") MB" "" ""
row "check of the head: wall" "${WALL[check]} s" "" ""
row "gate / check" "${R}x" "<= 1.3x" "$(verdict "$R <= 1.3")"
say ""
say "Commands (wall: median of $RUNS alternating runs after a warm-up; MB = 10^6 bytes):"
for name in gate check; do printf '  %-6s $ %s -f %s %s\n' "$name" "$TIME" "'%e %M'" "${CMD[$name]}"; done
