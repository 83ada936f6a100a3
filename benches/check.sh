#!/usr/bin/env bash
# Benchmark kit for `evident check` (PRODUCT.md §7): wall time and peak memory of a full check
# of N generated documents, and schema validation alone compared side by side with ajv-cli (Node)
# and check-jsonschema (Python) against the same exported schemas.
#
#   benches/check.sh [N]          N documents, default 10000
#
# Environment: RUNS (timed runs per evident/ajv figure, median reported; default 3),
# CJS_RUNS (runs of check-jsonschema, default 1: it takes about a minute for 10,000 documents),
# EVIDENT_BENCH_DIR (work folder, default /tmp/evident-bench),
# CARGO_TARGET_DIR (default /tmp/bench-target, so as not to block other builds).
# Idempotent: the build is incremental, tools are installed once, and the corpus, its JSON copy
# and the tools in the work folder are reused while the generator is unchanged.
set -euo pipefail

N=${1:-10000}
[[ $N =~ ^[0-9]+$ ]] || { echo "usage: benches/check.sh [N]" >&2; exit 2; }
RUNS=${RUNS:-3}
CJS_RUNS=${CJS_RUNS:-1}
AS_OF=2026-11-21
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${EVIDENT_BENCH_DIR:-/tmp/evident-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
BIN=$CARGO_TARGET_DIR/release/evident
CORPUS=$WORK/corpus-$N
JSON=$WORK/corpus-$N-json
SCHEMAS=$WORK/schemas
NODE=$WORK/node
VENV=$WORK/venv
AJV=$NODE/node_modules/.bin/ajv
CJS=$VENV/bin/check-jsonschema
TIME=/usr/bin/time
LOG=$WORK/logs
mkdir -p "$WORK" "$LOG"
export LC_ALL=C  # '.' as decimal separator in EPOCHREALTIME, awk and printf

# Kind folder of the generated corpus -> exported schema file (<kind>.schema.json).
FOLDERS=(sms processes catalog agreements suppliers roles calendars plans records)
declare -A SCHEMA=([sms]=policy [processes]=process [catalog]=service
  [agreements]=service-level-agreement [suppliers]=supplier [roles]=role
  [calendars]=calendar [plans]=plan [records]=record)

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; }  # print a command exactly as it is run
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
now_us() { echo "${EPOCHREALTIME/./}"; }
secs() { awk -v us="$1" 'BEGIN { printf "%.3f", us / 1e6 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }

# ---------------------------------------------------------------------------------------------
step "Build (release)"
BUILD_CMD="cd $REPO && CARGO_TARGET_DIR=$CARGO_TARGET_DIR cargo build --release"
show "$BUILD_CMD"
(cd "$REPO" && cargo build --release 2>&1 | tail -n 3)
[[ -x $BIN ]] || die "no binary at $BIN"
say "binary: $BIN ($("$BIN" --version))"

step "Tools"
if [[ ! -x $TIME ]]; then
  show "apt-get install -y time"
  if [[ $(id -u) == 0 ]]; then
    (apt-get install -y -q time >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; })
  else
    die "/usr/bin/time is missing: install the Debian package 'time'"
  fi
fi
if [[ ! -x $AJV || ! -d $NODE/node_modules/ajv-formats || ! -d $NODE/node_modules/js-yaml ]]; then
  show "npm install --prefix $NODE ajv-cli ajv-formats js-yaml"
  npm install --prefix "$NODE" --no-audit --no-fund ajv-cli ajv-formats js-yaml >"$LOG/npm.log" 2>&1 ||
    { cat "$LOG/npm.log" >&2; die "npm install failed"; }
fi
if [[ ! -x $CJS ]]; then
  show "python3 -m venv $VENV && $VENV/bin/pip install check-jsonschema"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q check-jsonschema >"$LOG/pip.log" 2>&1 ||
    { cat "$LOG/pip.log" >&2; die "pip install failed"; }
fi
pkgver() { node -p "require('$NODE/node_modules/$1/package.json').version"; }
say "ajv-cli $(pkgver ajv-cli) (ajv $(pkgver ajv), ajv-formats $(pkgver ajv-formats)), node $(node --version)"
say "$("$CJS" --version), $("$VENV/bin/python" --version)"
say "$TIME -v (GNU time) for peak memory; hyperfine not used"

# ---------------------------------------------------------------------------------------------
step "Corpus"
STAMP="n=$N gen=$(sha256sum "$HERE/gen_corpus.py" | cut -c1-16)"
GEN_CMD="python3 $HERE/gen_corpus.py $N $CORPUS --git --force --stats"
if [[ -f $CORPUS.stamp && $(cat "$CORPUS.stamp") == "$STAMP" && -f $CORPUS/evident.yaml ]]; then
  say "reusing $CORPUS (made by: $GEN_CMD)"
else
  rm -f "$CORPUS.stamp" "$JSON.stamp"
  show "$GEN_CMD"
  python3 "$HERE/gen_corpus.py" "$N" "$CORPUS" --git --force --stats
  echo "$STAMP" >"$CORPUS.stamp"
