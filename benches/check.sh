#!/usr/bin/env bash
# Benchmark kit for `evident check` (PRODUCT.md §7), on corpora generated from policies/:
#   1. check at 1,000 and 10,000 documents (and 100,000 with BENCH_FULL=1): wall, peak memory,
#      both per 1,000 documents, and what each larger corpus adds per 1,000 documents it adds;
#   2. the findings corpus (1 in 10 documents nonconforming) with every output format in one run,
#      against the conforming corpus of the same size;
#   3. schema validation alone (`--schemas-only`) against ajv in one Node process with the
#      schemas compiled once, and against check-jsonschema.
# Every comparison alternates its commands after a warm-up run of each; the load average is
# printed; every figure is printed with its command. Fails (non-zero) when a conforming corpus
# has any finding or the findings corpus has other findings than the generator announced.
#
#   benches/check.sh
#
# Environment: RUNS (alternating rounds, default 3), BENCH_FULL=1 (add 100,000 documents),
# BENCH_SIZES (default "1000 10000"; the second is the size of the §7 figures),
# EVIDENT_BENCH_DIR (work folder, default /tmp/evident-bench), EVIDENT_BENCH_TARGET (cargo
# target folder, default /tmp/evident-bench-target), BENCH_CJS=0 (skip check-jsonschema; it
# reads the JSON copy that js-yaml makes, so it needs npm too).
set -euo pipefail
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

read -ra SIZES <<<"${BENCH_SIZES:-1000 10000}"
[[ ${BENCH_FULL:-0} == 1 ]] && SIZES+=(100000)
MID=${SIZES[1]:-${SIZES[0]}} # the size of the §7 figures: 10,000
NODE=$WORK/node
VENV=$WORK/venv
SCHEMAS=$WORK/schemas

build
load

# ---------------------------------------------------------------------------------------------
step "Corpora (benches/gen_corpus.py: whole copies of policies/ with unique ids)"
declare -A N_DOCS
for n in "${SIZES[@]}"; do
  corpus "$WORK/corpus-$n" --documents "$n" --seed 1
  N_DOCS[$n]=$DOCS
done
FINDINGS=$WORK/findings-$MID
corpus "$FINDINGS" --documents "$MID" --nonconforming 0.1 --seed 1
say "\$ $BIN schema -q --out $SCHEMAS"
rm -rf "$SCHEMAS"
"$BIN" schema -q --out "$SCHEMAS" >/dev/null

# ---------------------------------------------------------------------------------------------
step "1. check of the conforming corpora (${SIZES[*]} documents requested; whole units written)"
load
args=()
for n in "${SIZES[@]}"; do args+=("check-${N_DOCS[$n]}" "$BIN check --as-of $AS_OF -q $WORK/corpus-$n"); done
compare "${args[@]}"
for n in "${SIZES[@]}"; do
  name=check-${N_DOCS[$n]}
  expect_rc "$name" 0
  grep -q 'no findings' "$LOG/$name.$RUNS.out" || die "the conforming corpus $WORK/corpus-$n has findings: $(cat "$LOG/$name.$RUNS.out")"
  say "  $name: $(cat "$LOG/$name.$RUNS.out")"
done

# ---------------------------------------------------------------------------------------------
step "2. findings corpus ($(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["nonconforming"])' "$FINDINGS.expected.json") of $DOCS documents nonconforming), every output format in one run, against the conforming corpus"
load
REPORTS=$WORK/reports
mkdir -p "$REPORTS"
C_MID=conforming-${N_DOCS[$MID]} # a name of its own: section 1's figures stay as measured there
compare findings "$BIN check --as-of $AS_OF -q --output json=$REPORTS/report.json --output sarif=$REPORTS/report.sarif --output junit=$REPORTS/report.xml --output html=$REPORTS/report.html --output markdown=$REPORTS/report.md $FINDINGS" \
  "$C_MID" "$BIN check --as-of $AS_OF -q $WORK/corpus-$MID"
expect_rc findings 1
expect_rc "$C_MID" 0
say "  findings: $(cat "$LOG/findings.$RUNS.out")"
python3 - "$FINDINGS.expected.json" "$REPORTS/report.json" <<'PY' || die "the findings corpus does not have the findings gen_corpus.py announced"
import collections, json, sys
expected = json.load(open(sys.argv[1]))["findings"]
actual = dict(sorted(collections.Counter(f["control"] for f in json.load(open(sys.argv[2]))["findings"]).items()))
print(f"  findings per control: {actual}")
if actual != expected:
    print(f"  expected:             {expected}")
    sys.exit(1)
print("  = the findings gen_corpus.py --expected announced")
PY
for f in report.json report.sarif report.xml report.html report.md; do
  [[ -s $REPORTS/$f ]] || die "no $REPORTS/$f"
