#!/bin/bash
# tools/dist.sh prints the sha256 of the archive it wrote, whatever the name
# of the output directory (GNU sha256sum FILE escapes a name with "\" or a
# newline and starts its line with "\").
set -euo pipefail

dist="$(pwd)/tools/dist.sh"
repo="$TEST_TMPDIR/repo"
mkdir -p "$repo"
git -C "$repo" init -q
echo content >"$repo/file"
git -C "$repo" add file
git -C "$repo" -c user.name=test -c user.email=test@example.com commit -q -m test

for dir in 'plain' 'back\slash' $'new\nline'; do
  printed="$(BUILD_WORKSPACE_DIRECTORY="$repo" BUILD_WORKING_DIRECTORY="$TEST_TMPDIR" \
    "$dist" "$TEST_TMPDIR/$dir")"
  archive="$(find "$TEST_TMPDIR/$dir" -name '*.tar.gz')"
  expected="    sha256 = \"$(sha256sum <"$archive" | cut -d ' ' -f 1)\","
  if ! grep -qxF -- "$expected" <<<"$printed"; then
    echo "for the directory '$dir', dist.sh printed:" >&2
    echo "$printed" >&2
    echo "expected the line: $expected" >&2
    exit 1
  fi
done
echo PASS
