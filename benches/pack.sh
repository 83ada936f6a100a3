#!/usr/bin/env bash
# Benchmark kit for `evident pack` and `evident verify` (PRODUCT.md §7), on N documents generated
# from policies/ plus MB MiB of incompressible attachment files named by records:
#   1. pack's hashing throughput per core (its own clock: files in parallel, all cores) against
#      `openssl dgst -sha256` with one process per core over the same files (process wall time):
#      >= 90 %; one openssl process and `openssl speed` (in memory) as context;
#   2. `evident verify --public-key` against `sha256sum --strict -c` (>= 2x faster) and against
#      openssl with one process per core over the same files (no slower).
# Every comparison alternates its commands after a warm-up run of each; the load average is
# printed; every figure is printed with its command. Fails (non-zero) when pack or verify exits
# non-zero, when the bundle lacks an attachment, or when openssl's or sha256sum's digests differ
# from the bundle's SHA256SUMS.
#
#   benches/pack.sh [N] [MB]        defaults: 10000 documents, 1024 MiB (in files of 4 MiB)
#
# Environment: RUNS (alternating rounds, default 3), EVIDENT_BENCH_DIR, EVIDENT_BENCH_TARGET.
set -euo pipefail

# Two helpers the comparisons run as `bash benches/pack.sh --HELPER ...`, so that every compared
# command is plain words, printed as it is run:
#   --fresh DIR CMD...          moves DIR aside to DIR.old.PID (pack never overwrites a bundle;
#                               the old ones are removed after the comparison, untimed), then
#                               runs CMD;
#   --openssl-parallel LIST...  one `xargs -0 -n 4000 openssl dgst -sha256 -r` per list of
#                               NUL-separated paths, all at once; then prints their digests, in
#                               list order; fails when any of them fails.
case ${1:-} in
--fresh)
  [[ ! -e $2 ]] || mv -- "$2" "$2.old.$$"
  shift 2
  exec "$@"
  ;;
--openssl-parallel)
  shift
  pids=()
  for list in "$@"; do
    xargs -0 -n 4000 openssl dgst -sha256 -r <"$list" >"$list.sha256" &
    pids+=($!)
  done
  rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  for list in "$@"; do cat "$list.sha256"; done
  exit "$rc"
  ;;
esac

# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-10000}
MB=${2:-1024}
[[ $N =~ ^[0-9]+$ && $MB =~ ^[1-9][0-9]*$ ]] || die "usage: benches/pack.sh [N] [MB]"
for tool in openssl sha256sum ssh-keygen git split xargs; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
CORES=$(nproc)
SELF="bash $HERE/pack.sh"
mbytes() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; } # bytes -> MB (10^6 bytes)
build
load

