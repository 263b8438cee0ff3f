#!/bin/bash
# Writes the nsenterctl image that Bazel built (//tools/image:archive) where
# the user wants it, and says what it is:
#
#   tools/bazel run //tools:image [-- DIR]
#
# The archive, nsenterctl-image.tar, goes to DIR (default: the directory Bazel
# was run from). Prints its path, the tag, the image ID (the digest of the
# image's config, which `podman images --no-trunc` and `docker images
# --no-trunc` show after a load) and the archive's own sha256. Two builds of
# one commit print the same digests.
set -euo pipefail

archive="$1"
tag="$2"
out_dir="${3:-${BUILD_WORKING_DIRECTORY:?run it as: tools/bazel run //tools:image [-- DIR]}}"
case "$out_dir" in
  /*) ;;
  *) out_dir="$BUILD_WORKING_DIRECTORY/$out_dir" ;;
esac

mkdir -p "$out_dir"
target="$(cd "$out_dir" && pwd)/nsenterctl-image.tar"
install -m 0644 "$archive" "$target"
config="$(tar -xOf "$target" manifest.json | sed -n 's/.*"Config":"\([0-9a-f]\{64\}\)\.json".*/\1/p')"

echo "$target"
echo "tag: $tag"
echo "image id: sha256:$config"
echo "archive sha256: $(sha256sum "$target" | cut -d ' ' -f 1)"
echo "load it with: podman load -i $target   (or: docker load -i $target)"
