#!/bin/bash
# tools/dist.sh writes its archive into the output directory it is given and
# prints the archive's sha256, whatever the directory's name (GNU sha256sum
# FILE escapes a name with "\" or a newline and starts its line with "\"; $(...)
# strips a name's trailing newlines).
set -euo pipefail

dist="$(pwd)/tools/dist.sh"
repo="$TEST_TMPDIR/repo"
mkdir -p "$repo"
git -C "$repo" init -q
echo content >"$repo/file"
git -C "$repo" add file
git -C "$repo" -c user.name=test -c user.email=test@example.com commit -q -m test

# A decoy where a name losing its trailing newline would lead.
mkdir -p "$TEST_TMPDIR/trailing"
for dir in 'plain' 'back\slash' $'new\nline' $'trailing\n\n'; do
  printed="$(BUILD_WORKSPACE_DIRECTORY="$repo" BUILD_WORKING_DIRECTORY="$TEST_TMPDIR" \
    "$dist" "$TEST_TMPDIR/$dir")"
  archive="$(find "$TEST_TMPDIR/$dir" -name '*.tar.gz')"
  if [ -z "$archive" ]; then
    echo "for the directory '$dir', dist.sh wrote no archive into it but printed:" >&2
    echo "$printed" >&2
    exit 1
  fi
  expected="    sha256 = \"$(sha256sum <"$archive" | cut -d ' ' -f 1)\","
  if ! grep -qxF -- "$expected" <<<"$printed"; then
    echo "for the directory '$dir', dist.sh printed:" >&2
    echo "$printed" >&2
    echo "expected the line: $expected" >&2
    exit 1
  fi
done
if [ -n "$(ls -A "$TEST_TMPDIR/trailing")" ]; then
  echo "dist.sh wrote into the wrong directory: $(ls -A "$TEST_TMPDIR/trailing")" >&2
  exit 1
fi
echo PASS
