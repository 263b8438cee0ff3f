#!/bin/bash
# Writes a reproducible source archive of the committed tree (HEAD):
#
#   tools/bazel run //tools:dist [-- DIR]
#
# The archive, nsenter_cpp-<commit>.tar.gz, goes to DIR (default: the
# directory Bazel was run from) and holds one directory of the same name.
# Prints its path, then the strip_prefix and sha256 of an http_archive of it.
# Its bytes depend on the commit alone: git archive gives every file the
# commit's time and owner root, and gzip -n leaves out a name and time of its
# own. Uncommitted changes are not in it.
set -euo pipefail

workspace="${BUILD_WORKSPACE_DIRECTORY:?run it as: tools/bazel run //tools:dist [-- DIR]}"
out_dir="${1:-$BUILD_WORKING_DIRECTORY}"
case "$out_dir" in
  /*) ;;
  *) out_dir="$BUILD_WORKING_DIRECTORY/$out_dir" ;;
esac

name="nsenter_cpp-$(git -C "$workspace" rev-parse --short=12 HEAD)"
if [ -n "$(git -C "$workspace" status --porcelain --untracked-files=no)" ]; then
  echo "dist: uncommitted changes are not in the archive" >&2
fi

mkdir -p "$out_dir"
# The "x" keeps the trailing newlines of a directory's name, which $(...)
# would strip.
out_dir="$(cd "$out_dir" && pwd && printf x)"
archive="${out_dir%$'\n'x}/$name.tar.gz"
git -C "$workspace" archive --format=tar --prefix="$name/" HEAD | gzip -9 -n >"$archive"
# From standard input: for a name with "\" or a newline, sha256sum FILE
# starts its line with "\".
sha256="$(sha256sum <"$archive" | cut -d ' ' -f 1)"

echo "$archive"
echo "    strip_prefix = \"$name\","
echo "    sha256 = \"$sha256\","