# ---------------------------------------------------------------------------------------------
step "Repository: $N documents requested, $MB MiB of attachments (benches/gen_corpus.py, then files named by records)"
REPO_DIR=$WORK/pack-$N-$MB
# MB MiB of incompressible attachments in files of 4 MiB, each named by one record, appended to
# the record's spec.attachments; records that name none yet are taken first, in turn.
ATTACH_PY=$(
  cat <<'PY'
import pathlib, random, sys
repo, mb = pathlib.Path(sys.argv[1]), int(sys.argv[2])
files = max(1, mb // 4)
size = mb * 1024 * 1024 // files
records = sorted(p for p in (repo / "policies").rglob("records/*.yaml")
                 if "\n  attachments:" not in p.read_text())
rng = random.Random(20261121)
folder = repo / "policies/records/attachments"
folder.mkdir(parents=True, exist_ok=True)
for i in range(files):
    rel = f"policies/records/attachments/evidence-{i:04d}.bin"
    (repo / rel).write_bytes(rng.randbytes(size))
    record = records[i % len(records)]
    text = record.read_text()
    if "\n  attachments:\n" not in text:
        text = text.rstrip("\n") + "\n  attachments:\n"
    record.write_text(text + f"    - {rel}\n")
print(f"{files} files of {size} bytes")
PY
)
corpus "$REPO_DIR" --documents "$N" --seed 1
ATT_STAMP="$MB $(printf '%s\n' "$ATTACH_PY" | cat "$REPO_DIR.stamp" - | sha256sum | cut -c1-16)"
if [[ -d $REPO_DIR/.git && -f $REPO_DIR.attachments && $(cat "$REPO_DIR.attachments") == "$ATT_STAMP" ]]; then
  say "reusing the attachments and the commit of $REPO_DIR"
else
  rm -f "$REPO_DIR.attachments"
  if [[ -e $REPO_DIR/.git || -e $REPO_DIR/policies/records/attachments ]]; then
    # Records already name attachments of another run: start from a fresh corpus.
    rm -f "$REPO_DIR.stamp"
    corpus "$REPO_DIR" --documents "$N" --seed 1
  fi
  say "\$ python3 - $REPO_DIR $MB   # the attachments, script in benches/pack.sh"
  python3 - "$REPO_DIR" "$MB" <<<"$ATTACH_PY"
  # Stored, not deflated: random bytes do not compress, and packing reads them back.
  say "\$ git -C $REPO_DIR init -q -b main && git -C $REPO_DIR -c core.looseCompression=0 add -A && git -C $REPO_DIR commit -qm 'benchmark corpus'"
  git -C "$REPO_DIR" init -q -b main
  git -C "$REPO_DIR" -c core.looseCompression=0 add -A
  GIT_AUTHOR_DATE=2026-11-20T10:00:00Z GIT_COMMITTER_DATE=2026-11-20T10:00:00Z \
    git -C "$REPO_DIR" -c user.name=Bench -c user.email=bench@example.invalid -c commit.gpgsign=false \
    commit -qm "benchmark corpus"
  echo "$ATT_STAMP" >"$REPO_DIR.attachments"
fi
[[ -z $(git -C "$REPO_DIR" status --porcelain) ]] || die "$REPO_DIR has uncommitted changes"
ATT_FILES=$(find "$REPO_DIR/policies/records/attachments" -name 'evidence-*.bin' | wc -l)
ATT_BYTES=$(find "$REPO_DIR/policies/records/attachments" -name 'evidence-*.bin' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
say "$DOCS documents; $ATT_FILES attachment files, $(mbytes "$ATT_BYTES") MB"

KEY=$WORK/pack-key
if [[ ! -f $KEY ]]; then
  say "\$ ssh-keygen -q -t ed25519 -N '' -C bench@example.invalid -f $KEY"
  ssh-keygen -q -t ed25519 -N '' -C bench@example.invalid -f "$KEY"
fi
BUNDLE=$WORK/pack-bundle
rm -rf "$BUNDLE" "$BUNDLE".old.*

# ---------------------------------------------------------------------------------------------
step "The bundle (one pack, untimed: the files it holds are the ones every peer hashes)"
PACK="env EVIDENT_TIMINGS=1 $BIN pack $REPO_DIR --out $BUNDLE --sign $KEY"
say "\$ $PACK"
read -ra argv <<<"$PACK"
"${argv[@]}" >"$LOG/pack-first.out" 2>"$LOG/pack-first.err" ||
  die "pack exited with $?: \$ $PACK: $(tail -n 20 "$LOG/pack-first.err")"
sed 's/^/  /' "$LOG/pack-first.out"
SUMS=$BUNDLE/SHA256SUMS
[[ -s $SUMS ]] || die "no $SUMS"
IN_BUNDLE=$(grep -c '/records/attachments/evidence-[0-9]*\.bin$' "$SUMS" || true)
((IN_BUNDLE == ATT_FILES)) || die "the bundle holds $IN_BUNDLE of the $ATT_FILES attachment files (see $LOG/pack-first.err)"
# The lists of files (absolute paths, NUL-separated), each dealt round-robin into one list per
# core (`split -n r/CORES`) so that the big files are shared out: the payload, which pack hashes
# on its clock (every file SHA256SUMS lists but the attestation, hashed after the clock stops),
# and every file SHA256SUMS lists, which verify and sha256sum hash.
# lists NAME FILTER: $WORK/pack-NAME.sums (SHA256SUMS lines, absolute paths, for the digest
# checks), $WORK/pack-NAME.files and its parts $WORK/pack-NAME.part*; sets PARTS and BYTES.
lists() {
  local name=$1 filter=$2
  grep -v -- "$filter" "$SUMS" | awk -v dir="$BUNDLE/" '{ print $1 "  " dir substr($0, 67) }' >"$WORK/pack-$name.sums"
  cut -c67- "$WORK/pack-$name.sums" | tr '\n' '\0' >"$WORK/pack-$name.files"
  rm -f "$WORK/pack-$name.part"*
  split -n "r/$CORES" -t '\0' "$WORK/pack-$name.files" "$WORK/pack-$name.part"
  PARTS=$(find "$WORK" -maxdepth 1 -name "pack-$name.part*" ! -name '*.sha256' | sort | paste -sd ' ')
  BYTES=$(du -cb --files0-from="$WORK/pack-$name.files" | tail -n 1 | cut -f1)
}
cp "$SUMS" "$WORK/pack-first.SHA256SUMS"
# bundle_lists: both, from the bundle as it is now.
bundle_lists() {
  lists payload '  attestation.intoto.jsonl$'
  PAYLOAD_PARTS=$PARTS PAYLOAD_BYTES=$BYTES
  PAYLOAD_FILES=$(wc -l <"$WORK/pack-payload.sums")
  lists all '^$'
  ALL_PARTS=$PARTS ALL_BYTES=$BYTES
  ALL_FILES=$(wc -l <"$WORK/pack-all.sums")
  PAYLOAD_MB=$(mbytes "$PAYLOAD_BYTES")
  ALL_MB=$(mbytes "$ALL_BYTES")
}
bundle_lists
say "payload (what pack hashes on its clock): $PAYLOAD_FILES files, $PAYLOAD_MB MB; with the attestation (what SHA256SUMS lists): $ALL_FILES files, $ALL_MB MB"

# same_digests NAME SUMS: the digests in the last output of NAME (openssl -r: `HEX *PATH`, or
# none for sha256sum --quiet) are those of SUMS, else stop.
same_digests() {
  if ! sed 's/ \*/  /' "$LOG/$1.$RUNS.out" | sort | cmp -s - <(sort "$2"); then
    diff <(sed 's/ \*/  /' "$LOG/$1.$RUNS.out" | sort) <(sort "$2") | head -n 10 >&2 || true
    die "$1 gave other digests than the bundle's SHA256SUMS: \$ ${CMD[$1]}"
  fi
  say "  $1: the digests of SHA256SUMS, $(wc -l <"$2") files"
}

# ---------------------------------------------------------------------------------------------
step "1. pack: hashing per core against openssl dgst -sha256, one process per core ($CORES), over the payload"
say "pack re-creates the bundle every run (--fresh moves the previous one aside); its hashing time is the"
say "'hashed in X s' it prints: the payload hashed on all cores, by its own clock"
rm -rf "$BUNDLE" # the warm-up run makes it again, with the same files
load
compare pack "$SELF --fresh $BUNDLE $PACK" \
  openssl-par "$SELF --openssl-parallel $PAYLOAD_PARTS" \
  openssl-1 "xargs -0 -n 4000 -a $WORK/pack-payload.files openssl dgst -sha256 -r"
rm -rf "$BUNDLE".old.*
expect_rc pack 0
expect_rc openssl-par 0
expect_rc openssl-1 0
# openssl's last runs hashed the last run's bundle, the one verify reads: its SHA256SUMS is the
# reference from here on.
if cmp -s "$SUMS" "$WORK/pack-first.SHA256SUMS"; then
  say "  pack: every run wrote the same SHA256SUMS"
else
  say "  pack: note: SHA256SUMS differs from the first pack's"
fi
bundle_lists
same_digests openssl-par "$WORK/pack-payload.sums"
same_digests openssl-1 "$WORK/pack-payload.sums"
hashed=()
for i in $(seq 1 "$RUNS"); do
  h=$(sed -n 's/.*hashed in \([0-9.]*\) s.*/\1/p' "$LOG/pack.$i.out")
  [[ -n $h ]] || die "no 'hashed in X s' in $LOG/pack.$i.out"
  hashed+=("$h")
done
HASH_S=$(median "${hashed[@]}")
awk "BEGIN { exit !($HASH_S > 0) }" || die "pack hashed in $HASH_S s: too little to time, give more MB"
say "  pack hashing (its clock):$(printf ' %s' "${hashed[@]}") s -> median $HASH_S s"
say "  pack, last run: its stages by its clock (EVIDENT_TIMINGS=1):"
grep -E '^ +[0-9.]+ s  ' "$LOG/pack.$RUNS.out" | sed 's/^/  /'

SPEED="openssl speed -evp sha256 -bytes 1048576 -seconds 2"
say "\$ $SPEED"
read -ra argv <<<"$SPEED"
"${argv[@]}" >"$LOG/openssl-speed.out" 2>"$LOG/openssl-speed.err" || die "openssl speed failed: $(cat "$LOG/openssl-speed.err")"
SPEED_MBS=$(awk '/^sha256/ { sub(/k$/, "", $2); printf "%.0f", $2 * 1000 / 1e6 }' "$LOG/openssl-speed.out")
[[ -n $SPEED_MBS ]] || die "no sha256 line in $LOG/openssl-speed.out"
say "  $(openssl version): $SPEED_MBS MB/s on one core, in memory (no file reading)"

# ---------------------------------------------------------------------------------------------
step "2. verify against sha256sum --strict -c and openssl dgst -sha256, one process per core ($CORES), over every file SHA256SUMS lists"
say "\$ cd $BUNDLE"
cd "$BUNDLE"
load
compare verify "$BIN verify $BUNDLE --public-key $KEY.pub" \
  sha256sum "sha256sum --strict -c --quiet SHA256SUMS" \
  openssl-par-all "$SELF --openssl-parallel $ALL_PARTS"
cd "$WORK"
expect_rc verify 0
expect_rc sha256sum 0
expect_rc openssl-par-all 0
grep -q '^valid: ' "$LOG/verify.$RUNS.out" || die "verify did not say valid: $(cat "$LOG/verify.$RUNS.out")"
say "  verify: $(grep '^valid: ' "$LOG/verify.$RUNS.out")"
[[ ! -s $LOG/sha256sum.$RUNS.out ]] || die "sha256sum --quiet printed: $(head -n 5 "$LOG/sha256sum.$RUNS.out")"
say "  sha256sum: every file OK (nothing printed with --quiet, exit 0)"
same_digests openssl-par-all "$WORK/pack-all.sums"

# ---------------------------------------------------------------------------------------------
step "Results: pack and verify ($DOCS documents, $ATT_FILES attachment files; $ALL_MB MB in the bundle; $CORES cores, $(uname -m))"
load
row() { printf '| %-70s | %13s | %-22s | %-4s |\n' "$@"; }
mbs() { awk -v b="$1" -v s="$2" -v c="${3:-1}" 'BEGIN { printf "%.0f", b / 1e6 / s / c }'; } # MB/s (per core)
EV_CORE=$(mbs "$PAYLOAD_BYTES" "$HASH_S" "$CORES")
OP_CORE=$(mbs "$PAYLOAD_BYTES" "${WALL[openssl-par]}" "$CORES")
O1=$(mbs "$PAYLOAD_BYTES" "${WALL[openssl-1]}")
PCT=$(awk -v a="${WALL[openssl-par]}" -v b="$HASH_S" 'BEGIN { printf "%.0f", 100 * a / b }')
row "figure" "value" "target (PRODUCT.md §7)" "ok"
row "$(printf -- '-%.0s' {1..70})" "-------------" "----------------------" "----"
row "pack: hashing $PAYLOAD_MB MB, all cores (pack's clock)" "$HASH_S s" "" ""
row "pack: hashing per core (MB / pack's hashing time / $CORES)" "$EV_CORE MB/s" "" ""
row "openssl, $CORES processes at once: wall (process start-ups included)" "${WALL[openssl-par]} s" "" ""
row "openssl, $CORES processes at once: per core (MB / wall / $CORES)" "$OP_CORE MB/s" "" ""
row "pack hashing per core / parallel openssl per core" "$PCT %" ">= 90 %" "$(verdict "$PCT >= 90")"
row "context: openssl, one process: MB / wall" "$O1 MB/s" "" ""
row "context: openssl speed -evp sha256, in memory, one core" "$SPEED_MBS MB/s" "" ""
row "context: pack hashing per core / openssl speed" "$(awk -v a="$EV_CORE" -v b="$SPEED_MBS" 'BEGIN { printf "%.0f", 100 * a / b }') %" "" ""
row "context: pack, whole run (bash --fresh included): wall" "${WALL[pack]} s" "" ""
row "context: pack, whole run: peak memory" "$(mb "${RSS[pack]}") MB" "" ""
R_SUMS=$(ratio "${WALL[sha256sum]}" "${WALL[verify]}")
R_OSSL=$(ratio "${WALL[openssl-par-all]}" "${WALL[verify]}")
row "verify --public-key, $ALL_MB MB: wall" "${WALL[verify]} s" "" ""
row "verify: peak memory" "$(mb "${RSS[verify]}") MB" "" ""
row "sha256sum --strict -c: wall" "${WALL[sha256sum]} s" "" ""
row "sha256sum / verify" "${R_SUMS}x" ">= 2x" "$(verdict "$R_SUMS >= 2")"
row "openssl, $CORES processes at once, the same files: wall" "${WALL[openssl-par-all]} s" "" ""
row "parallel openssl / verify" "${R_OSSL}x" ">= 1x" "$(verdict "$R_OSSL >= 1")"
say ""
say "Wall: median of $RUNS alternating runs after a warm-up (pack's hashing time: the median of what it printed"
say "in the same runs); peak memory: the largest; MB = 10^6 bytes. Commands (verify, sha256sum and openssl-par-all"
say "run in $BUNDLE; the lists of files are $WORK/pack-payload.part* and $WORK/pack-all.part*):"
for name in "${!CMD[@]}"; do printf '  %-15s $ %s -f %s %s\n' "$name" "$TIME" "'%e %M'" "${CMD[$name]}"; done | sort
printf '  %-15s $ %s\n' openssl-speed "$SPEED"
say "Logs: $LOG"
