#!/bin/bash
# The image build (build_image.sh) is reproducible and holds nothing but
# nsenterctl, nsenter and the libraries they load:
#   - two builds from the same nsenterctl give the same archive bytes;
#   - the archive is a docker-archive tagged with the tag it was given;
#   - its one layer holds /usr/bin/nsenterctl, /usr/bin/nsenter, shared
#     libraries and the dynamic loader, owned by 0:0 with time 0; no shell;
#     its entries are in name order (tar --sort=name), directory by directory;
#   - an image of a static executable still holds nsenter's libraries;
#   - a program ldd fails on stops the build with an error naming ldd;
#   - nsenter and the libraries come from the declared host files (so Bazel
#     sees them change), and a library missing there stops the build.
set -euo pipefail

build_image="$1"
nsenterctl="$2"
static_program="$3"
host_nsenter="$4"
tag="test/nsenterctl:1"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/image_test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

"$build_image" "$nsenterctl" "$host_nsenter" "$tag" "$work/first.tar"
"$build_image" "$nsenterctl" "$host_nsenter" "$tag" "$work/second.tar"
cmp "$work/first.tar" "$work/second.tar" || fail "two builds differ"

manifest="$(tar -xOf "$work/first.tar" manifest.json)"
case "$manifest" in
  *"\"RepoTags\":[\"$tag\"]"*) ;;
  *) fail "manifest.json does not carry the tag $tag: $manifest" ;;
esac
layer="$(printf '%s' "$manifest" | sed -n 's/.*"Layers":\["\([^"]*\)"\].*/\1/p')"
[ -n "$layer" ] || fail "manifest.json names not exactly one layer: $manifest"

tar -xOf "$work/first.tar" "$layer" >"$work/layer.tar"
listing="$(tar -tvf "$work/layer.tar")"
echo "$listing"
files="$(tar -tf "$work/layer.tar" | grep -v '/$')"
unexpected="$(printf '%s\n' "$files" | grep -vE '^\./(usr/bin/nsenterctl|usr/bin/nsenter|(usr/)?lib(64|/x86_64-linux-gnu|/aarch64-linux-gnu)?/(ld-linux[^/]*|lib[^/]*\.so[.0-9]*))$' || true)"
[ -z "$unexpected" ] || fail "unexpected files in the layer: $unexpected"
for needed in ./usr/bin/nsenterctl ./usr/bin/nsenter; do
  printf '%s\n' "$files" | grep -qx "$needed" || fail "$needed is missing"
done
printf '%s\n' "$files" | grep -q 'ld-linux' || fail "no dynamic loader in the layer"
if printf '%s\n' "$listing" | grep -v ' 0/0 ' | grep -q .; then
  fail "an entry not owned by 0/0"
fi
if printf '%s\n' "$listing" | grep -v ' 1970-01-01 00:00 ' | grep -q .; then
  fail "an entry with a time other than 0"
fi
# Name order directory by directory: '/' sorts before every other byte.
names="$(tar -tf "$work/layer.tar")"
sorted="$(printf '%s\n' "$names" | tr / '\001' | LC_ALL=C sort | tr '\001' /)"
[ "$names" = "$sorted" ] || fail "the layer's entries are not in name order: $names"

# Writes the layer of image $1 (a docker-archive) to $2.
extract_layer() {
  tar -xOf "$1" "$(tar -tf "$1" | grep '^[0-9a-f]*\.tar$')" >"$2"
}

# Every library ldd names for $1 is in the layer of image $2 (a tar).
check_libraries() {
  local entries
  extract_layer "$2" "$work/check.tar"
  entries="$(tar -tf "$work/check.tar")"
  for library in $(ldd "$1" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
    grep -qx "\.$library" <<<"$entries" || fail "$library of $1 is missing from $2"
  done
}
check_libraries /usr/bin/nsenter "$work/first.tar"
check_libraries "$nsenterctl" "$work/first.tar"

"$build_image" "$static_program" "$host_nsenter" "$tag" "$work/static.tar"
check_libraries /usr/bin/nsenter "$work/static.tar"

if "$build_image" "$work/missing" "$host_nsenter" "$tag" "$work/missing.tar" 2>"$work/stderr"; then
  fail "an image of a missing program was built"
fi
grep -q 'ldd .*/missing failed' "$work/stderr" || fail "no ldd error: $(cat "$work/stderr")"

# A host whose nsenter differs from the machine's: the image holds the host's.
cp -rL "${host_nsenter%/usr/bin/nsenter}" "$work/host"
chmod -R u+w "$work/host"
printf 'changed' >>"$work/host/usr/bin/nsenter"
"$build_image" "$nsenterctl" "$work/host/usr/bin/nsenter" "$tag" "$work/changed.tar"
extract_layer "$work/changed.tar" "$work/changed_layer.tar"
tar -xOf "$work/changed_layer.tar" ./usr/bin/nsenter >"$work/nsenter"
cmp "$work/nsenter" "$work/host/usr/bin/nsenter" || fail "the image's nsenter is not the host's"

# A host that lacks a library nsenter needs.
rm "$work/host/lib/x86_64-linux-gnu/libselinux.so.1"
if "$build_image" "$nsenterctl" "$work/host/usr/bin/nsenter" "$tag" "$work/lacking.tar" 2>"$work/stderr"; then
  fail "an image was built from a host that lacks libselinux"
fi
grep -q 'libselinux.so.1 is needed but not among the declared host files' "$work/stderr" ||
  fail "no error naming the missing library: $(cat "$work/stderr")"
echo "PASS"
