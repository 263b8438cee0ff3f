#!/bin/bash
# What CI runs after the main suites, on a fresh clone: this workspace's
# build and tests against the checkout, the visibility and layering checks,
# and the source
# archive (reproducible, and complete enough for this workspace to build and
# pass its tests on it alone). One PASS or FAIL line per check; exits 1 if
# any failed.
set -uo pipefail
consumer="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$consumer/../.." && pwd)"
bazel="$repo/tools/bazel"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0

# Runs one check: a label, then the command.
check() {
  local label="$1"
  shift
  echo "=== ${label}"
  if "$@"; then
    echo "PASS: ${label}"
  else
    echo "FAIL: ${label}"
    status=1
  fi
}

consumer_tests() {
  (cd "$consumer" && "$bazel" test //...)
}

# The sha256 of the one archive in directory $1.
archive_sha256() {
  sha256sum "$1"/*.tar.gz | cut -d ' ' -f 1
}

# Two archives of HEAD, the second written under another umask, are the same
# bytes.
archive_is_reproducible() {
  (cd "$repo" && "$bazel" run //tools:dist -- "$scratch/first") || return 1
  (cd "$repo" && umask 077 && "$bazel" run //tools:dist -- "$scratch/second") || return 1
  local first second
  first="$(archive_sha256 "$scratch/first")"
  second="$(archive_sha256 "$scratch/second")"
  echo "sha256 of the first archive:  $first"
  echo "sha256 of the second archive: $second"
  [ -n "$first" ] && [ "$first" = "$second" ]
}

# This workspace's tests pass with nsenter_cpp taken from the archive alone:
# its one directory, named like the archive (the strip_prefix), is the
# repository.
consumer_tests_on_archive() {
  local archive name
  archive="$(ls "$scratch"/first/*.tar.gz)" || return 1
  name="$(basename "$archive" .tar.gz)"
  mkdir "$scratch/unpacked" && tar -xzf "$archive" -C "$scratch/unpacked" || return 1
  (cd "$consumer" && "$bazel" test --nocache_test_results \
    --override_repository="nsenter_cpp=$scratch/unpacked/$name" //...)
}

check "consumer: bazel test //... against this checkout" consumer_tests
check "consumer: internal targets of nsenter_cpp are not visible" "$consumer/check_visibility.sh"
check "consumer: internal headers of nsenter_cpp cannot be included" "$consumer/check_layering.sh"
check "dist: the source archive is reproducible" archive_is_reproducible
check "dist: consumer tests pass on the source archive" consumer_tests_on_archive
exit "$status"
