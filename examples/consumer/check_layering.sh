#!/bin/bash
# Checks, with clang's layering check (Bazel's layering_check feature, through
# --config=layering in .bazelrc), that code of this workspace includes only
# the headers nsenter_cpp's public targets export:
#   - everything in //... builds with it;
#   - //layering_check:includes_internal_header, which includes an internal
#     header through @nsenter_cpp//nsenter, fails to build, naming it.
# Exits 0 when both hold, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")"
bazel=../../tools/bazel
target=//layering_check:includes_internal_header
header=nsenter/process_executor.h

if ! "$bazel" build --config=layering //...; then
  echo "check_layering: //... does not build with the layering check" >&2
  exit 1
fi

if log="$("$bazel" build --config=layering "$target" 2>&1)"; then
  echo "check_layering: $target built, but it includes $header" >&2
  exit 1
fi
if ! grep -qF "does not depend on a module exporting '$header'" <<<"$log"; then
  echo "check_layering: the build of $target failed for another reason:" >&2
  echo "$log" >&2
  exit 1
fi
echo "check_layering: including $header through @nsenter_cpp//nsenter is refused, as intended"