done

# ---------------------------------------------------------------------------------------------
step "3. schema validation alone, $DOCS documents"
if [[ ! -d $NODE/node_modules/ajv || ! -d $NODE/node_modules/ajv-formats || ! -d $NODE/node_modules/js-yaml ]]; then
  say "\$ npm install --prefix $NODE ajv ajv-formats js-yaml"
  npm install --prefix "$NODE" --no-audit --no-fund ajv ajv-formats js-yaml >"$LOG/npm.log" 2>&1 ||
    say "npm install failed (see $LOG/npm.log): the ajv row is skipped"
fi
HAVE_AJV=0
# to_json N: the JSON copy of corpus-N (untimed), in $WORK/corpus-N-json.
to_json() {
  local json=$WORK/corpus-$1-json
  if [[ -f $json.stamp && $(cat "$json.stamp") == "$(cat "$WORK/corpus-$1.stamp")" ]]; then
    say "reusing the JSON copy $json"
  else
    rm -rf "$json"
    say "\$ node $HERE/yaml_to_json.js $NODE/node_modules/js-yaml $WORK/corpus-$1/policies $json"
    node "$HERE/yaml_to_json.js" "$NODE/node_modules/js-yaml" "$WORK/corpus-$1/policies" "$json"
    cp "$WORK/corpus-$1.stamp" "$json.stamp"
  fi
}
if [[ -d $NODE/node_modules/ajv && -d $NODE/node_modules/ajv-formats && -d $NODE/node_modules/js-yaml ]]; then
  HAVE_AJV=1
  JSON=$WORK/corpus-$MID-json
  say "the documents are converted to JSON once, untimed (js-yaml CORE_SCHEMA: YAML 1.2, as Evident reads it):"
  to_json "$MID"
  pkgver() { node -p "require('$NODE/node_modules/$1/package.json').version"; }
  say "ajv $(pkgver ajv), ajv-formats $(pkgver ajv-formats), node $(node --version)"
fi
load
args=(schemas-only "$BIN check --schemas-only --as-of $AS_OF -q $WORK/corpus-$MID")
((HAVE_AJV)) && args+=(ajv "node $HERE/ajv_validate.js $NODE/node_modules $SCHEMAS $JSON")
compare "${args[@]}"
expect_rc schemas-only 0
if ((HAVE_AJV)); then
  expect_rc ajv 0
  say "  ajv: $(cat "$LOG/ajv.$RUNS.out")"
fi

HAVE_CJS=0
SMALL=${SIZES[0]}
if [[ ${BENCH_CJS:-1} == 1 ]]; then
  if [[ ! -x $VENV/bin/check-jsonschema ]]; then
    say "\$ python3 -m venv $VENV && $VENV/bin/pip install check-jsonschema"
    { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q check-jsonschema; } >"$LOG/pip.log" 2>&1 ||
      say "pip install failed (see $LOG/pip.log): the check-jsonschema row is skipped"
  fi
  if [[ -x $VENV/bin/check-jsonschema ]] && ((HAVE_AJV)); then
    HAVE_CJS=1
    to_json "$SMALL"
    step "3b. schema validation alone, ${N_DOCS[$SMALL]} documents, against check-jsonschema ($($VENV/bin/check-jsonschema --version)): one process per kind, its only way"
    load
    compare schemas-only-small "$BIN check --schemas-only --as-of $AS_OF -q $WORK/corpus-$SMALL" \
      check-jsonschema "bash $HERE/check_jsonschema.sh $VENV/bin/check-jsonschema $SCHEMAS $WORK/corpus-$SMALL-json"
    expect_rc schemas-only-small 0
    expect_rc check-jsonschema 0
  fi
else
  say "BENCH_CJS=0: the check-jsonschema row is skipped"
fi

# ---------------------------------------------------------------------------------------------
step "Results: check (as of $AS_OF, $(nproc) cores, $(uname -m))"
load
row() { printf '| %-58s | %18s | %-22s | %-4s |\n' "$@"; }
row "figure" "value" "target (PRODUCT.md §7)" "ok"
row "$(printf -- '-%.0s' {1..58})" "------------------" "----------------------" "----"
per_s=() per_mb=()
for n in "${SIZES[@]}"; do
  d=${N_DOCS[$n]}
  name=check-$d
  w=${WALL[$name]}
  m=$(mb "${RSS[$name]}")
  ps=$(awk -v w="$w" -v d="$d" 'BEGIN { printf "%.4f", w / d * 1000 }')
  pm=$(awk -v m="$m" -v d="$d" 'BEGIN { printf "%.2f", m / d * 1000 }')
  per_s+=("$ps") per_mb+=("$pm")
  if [[ $n == "$MID" ]]; then
    row "check, $d documents: wall" "$w s" "<= 0.5 s" "$(verdict "$w <= 0.5")"
    row "check, $d documents: peak memory" "$m MB" "<= 150 MB" "$(verdict "$m <= 150")"
  fi
  row "check, $d documents: wall per 1,000 documents" "$ps s" "" ""
  row "check, $d documents: peak memory per 1,000 documents" "$pm MB" "<= 10 MB" "$(verdict "$pm <= 10")"
