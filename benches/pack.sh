#!/usr/bin/env bash
# Benchmark: `evident pack` and `evident verify` on N documents plus MB megabytes of
# attachment files named by records.
#   benches/pack.sh [N] [MB]        (defaults: 10000 documents, 1024 MB in 256 files)
# Prints, with the commands that produced them:
#   - pack hashing throughput per core (files hashed in parallel) against
#     `openssl dgst -sha256` on the same files (one process, one core). Target: >= 90%.
#   - `evident verify` wall time against `sha256sum --strict -c SHA256SUMS` on the same
#     bundle, both with a warm page cache (median of 3). Target: >= 2x faster.
set -euo pipefail
N=${1:-10000}
MB=${2:-1024}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${EVIDENT_BENCH_DIR:-/tmp/evident-bench}
repo="$work/pack-$N-$MB"
target=${EVIDENT_BENCH_TARGET:-/tmp/evident-bench-target} # never the repository's target/
CARGO_TARGET_DIR=$target cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$target/release/evident"
cores=$(nproc)
mkdir -p "$work"
for tool in openssl sha256sum ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done

if [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  python3 "$root/benches/gen_corpus.py" "$repo" --documents "$N" >/dev/null
  # MB megabytes of incompressible attachments, 4 MB per file, each named by one record.
  python3 - "$repo" "$MB" <<'PY'
import os, pathlib, random, sys
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
PY
  git -C "$repo" init -q -b main
  # Stored, not deflated: random bytes do not compress, and packing reads them back.
  git -C "$repo" -c core.looseCompression=0 add -A
  GIT_AUTHOR_DATE=2026-11-20T10:00:00Z GIT_COMMITTER_DATE=2026-11-20T10:00:00Z \
    git -C "$repo" -c user.name=Bench -c user.email=bench@example.invalid -c commit.gpgsign=false \
    commit -qm "benchmark corpus"
fi
key="$work/pack-key"
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C bench@example.invalid -f "$key"
bundle="$work/pack-bundle"
rm -rf "$bundle"
echo "repository: $repo ($(find "$repo/policies" -name '*.yaml' | wc -l) documents, $(du -sm --apparent-size "$repo/policies/records/attachments" | cut -f1) MB of attachments); $cores cores"

echo
echo "\$ $bin pack $repo --out $bundle --sign $key"
start=$EPOCHREALTIME
pack_out=$(EVIDENT_TIMINGS=1 "$bin" pack "$repo" --out "$bundle" --sign "$key")
end=$EPOCHREALTIME
echo "$pack_out"
pack_wall=$(awk -v a="$end" -v b="$start" 'BEGIN { printf "%.2f", a - b }')
bytes=$(cd "$bundle" && find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
hash_secs=$(sed -n 's/.*hashed in \([0-9.]*\) s.*/\1/p' <<<"$pack_out")

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
timeit() { # prints wall seconds of "$@", output discarded
  local s e
  s=$EPOCHREALTIME; "$@" >/dev/null; e=$EPOCHREALTIME
  awk -v a="$e" -v b="$s" 'BEGIN { printf "%.3f", a - b }'
}

# openssl, one process (one core), the same files, warm cache.
cd "$bundle"
find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig -print0 | LC_ALL=C sort -z > "$work/pack-files"
ossl=()
for i in 1 2 3; do ossl+=("$(timeit xargs -0 -n 2000 openssl dgst -sha256 -r < "$work/pack-files")"); done
ossl_secs=$(median "${ossl[@]}")
# The same, one process per core: what the hardware gives openssl in parallel.
osslp=()
# Files dealt round-robin into one list per core, so that the big ones are shared out.
rm -f "$work"/pack-files.part*
split -n "r/$cores" -t '\0' "$work/pack-files" "$work/pack-files.part"
ossl_parallel() {
  for part in "$work"/pack-files.part*; do
    xargs -0 -n 4000 openssl dgst -sha256 -r < "$part" >/dev/null &
  done
  wait
}
for i in 1 2 3; do osslp+=("$(timeit ossl_parallel)"); done
osslp_secs=$(median "${osslp[@]}")
# openssl's in-memory ceiling (no file reading), one core, 1 MiB blocks.
ossl_mem=$(openssl speed -evp sha256 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^sha256/ { sub(/k$/, "", $2); printf "%.0f", $2 * 1000 / 1e6 }')

sums=(); ours=()
for i in 1 2 3; do
  sums+=("$(timeit sha256sum --strict -c --quiet SHA256SUMS)")
  ours+=("$(timeit "$bin" verify . --public-key "$key.pub")")
done
sums_secs=$(median "${sums[@]}"); ours_secs=$(median "${ours[@]}")
cd - >/dev/null

awk -v bytes="$bytes" -v hs="$hash_secs" -v os="$ossl_secs" -v cores="$cores" \
    -v ss="$sums_secs" -v vs="$ours_secs" -v pw="$pack_wall" -v ossl="${ossl[*]}" \
    -v sums="${sums[*]}" -v ours="${ours[*]}" -v ops="$osslp_secs" -v osslp="${osslp[*]}" -v omem="$ossl_mem" 'BEGIN {
  mb = bytes / 1e6
  ev = mb / hs; op = mb / os
  printf "\n%.0f MB in the bundle; pack took %.2f s wall in all\n", mb, pw
  printf "\nhashing (pack, files in parallel): %.2f s = %.0f MB/s = %.0f MB/s per core\n", hs, ev, ev / cores
  printf "openssl dgst -sha256 (one core):   %.2f s = %.0f MB/s   (runs: %s)\n", os, op, ossl
    printf "  -> per core %.0f%% of openssl (target >= 90%%)\n", 100 * ev / cores / op
  printf "openssl, %d processes in parallel:  %.2f s = %.0f MB/s   (runs: %s)\n", cores, ops, mb / ops, osslp
    printf "  -> evident %.0f%% of parallel openssl\n", 100 * ev / (mb / ops)
  printf "openssl speed -evp sha256 (in memory, one core): %d MB/s\n", omem
  printf "  -> evident per core, reading files, %.0f%% of that\n", 100 * ev / cores / omem
  printf "\nsha256sum --strict -c SHA256SUMS:  %.2f s   (runs: %s)\n", ss, sums
  printf "evident verify --public-key:       %.2f s   (runs: %s)\n", vs, ours
  printf "  -> %.1fx faster than sha256sum (target >= 2x)\n", ss / vs
}'
