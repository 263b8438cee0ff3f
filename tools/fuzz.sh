#!/bin/bash
# Builds the libFuzzer targets with clang-16 and runs each for a bounded time.
#
#   tools/fuzz.sh SECONDS [TARGET...]
#
# TARGET is fixture_fuzzer, resolver_fuzzer or mountinfo_fuzzer (default: all,
# one after the other, each for SECONDS). Each runs at nice 19 on a copy of its committed
# corpus, so the repository is never modified; libFuzzer's new inputs and
# anything it finds go to a temporary work directory. Prints libFuzzer's final
# figures per target (the "#N DONE cov: X ft: Y corp: Z" line). Exit status 0
# if no target found anything; 1 if one did (its reproducers are kept in the
# work directory, which is named, and the rest of it removed); 2 on a usage or
# build error.
#
# Why not Bazel: Bazel 4 configures its C++ toolchain (gcc here) once per
# output base, so clang would need a second output base. Instead, each
# target's sources in this repository are taken from the BUILD files
# (`tools/bazel query`) and compiled directly: include path rooted at the
# repository, nlohmann json from /usr/include, -fsanitize=fuzzer,address,undefined.
# clang-16, libclang-rt-16-dev (libFuzzer, sanitizer runtimes) and llvm-16
# (llvm-symbolizer, for readable reports) are installed with apt-get when
# missing (needs root or sudo).
#
# A finding is a bug to fix: add its reproducer to the target's corpus
# directory (below) with the fix, so that the replay test of `bazel test
# //...` keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Per target: the Bazel label of its entry point, its corpus directories
# (seeds and reproducers) and its libFuzzer dictionary.
declare -A label=(
  [fixture_fuzzer]=//fakehost/fuzz:fixture_fuzzer
  [resolver_fuzzer]=//nsenter/fuzz:resolver_fuzzer
  [mountinfo_fuzzer]=//nsenter/fuzz:mountinfo_fuzzer
)
declare -A corpora=(
  [fixture_fuzzer]="fakehost/fuzz/corpus/fixture testdata/hosts"
  [resolver_fuzzer]="nsenter/fuzz/corpus/resolver"
  [mountinfo_fuzzer]="nsenter/fuzz/corpus/mountinfo"
)
declare -A dictionary=(
  [fixture_fuzzer]=fakehost/fuzz/fixture.dict
  [resolver_fuzzer]=nsenter/fuzz/resolver.dict
  [mountinfo_fuzzer]=nsenter/fuzz/mountinfo.dict
)

usage() {
  echo "usage: tools/fuzz.sh SECONDS [TARGET...]; TARGET: ${!label[*]}" >&2
  exit 2
}
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then usage; fi
seconds="$1"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fixture_fuzzer resolver_fuzzer mountinfo_fuzzer)
for target in "${targets[@]}"; do
  [ -n "${label[$target]:-}" ] || usage
done

install_clang() {
  local packages="clang-16 libclang-rt-16-dev llvm-16" missing="" package as_root=""
  for package in $packages; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q ' installed$' ||
      missing="$missing $package"
  done
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "fuzz.sh: missing packages:$missing" >&2; exit 2; }
    as_root=sudo
  fi
  local log
  log="$(mktemp)"
  # shellcheck disable=SC2086 # $missing is a list of package names.
  if ! { $as_root apt-get update -qq &&
         $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends $missing; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "fuzz.sh: could not install$missing" >&2
    exit 2
  fi
  rm -f "$log"
}

# The repository's .cc files that `label` is built from, as paths.
sources_of() {
  tools/bazel query --noshow_progress --noimplicit_deps \
    "kind('source file', deps($1))" 2>/dev/null |
    sed -n 's|^//\([^:]*\):\(.*\.cc\)$|\1/\2|p'
}

install_clang

work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")"
found=0
# shellcheck disable=SC2317 # Run by the EXIT trap.
cleanup() {
  if [ "$found" -eq 0 ]; then
    rm -rf "${work:?}"
  else
    rm -rf "${work:?}/obj" "${work:?}/bin" "${work:?}/corpus" "${work:?}/tmp"
    echo "fuzz.sh: reproducers and logs kept in $work" >&2
  fi
}
trap cleanup EXIT
mkdir -p "$work/obj" "$work/bin" "$work/tmp"

flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all -I.)
for target in "${targets[@]}"; do
  mapfile -t sources < <(sources_of "${label[$target]}")
  if [ ${#sources[@]} -eq 0 ]; then
    echo "fuzz.sh: no sources found for ${label[$target]}" >&2
    exit 2
  fi
  objects=()
  for source in "${sources[@]}"; do
    object="$work/obj/${source%.cc}.o"
    objects+=("$object")
    [ -f "$object" ] && continue
    mkdir -p "$(dirname "$object")"
    nice -n 19 clang++-16 "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined \
      -c "$source" -o "$object" || exit 2
  done
  nice -n 19 clang++-16 "${flags[@]}" -fsanitize=fuzzer,address,undefined \
    "${objects[@]}" -o "$work/bin/$target" || exit 2
done

for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  for dir in ${corpora[$target]}; do
    cp -- "$dir"/* "$corpus"/
  done
  echo "=== $target: ${seconds}s on $(find "$corpus" -type f | wc -l) seed inputs"
  rc=0
  # -timeout: an input that runs longer is reported as a hang (one takes
  # milliseconds; the margin is for a loaded machine at nice 19).
  # TEST_TMPDIR: where the resolver's temporary trees go (fakehost::TempDir).
  PATH="/usr/lib/llvm-16/bin:$PATH" TEST_TMPDIR="$work/tmp" nice -n 19 "$work/bin/$target" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="${dictionary[$target]}" -artifact_prefix="$artifacts/" \
    "$corpus" >"$work/$target.log" 2>&1 || rc=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::' "$work/$target.log" || true
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    found=1
    tail -n 60 "$work/$target.log"
    echo "=== $target: FOUND a bug (exit $rc); reproducers in $artifacts:"
    ls -1 "$artifacts"
  else
    echo "=== $target: nothing found"
  fi
done
exit "$found"
