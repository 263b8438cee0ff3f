#!/bin/bash
# Builds the nsenterctl image as a docker-archive that `podman load` and
# `docker load` accept (the genrule //tools/image:archive runs it):
#
#   build_image.sh NSENTERCTL HOST_NSENTER TAG OUT
#
# HOST_NSENTER is HOST/usr/bin/nsenter, where the directory HOST mirrors the
# machine's files the image takes (deps.bzl's @nsenterctl_image_host: nsenter
# and the libraries, as inputs Bazel hashes). Every file comes from HOST; a
# library ldd names that HOST lacks stops the build.
#
# The image has one layer: NSENTERCTL at /usr/bin/nsenterctl, util-linux's
# nsenter at /usr/bin/nsenter (the default backend runs it; the native one
# needs no program), and the shared libraries the two load, at the paths ldd
# names. Nothing else: no shell, no package manager. Its PATH is /usr/bin.
#
# Reproducible: the layer is a tar with sorted names, time 0, owner 0:0 and
# fixed modes; the config and history carry time 0; umoci assembles the OCI
# image, and the docker-archive is a tar of the same kind. So one commit,
# built on one Debian release, gives the same bytes.
set -euo pipefail

nsenterctl="$1"
host_nsenter="$2"
tag="$3"
out="$4"
host="${host_nsenter%/usr/bin/nsenter}"
if [ "$host" = "$host_nsenter" ]; then
  echo "build_image.sh: HOST_NSENTER $host_nsenter does not end in /usr/bin/nsenter" >&2
  exit 1
fi
epoch="1970-01-01T00:00:00Z"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"

# Copies HOST's FILE (an absolute path) to the same path under the layer's
# root, mode MODE.
add() {
  if [ ! -f "$host$1" ]; then
    echo "build_image.sh: $1 is needed but not among the declared host files" \
      "(deps.bzl, @nsenterctl_image_host); refetch them: tools/bazel sync --configure" >&2
    exit 1
  fi
  install -D -m "$2" "$host$1" "$root$1"
}

# The shared libraries and the loader that ELF file $1 needs, as ldd names
# them; nothing for a static executable. Exits the script when ldd fails
# otherwise or cannot find a library.
libraries() {
  local output status=0
  output="$(LC_ALL=C ldd "$1" 2>&1)" || status=$?
  if [ "$status" -ne 0 ]; then
    case "$output" in
      *"not a dynamic executable"*) return 0 ;;
    esac
    echo "build_image.sh: ldd $1 failed (status $status): $output" >&2
    exit 1
  fi
  if printf '%s\n' "$output" | grep -q 'not found'; then
    echo "build_image.sh: $1 needs a library ldd cannot find: $output" >&2
    exit 1
  fi
  printf '%s\n' "$output" |
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# Each assignment on its own line, so that set -e sees a failed ldd.
nsenterctl_libraries="$(libraries "$nsenterctl")"
nsenter_libraries="$(libraries "$host_nsenter")"
install -D -m 0755 "$nsenterctl" "$root/usr/bin/nsenterctl"
strip --strip-unneeded "$root/usr/bin/nsenterctl"
add /usr/bin/nsenter 0755
for library in $(printf '%s\n%s\n' "$nsenterctl_libraries" "$nsenter_libraries" | sort -u); do
  add "$library" 0755
done
find "$root" -type d -exec chmod 0755 {} +

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$root" -cf "$work/layer.tar" .

layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:image"
umoci raw add-layer --image "$layout:image" --history.created="$epoch" \
  --history.created_by="nsenter_cpp //tools/image" "$work/layer.tar"
umoci config --image "$layout:image" --no-history --created="$epoch" \
  --architecture="$(dpkg --print-architecture)" --os=linux \
  --config.env=PATH=/usr/bin --config.cmd=nsenterctl --config.cmd=--help

# The docker-archive, from umoci's layout: the config blob, the layer as it
# was added (the layout keeps it gzipped; the archive holds it plain, named
# by its diff ID) and a manifest.json that names them and the tag. skopeo
# could convert the layout too, but it writes a cache under
# /var/lib/containers as root, outside the build's outputs.
manifest="$(sed -n 's/.*"digest":"sha256:\([0-9a-f]\{64\}\)".*/\1/p' "$layout/index.json")"
config="$(sed -n 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]\{64\}\)".*/\1/p' \
  "$layout/blobs/sha256/$manifest")"
diff_id="$(sha256sum "$work/layer.tar" | cut -d ' ' -f 1)"
[ -n "$config" ] || { echo "build_image.sh: no config in umoci's manifest" >&2; exit 1; }
archive="$work/archive"
mkdir "$archive"
cp "$layout/blobs/sha256/$config" "$archive/$config.json"
cp "$work/layer.tar" "$archive/$diff_id.tar"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar"]}]\n' \
  "$config" "$tag" "$diff_id" >"$archive/manifest.json"
# Plain names, in a fixed order, as docker-archives have them.
tar --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu --mode=0644 \
  -C "$archive" -cf "$out" "$config.json" "$diff_id.tar" manifest.json
