#!/bin/bash
# Records the file tree TREE as a host, with `nsenterctl record`, into OUT.
#
#   tools/record_tree.sh [HOST MOUNTS...] NSENTERCTL TREE OUT [RECORD OPTIONS...]
#
# HOST MOUNTS are made in the host's mount namespace before the recording, so
# that its mount table (which the recorder records) holds them; the container
# does not see them, as it would not without propagation:
#   --rshared              make the host's "/" rshared first, as systemd does
#   --bind SOURCE TARGET   bind-mount host path SOURCE on host path TARGET
#   --tmpfs TARGET         mount a tmpfs on host path TARGET
# They are made in the order given; their paths must exist in TREE.
#
# Builds, with the kernel's namespaces, the situation of a privileged
# container on a host whose "/" is TREE (TREE may be "/", this machine's own
# root): a new PID and mount namespace whose PID 1 has TREE as its root and
# its own procfs (another TREE than "/" is copied onto a tmpfs of its own
# first, so that the host's "/" is the root of its file system, as on a real
# host, and the mount table names no directory of the recording machine), and a "container" with a mount namespace of its own that
# sees TREE at its own path. The recorder runs in the container with
# --rootfs TREE and reaches the host through TREE/proc/1/ns/mnt, so every
# realpath it records ran on the tree. Nothing is mounted outside the new
# namespaces; they go when the recording ends. Needs root (CAP_SYS_ADMIN),
# busybox-static, and a directory TREE/proc.
set -euo pipefail

usage() {
  echo "usage: $0 [--rshared] [--bind SOURCE TARGET]... [--tmpfs TARGET]..." \
    "NSENTERCTL TREE OUT [RECORD OPTIONS...]" >&2
  exit 2
}

if [ "${1:-}" != "--as-host" ]; then
  # The host mounts, as words for the host: "rshared", "bind SOURCE TARGET", "tmpfs TARGET".
  host_mounts=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --rshared) host_mounts+=(rshared); shift ;;
      --bind) [ $# -ge 3 ] || usage; host_mounts+=(bind "$2" "$3"); shift 3 ;;
      --tmpfs) [ $# -ge 2 ] || usage; host_mounts+=(tmpfs "$2"); shift 2 ;;
      *) break ;;
    esac
  done
  [ $# -ge 3 ] || usage
  nsenterctl="$(realpath -e "$1")"
  tree="$(realpath -e "$2")"
  out="$(realpath -m "$3")"
  shift 3
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  unshare --pid --mount --fork --propagation private -- \
    "$(realpath -e "$0")" --as-host "$nsenterctl" "$tree" "$out" "$scratch" \
    "${#host_mounts[@]}" "${host_mounts[@]}" "$@"
  exit
fi

# PID 1 of the new PID namespace, in the new (private) mount namespace.
shift
nsenterctl="$1" tree="$2" out="$3" scratch="$4" count="$5"
shift 5
host_mounts=("${@:1:$count}")
shift "$count"

mkdir "$scratch/root"
if [ "$tree" = / ]; then
  # This machine's root file system alone, without the mounts above it.
  mount --bind / "$scratch/root"
else
  mount -t tmpfs -o mode=0755 tmpfs "$scratch/root"
  cp -a "$tree/." "$scratch/root/"
fi
tree="$scratch/root"
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
set -- "${host_mounts[@]}"
while [ $# -gt 0 ]; do
  case "$1" in
    rshared) (exec -a busybox /proc/self/fd/4 mount --make-rshared /); shift ;;
    bind) (exec -a busybox /proc/self/fd/4 mount --bind "$2" "$3"); shift 3 ;;
    tmpfs) (exec -a busybox /proc/self/fd/4 mount -t tmpfs tmpfs "$2"); shift 2 ;;
  esac
done
exec 4<&-
cd /

echo go >&3
exec 3>&-
wait "$container"
