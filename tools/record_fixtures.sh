#!/bin/bash
# Re-records every host fixture in testdata/hosts/ from real trees:
#
#   tools/record_fixtures.sh [NAME...]
#
#   debian-12-this-machine     this machine's own root (Debian 12, merged /usr)
#   debian-12-minbase          debootstrap --variant=minbase (no systemd-run)
#   debian-12-split-usr        debootstrap --no-merged-usr (/bin and /usr/bin apart)
#   busybox                    busybox-static and its applet links (its realpath
#                              does not understand -e/-m)
#   nixos-layout               binaries only under /run/current-system/sw/bin, as
#                              on NixOS (discovery fails: no mount in the search dirs)
#
# Each tree is built in a temporary directory and recorded as a host by
# tools/record_tree.sh with `nsenterctl record`. Needs root, debootstrap and
# busybox-static (installed here when missing), and the Debian mirror apt
# uses. Re-running reproduces each fixture apart from its "date".
set -euo pipefail
cd "$(dirname "$0")/.."

for package in debootstrap busybox-static; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q ' installed$'; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >&2
  fi
done

tools/bazel build //tools:nsenterctl
nsenterctl="$(tools/bazel info bazel-bin 2>/dev/null)/tools/nsenterctl"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The mirror and suite this machine's apt uses.
mirror() {
  sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 ||
    true
}
suite() { . /etc/os-release && echo "$VERSION_CODENAME"; }

debootstrap_tree() {  # DIR [DEBOOTSTRAP OPTIONS...]
  local dir="$1"
  shift
  debootstrap --variant=minbase "$@" "$(suite)" "$dir" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
    { cat "$work/debootstrap.log" >&2; return 1; }
}

busybox_tree() {  # DIR
  local dir="$1"
  mkdir -p "$dir/bin" "$dir/proc" "$dir/etc"
  cp /bin/busybox "$dir/bin/busybox"
  chroot "$dir" /bin/busybox --install -s /bin
  printf 'ID=busybox\nVERSION_ID=%s\n' "$(/bin/busybox | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p')" \
    >"$dir/etc/os-release"
}

nixos_tree() {  # DIR: store paths named as NixOS names them, tools from busybox.
  local dir="$1" store=/nix/store/0c4q1w8m1z8d7mrh4hv5n1xwq3f2zj5d-busybox-1.36.1
  mkdir -p "$dir$store/bin" "$dir/run/current-system/sw/bin" "$dir/bin" "$dir/proc" "$dir/etc"
  cp /bin/busybox "$dir$store/bin/busybox"
  for tool in mount umount findmnt stat touch mkdir ls sh chmod realpath uname cat; do
    ln -s busybox "$dir$store/bin/$tool"
    ln -s "$store/bin/$tool" "$dir/run/current-system/sw/bin/$tool"
  done
  ln -s "$store/bin/sh" "$dir/bin/sh"
  printf 'ID=nixos\nVERSION_ID=24.05\n' >"$dir/etc/os-release"
}

record() {  # NAME TREE [RECORD OPTIONS...]
  local name="$1" tree="$2"
  shift 2
  echo "recording $name" >&2
  tools/record_tree.sh "$nsenterctl" "$tree" "testdata/hosts/$name.json" --name "$name" "$@"
}

build_and_record() {  # NAME
  local name="$1" tree="$work/$1"
  case "$name" in
    debian-12-this-machine) record "$name" / ;;
    debian-12-minbase) debootstrap_tree "$tree" && record "$name" "$tree" ;;
    debian-12-split-usr) debootstrap_tree "$tree" --no-merged-usr && record "$name" "$tree" ;;
    busybox) busybox_tree "$tree" && record "$name" "$tree" ;;
    nixos-layout) nixos_tree "$tree" && record "$name" "$tree" --probe /run/current-system/sw/bin/mount ;;
    *) echo "unknown fixture '$name'" >&2; return 2 ;;
  esac
}

mkdir -p testdata/hosts
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(debian-12-this-machine debian-12-minbase debian-12-split-usr busybox nixos-layout)
fi
for name in "${names[@]}"; do build_and_record "$name"; done
