#!/bin/bash
# Records the file tree TREE as a host, with `nsenterctl record`, into OUT.
#
#   tools/record_tree.sh NSENTERCTL TREE OUT [RECORD OPTIONS...]
#
# Builds, with the kernel's namespaces, the situation of a privileged
# container on a host whose "/" is TREE (TREE may be "/", this machine's own
# root): a new PID and mount namespace whose PID 1 has TREE as its root and
# its own procfs, and a "container" with a mount namespace of its own that
# sees TREE at its own path. The recorder runs in the container with
# --rootfs TREE and reaches the host through TREE/proc/1/ns/mnt, so every
# realpath it records ran on the tree. Nothing is mounted outside the new
# namespaces; they go when the recording ends. Needs root (CAP_SYS_ADMIN),
# busybox-static, and a directory TREE/proc.
set -euo pipefail

if [ "${1:-}" != "--as-host" ]; then
  if [ $# -lt 3 ]; then
    echo "usage: $0 NSENTERCTL TREE OUT [RECORD OPTIONS...]" >&2
    exit 2
  fi
  nsenterctl="$(realpath -e "$1")"
  tree="$(realpath -e "$2")"
  out="$(realpath -m "$3")"
  shift 3
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  unshare --pid --mount --fork --propagation private -- \
    "$(realpath -e "$0")" --as-host "$nsenterctl" "$tree" "$out" "$scratch" "$@"
  exit
fi

# PID 1 of the new PID namespace, in the new (private) mount namespace.
shift
nsenterctl="$1" tree="$2" out="$3" scratch="$4"
shift 4

if [ "$tree" = / ]; then
  # This machine's root file system alone, without the mounts above it.
  mkdir "$scratch/root"
  mount --bind / "$scratch/root"
  tree="$scratch/root"
else
  mount --bind "$tree" "$tree"  # pivot_root wants a mount point.
fi
mount -t proc proc "$tree/proc"

# The container: a copy of this mount namespace taken now, which keeps the
# machine's "/" (for nsenterctl and nsenter) and sees the tree at $tree.
mkfifo "$scratch/go"
unshare --mount --propagation private -- \
  sh -c 'read -r _ < "$0" && exec "$@"' "$scratch/go" \
  "$nsenterctl" record --rootfs "$tree" --fixture-root /rootfs --out "$out" "$@" &
container=$!
exec 3>"$scratch/go"

# Become the host: the tree is "/" of this mount namespace. After
# `pivot_root . .` the old root lies on top of "/"; detaching it leaves the
# tree. The tree may have no umount of its own (or no C library for this
# machine's), so this machine's static busybox does it, through a descriptor
# opened before the pivot.
exec 4</bin/busybox
cd "$tree"
pivot_root . .
(exec -a busybox /proc/self/fd/4 umount -l .)
exec 4<&-
cd /

echo go >&3
exec 3>&-
wait "$container"