fi
DOCS=$(find "$CORPUS/policies" -name '*.yaml' | wc -l)
say "$DOCS documents, $(du -sh --apparent-size "$CORPUS/policies" | cut -f1) in $CORPUS/policies"

show "$BIN schema -q --out $SCHEMAS"
rm -rf "$SCHEMAS"
"$BIN" schema -q --out "$SCHEMAS" >/dev/null
for f in "${FOLDERS[@]}"; do [[ -f $SCHEMAS/${SCHEMA[$f]}.schema.json ]] || die "missing $SCHEMAS/${SCHEMA[$f]}.schema.json"; done

if [[ -f $JSON.stamp && $(cat "$JSON.stamp") == "$STAMP" ]]; then
  say "reusing the JSON copy in $JSON (ajv-cli cannot read the YAML: js-yaml 1.1 makes dates Date objects)"
else
  rm -rf "$JSON"
  CONV_CMD="node $HERE/yaml_to_json.js $NODE/node_modules/js-yaml $CORPUS/policies $JSON"
  say "ajv-cli reads .yaml data with js-yaml's YAML 1.1 schema, which makes every date a Date object"
  say "(so all documents fail 'type: string'): the YAML is converted to JSON once, untimed:"
  show "$CONV_CMD"
  node "$HERE/yaml_to_json.js" "$NODE/node_modules/js-yaml" "$CORPUS/policies" "$JSON"
  echo "$STAMP" >"$JSON.stamp"
fi

