#!/usr/bin/env bash
# Every benchmark of the kit in one go (PRODUCT.md §7): benches/check.sh (check at 1k, 10k and,
# with BENCH_FULL=1, 100k documents; the findings corpus with every format; schema validation
# against ajv and check-jsonschema), then benches/gate.sh (10,000 documents, 5,000 commits), and
# with BENCH_PACK=1 benches/pack.sh, then benches/sla.sh (ticket exports: the ServiceNow log
# beside Python and DuckDB, and SLA_EVENTS events, default 10 million; skipped with a message
# when ../shared/data is absent; SLA_EVENTS=0 skips its large part). Each prints its figures with the exact commands and the load
# average; this script repeats their result tables at the end, and stops at the first failure
# (a finding in a conforming corpus, an unexpected finding, a tool error).
#
#   benches/run.sh                 # RUNS=3 by default; BENCH_FULL=1 adds 100,000 documents
set -euo pipefail
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT=$LOG/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
say "logs: $OUT"
load
bash "$HERE/check.sh" 2>&1 | tee "$OUT/check.txt"
bash "$HERE/gate.sh" 2>&1 | tee "$OUT/gate.txt"
if [[ ${BENCH_PACK:-0} == 1 ]]; then
  bash "$HERE/pack.sh" 2>&1 | tee "$OUT/pack.txt"
fi
if [[ -f ${SHARED_DATA:-$REPO/../shared/data}/servicenow-uci/incident_event_log.csv ]]; then
  bash "$HERE/sla.sh" 2>&1 | tee "$OUT/sla.txt"
else
  say "benches/sla.sh skipped: no ../shared/data/servicenow-uci/incident_event_log.csv (see ../shared/data/README.md)"
fi
step "Summary (the full output with every command is in $OUT)"
for f in "$OUT"/*.txt; do
  if grep -q '^== Results' "$f"; then sed -n '/^== Results/,$p' "$f"; else tail -n 14 "$f"; fi
  say ""
done
load
