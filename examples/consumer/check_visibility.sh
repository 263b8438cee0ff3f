#!/bin/bash
# Checks that nsenter_cpp's internal targets cannot be depended on from
# another workspace: building //visibility_check:uses_internal_targets must
# fail, with a visibility error for every one of its dependencies.
# Exits 0 when it does, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")"
bazel=../../tools/bazel
target=//visibility_check:uses_internal_targets

if ! deps="$("$bazel" query "labels(deps, $target)" 2>/dev/null)" || [ -z "$deps" ]; then
  echo "check_visibility: cannot list the dependencies of $target" >&2
  exit 1
fi

if log="$("$bazel" build --keep_going "$target" 2>&1)"; then
  echo "check_visibility: $target built, but it depends on internal targets:" $deps >&2
  exit 1
fi

status=0
for dep in $deps; do
  if grep -qF "target '$dep' is not visible from target '$target'" <<<"$log"; then
    echo "check_visibility: $dep is not visible, as intended"
  else
    echo "check_visibility: no visibility error for $dep" >&2
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "check_visibility: the build of $target failed for another reason:" >&2
  echo "$log" >&2
fi
exit "$status"