done
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f", (hi / lo - 1) * 100 }'; }
S_SPREAD=$(spread "${per_s[@]}")
M_SPREAD=$(spread "${per_mb[@]}")
row "time per document, largest / smallest - 1" "$S_SPREAD %" "<= 10 %" "$(verdict "$S_SPREAD <= 10")"
row "memory per document, largest / smallest - 1" "$M_SPREAD %" "<= 10 %" "$(verdict "$M_SPREAD <= 10")"
# The rows above divide a whole run by its documents, so they carry the part of a run that
# does not grow with the documents (the binary's pages, the compiled controls and schemas).
# These divide what a larger corpus adds by the documents it adds: the cost of a document.
marg_s=() marg_mb=()
for ((i = 1; i < ${#SIZES[@]}; i++)); do
  a=${N_DOCS[${SIZES[i - 1]}]} b=${N_DOCS[${SIZES[i]}]}
  ms=$(awk -v w1="${WALL[check-$a]}" -v w2="${WALL[check-$b]}" -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", (w2 - w1) / (b - a) * 1000 }')
  mm=$(awk -v m1="$(mb "${RSS[check-$a]}")" -v m2="$(mb "${RSS[check-$b]}")" -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (m2 - m1) / (b - a) * 1000 }')
  marg_s+=("$ms") marg_mb+=("$mm")
  row "$a -> $b documents: added wall per 1,000 added" "$ms s" "" ""
  row "$a -> $b documents: added peak memory per 1,000 added" "$mm MB" "<= 10 MB" "$(verdict "$mm <= 10")"
  if ((i == 1)); then
    fs=$(awk -v w="${WALL[check-$a]}" -v s="$ms" -v a="$a" 'BEGIN { printf "%.3f", w - s * a / 1000 }')
    fm=$(awk -v m="$(mb "${RSS[check-$a]}")" -v s="$mm" -v a="$a" 'BEGIN { printf "%.1f", m - s * a / 1000 }')
    row "the part that does not grow (extrapolated to 0 documents)" "$fs s, $fm MB" "" ""
  fi
done
if ((${#marg_s[@]} > 1)); then
  S_SPREAD=$(spread "${marg_s[@]}")
  M_SPREAD=$(spread "${marg_mb[@]}")
  row "added time per document, largest / smallest - 1" "$S_SPREAD %" "<= 10 %" "$(verdict "$S_SPREAD <= 10")"
  row "added memory per document, largest / smallest - 1" "$M_SPREAD %" "<= 10 %" "$(verdict "$M_SPREAD <= 10")"
fi
R=$(ratio "${WALL[findings]}" "${WALL[$C_MID]}")
row "findings corpus, all formats: wall" "${WALL[findings]} s" "" ""
row "findings corpus / conforming corpus" "${R}x" "<= 1.5x" "$(verdict "$R <= 1.5")"
row "check --schemas-only, $DOCS documents: wall" "${WALL[schemas-only]} s" "" ""
if ((HAVE_AJV)); then
  R=$(ratio "${WALL[ajv]}" "${WALL[schemas-only]}")
  row "ajv, one process, schemas compiled once: wall" "${WALL[ajv]} s" "" ""
  row "ajv / evident --schemas-only" "${R}x" ">= 3x" "$(verdict "$R >= 3")"
else
  row "ajv / evident --schemas-only" "skipped (no npm)" ">= 3x" "n/a"
fi
if ((HAVE_CJS)); then
  R=$(ratio "${WALL[check-jsonschema]}" "${WALL[schemas-only-small]}")
  row "check-jsonschema, ${N_DOCS[$SMALL]} documents: wall" "${WALL[check-jsonschema]} s" "" ""
  row "check-jsonschema / evident --schemas-only (same documents)" "${R}x" ">= 50x" "$(verdict "$R >= 50")"
fi
say ""
say "Commands (wall: median of $RUNS alternating runs after a warm-up; peak memory: the largest; MB = 10^6 bytes):"
for name in "${!CMD[@]}"; do printf '  %-19s $ %s -f %s %s\n' "$name" "$TIME" "'%e %M'" "${CMD[$name]}"; done | sort
say "Logs: $LOG"