# ---------------------------------------------------------------------------------------------
# time_cmd LOGNAME CMD...: run CMD under /usr/bin/time -v; sets WALL_US, RSS_KB, RC.
time_cmd() {
  local name=$1; shift
  local t0 t1
  t0=$(now_us)
  set +e
  "$TIME" -v -o "$LOG/$name.time" "$@" >"$LOG/$name.out" 2>"$LOG/$name.err"
  RC=$?
  set -e
  t1=$(now_us)
  WALL_US=$((t1 - t0))
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$LOG/$name.time")
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_START%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  say ""
  say "warning: load average is $LOAD_START before timing; other work on this $(nproc)-core machine will slow every figure"
fi

step "1. evident check, full library ($RUNS runs after one warm-up run)"
FULL_CMD="$BIN check --as-of $AS_OF -q $CORPUS"
show "$TIME -v $FULL_CMD"
time_cmd full-warmup "$BIN" check --as-of "$AS_OF" -q "$CORPUS"
walls=() rss=()
for i in $(seq "$RUNS"); do
  time_cmd "full-$i" "$BIN" check --as-of "$AS_OF" -q "$CORPUS"
  ((RC <= 1)) || { cat "$LOG/full-$i.err" >&2; die "evident check exited with $RC"; }
  walls+=("$WALL_US") rss+=("$RSS_KB")
  say "  run $i: wall $(secs "$WALL_US") s, max RSS $((RSS_KB / 1024)) MiB, exit $RC: $(tail -n 1 "$LOG/full-$i.out")"
done
FULL_US=$(median "${walls[@]}")
FULL_RSS_KB=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)
FULL_MB=$(awk -v k="$FULL_RSS_KB" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
FULL_SUMMARY=$(tail -n 1 "$LOG/full-1.out")

step "2. evident check --schemas-only ($RUNS runs)"
SO_CMD="$BIN check --schemas-only --as-of 2026-11-21 -q $CORPUS"
show "$TIME -v $SO_CMD"
SO_US=""
if "$BIN" check --help | grep -q -- '--schemas-only'; then
  walls=()
  for i in $(seq "$RUNS"); do
    time_cmd "schemas-only-$i" "$BIN" check --schemas-only -q "$CORPUS"
    ((RC <= 1)) || { cat "$LOG/schemas-only-$i.err" >&2; die "evident check --schemas-only exited with $RC"; }
    walls+=("$WALL_US")
    say "  run $i: wall $(secs "$WALL_US") s, max RSS $((RSS_KB / 1024)) MiB, exit $RC: $(tail -n 1 "$LOG/schemas-only-$i.out")"
  done
  SO_US=$(median "${walls[@]}")
  SO_SUMMARY=$(tail -n 1 "$LOG/schemas-only-1.out")
else
  say "  this build has no --schemas-only flag yet: figure skipped"
fi

step "3. ajv-cli, one process per kind ($RUNS runs, on the JSON copy)"
ajv_cmd() { echo "$AJV validate --spec=draft2020 -c ajv-formats --strict=false -s $SCHEMAS/${SCHEMA[$1]}.schema.json -d '$JSON/$1/*.json'"; }
for f in "${FOLDERS[@]}"; do show "$(ajv_cmd "$f")"; done
walls=()
for i in $(seq "$RUNS"); do
  : >"$LOG/ajv-$i.out"
  t0=$(now_us)
  for f in "${FOLDERS[@]}"; do
    set +e
    "$AJV" validate --spec=draft2020 -c ajv-formats --strict=false \
      -s "$SCHEMAS/${SCHEMA[$f]}.schema.json" -d "$JSON/$f/*.json" >>"$LOG/ajv-$i.out" 2>&1
    rc=$?
    set -e
    ((rc == 0)) || say "  ajv reported invalid documents for $f (exit $rc), see $LOG/ajv-$i.out"
  done
  t1=$(now_us)
  walls+=($((t1 - t0)))
  AJV_VALID=$(grep -c ' valid$' "$LOG/ajv-$i.out" || true)
  AJV_INVALID=$(grep -c ' invalid$' "$LOG/ajv-$i.out" || true)
  say "  run $i: wall $(secs $((t1 - t0))) s, $AJV_VALID valid, $AJV_INVALID invalid"
done
AJV_US=$(median "${walls[@]}")

step "4. check-jsonschema, one invocation per kind ($CJS_RUNS run(s), on the YAML files)"
for f in "${FOLDERS[@]}"; do
  show "$CJS --schemafile $SCHEMAS/${SCHEMA[$f]}.schema.json \$(find $CORPUS/policies/$f -name '*.yaml')"
done
walls=()
for i in $(seq "$CJS_RUNS"); do
  : >"$LOG/cjs-$i.out"
  CJS_FAILED=0
  t0=$(now_us)
  for f in "${FOLDERS[@]}"; do
    mapfile -t files < <(find "$CORPUS/policies/$f" -name '*.yaml' | sort)
    set +e
    "$CJS" --schemafile "$SCHEMAS/${SCHEMA[$f]}.schema.json" "${files[@]}" >>"$LOG/cjs-$i.out" 2>&1
    rc=$?
    set -e
    ((rc == 0)) || { CJS_FAILED=1; say "  check-jsonschema reported errors for $f (exit $rc), see $LOG/cjs-$i.out"; }
  done
  t1=$(now_us)
  walls+=($((t1 - t0)))
  say "  run $i: wall $(secs $((t1 - t0))) s, $(grep -c 'validation done' "$LOG/cjs-$i.out" || true)/9 kinds ok"
done
CJS_US=$(median "${walls[@]}")

# ---------------------------------------------------------------------------------------------
step "Results: $DOCS documents, as of $AS_OF, $(nproc) cores, $(uname -m), load average $LOAD_START before timing, $(cut -d' ' -f1-3 /proc/loadavg) after"
FULL_S=$(secs "$FULL_US")
AJV_S=$(secs "$AJV_US")
CJS_S=$(secs "$CJS_US")
if [[ -n $SO_US ]]; then
  SO_S=$(secs "$SO_US")
  R_AJV=$(ratio "$AJV_US" "$SO_US")
  R_CJS=$(ratio "$CJS_US" "$SO_US")
  V_AJV=$(verdict "$R_AJV >= 3")
  V_CJS=$(verdict "$R_CJS >= 50")
else
  SO_S="n/a" R_AJV="n/a" R_CJS="n/a" V_AJV="n/a" V_CJS="n/a"
fi
row() { printf '| %-3s | %-46s | %12s | %-10s | %-4s |\n' "$@"; }
row "#" "figure" "value" "target" "ok"
row "---" "----------------------------------------------" "------------" "----------" "----"
row 1a "evident check, full library: wall (median)" "$FULL_S s" "<= 1 s" "$(verdict "$FULL_S <= 1")"
row 1b "evident check, full library: peak RSS (max)" "$FULL_MB MB" "<= 300 MB" "$(verdict "$FULL_MB <= 300")"
row 2 "evident check --schemas-only: wall (median)" "$SO_S s" "" ""
row 3 "ajv-cli, 9 processes: wall (median)" "$AJV_S s" "" ""
row 4 "check-jsonschema, 9 processes: wall" "$CJS_S s" "" ""
row 5 "ratio ajv / evident schemas-only" "${R_AJV}x" ">= 3x" "$V_AJV"
row 6 "ratio check-jsonschema / evident schemas-only" "${R_CJS}x" ">= 50x" "$V_CJS"
say ""
say "Commands (logs in $LOG):"
say "  1  $TIME -v $FULL_CMD     # -> $FULL_SUMMARY"
say "  2  $TIME -v $SO_CMD     # -> ${SO_SUMMARY:-flag not available}"
say "  3  for each kind folder k (${FOLDERS[*]}), sequentially:"
say "       $AJV validate --spec=draft2020 -c ajv-formats --strict=false -s $SCHEMAS/<kind of k>.schema.json -d '$JSON/k/*.json'"
say "  4  for each kind folder k, sequentially:"
say "       $CJS --schemafile $SCHEMAS/<kind of k>.schema.json \$(find $CORPUS/policies/k -name '*.yaml')"
say "  MB = 10^6 bytes (max RSS from /usr/bin/time -v); walls from bash EPOCHREALTIME around each command."
say "  ajv and check-jsonschema times include their process start-up (9 of each), as evident's do (1)."
