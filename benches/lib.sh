# Shared by the benchmark scripts (sourced, not run): the build, the corpus, and paired timing.
#
# Every figure is printed with the exact command that produced it. Commands are plain words
# (no quoting, no redirection) so that the printed command is the one run, word for word.
# Timing: `/usr/bin/time -f '%e %M'` (wall seconds, peak resident set in KiB) around each run;
# the commands of one comparison alternate (A B A B ...) after one untimed warm-up run of each.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
AS_OF=2026-11-21
RUNS=${RUNS:-3}
WORK=${EVIDENT_BENCH_DIR:-/tmp/evident-bench}
# Never the repository's target/: a benchmark build must not block or disturb normal builds.
TARGET=${EVIDENT_BENCH_TARGET:-/tmp/evident-bench-target}
TIME=/usr/bin/time
LOG=$WORK/logs
export LC_ALL=C # '.' as the decimal separator in awk and printf
mkdir -p "$WORK" "$LOG"

say() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}
load() { say "load average: $(uptime | sed 's/.*load average: //') ($(nproc) cores)"; }
fmt() { awk -v x="$1" -v d="${2:-3}" 'BEGIN { printf "%.*f", d, x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# build: cargo build --release into $TARGET; sets BIN.
build() {
  case $TARGET/ in "$REPO"/*) die "EVIDENT_BENCH_TARGET ($TARGET) is inside the repository" ;; esac
  step "Build (release, into $TARGET)"
  say "\$ CARGO_TARGET_DIR=$TARGET cargo build --release --locked --manifest-path $REPO/Cargo.toml"
  CARGO_TARGET_DIR=$TARGET cargo build --release --locked --quiet --manifest-path "$REPO/Cargo.toml"
  BIN=$TARGET/release/evident
  [[ -x $BIN ]] || die "no binary at $BIN"
  [[ -x $TIME ]] || die "/usr/bin/time is missing: install the Debian package 'time'"
  say "binary: $BIN ($("$BIN" --version)); as of $AS_OF"
}

# corpus DIR ARGS...: generate DIR with `gen_corpus.py DIR ARGS... --expected DIR.expected.json`
# unless it exists and was made by the same generator, reference set, controls and arguments.
# Sets DOCS (the real number of documents: only whole units are written).
corpus() {
  local dir=$1
  shift
  local stamp
  stamp="$* $(cat "$HERE/gen_corpus.py" <(find "$REPO/policies" "$REPO/controls" -type f | sort | xargs cat) | sha256sum | cut -c1-16)"
  if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" && -f $dir.expected.json ]]; then
    say "reusing $dir (made by: python3 $HERE/gen_corpus.py $dir $* --expected $dir.expected.json)"
  else
    rm -f "$dir.stamp"
    say "\$ python3 $HERE/gen_corpus.py $dir $* --expected $dir.expected.json --force"
    python3 "$HERE/gen_corpus.py" "$dir" "$@" --expected "$dir.expected.json" --force
    echo "$stamp" >"$dir.stamp"
  fi
  DOCS=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["documents"])' "$dir.expected.json")
}

# compare NAME1 "CMD1" NAME2 "CMD2" ...: one untimed warm-up run of each command, then RUNS rounds
# running each once, in turn. For each NAME sets WALL[NAME] (median, s), RSS[NAME] (max, KiB) and
# RC[NAME] (exit code of the last run); output of run i goes to $LOG/NAME.i.{out,err}.
declare -A WALL RSS RC CMD
compare() {
  local -a names=() argv
  local name cmd i w m
  while (($#)); do
    names+=("$1")
    CMD[$1]=$2
    shift 2
  done
  say "warm-up, then $RUNS alternating rounds of: ${names[*]}"
  for name in "${names[@]}"; do say "  $name: \$ $TIME -f '%e %M' ${CMD[$name]}"; done
  declare -A walls=() rsss=()
  for i in $(seq 0 "$RUNS"); do
    for name in "${names[@]}"; do
      read -ra argv <<<"${CMD[$name]}"
      set +e
      "$TIME" -f '%e %M' -o "$LOG/$name.$i.time" "${argv[@]}" >"$LOG/$name.$i.out" 2>"$LOG/$name.$i.err"
      RC[$name]=$?
      set -e
      ((i > 0)) || continue # warm-up
      read -r w m < <(tail -n 1 "$LOG/$name.$i.time")
      walls[$name]+=" $w"
      rsss[$name]+=" $m"
    done
  done
  for name in "${names[@]}"; do
    # shellcheck disable=SC2086 # word splitting of the lists is meant
    WALL[$name]=$(median ${walls[$name]})
    # shellcheck disable=SC2086
    RSS[$name]=$(maximum ${rsss[$name]})
    say "  $name: wall${walls[$name]} s -> median ${WALL[$name]} s; peak $(mb "${RSS[$name]}") MB; exit ${RC[$name]}"
  done
}

# expect_rc NAME CODE: the last run of NAME exited with CODE, else show its output and stop.
expect_rc() {
  if [[ ${RC[$1]} != "$2" ]]; then
    tail -n 20 "$LOG/$1.$RUNS.out" "$LOG/$1.$RUNS.err" >&2 || true
    die "$1 exited with ${RC[$1]}, expected $2: \$ ${CMD[$1]}"
  fi
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; } # KiB -> MB (10^6 bytes)
