#!/bin/bash
# Re-records every host fixture in testdata/hosts/ from real trees:
#
#   tools/record_fixtures.sh [-h | --help] [NAME...]
#
#   debian-12-this-machine     this machine's own root (Debian 12, merged /usr)
#   debian-12-minbase          debootstrap --variant=minbase (no systemd-run)
#   debian-12-split-usr        debootstrap --no-merged-usr (/bin and /usr/bin apart)
#   busybox                    busybox-static and its applet links (its realpath
#                              does not understand -e/-m)
#   nixos-layout               binaries only under /run/current-system/sw/bin, as
#                              on NixOS: symlinks into /nix/store through
#                              /run/current-system -> the system's store path.
#                              Discovery with the default search dirs fails (its
#                              "expect"); with --search-dir /run/current-system/sw/bin
#                              it finds them (recorded with that --search-dir)
#   debian-12-kubernetes-node  debootstrap --variant=minbase with Debian's containerd,
#                              kubelet's directories as kubelet makes them, under
#                              /data/kubelet, and /var/lib/kubelet -> /data/kubelet
#                              (as some distributions keep kubelet's state on a data
#                              volume); an rshared "/" (as systemd makes it), a local
#                              volume bind-mounted into a pod's directory and a
#                              memory-backed emptyDir (a tmpfs), as kubelet mounts them
#
# Every fixture records its host's mount table: the tree's own file system as "/"
# and its procfs, and the kubernetes node's volume mounts.
# Each tree is built in a temporary directory and recorded as a host by
# tools/record_tree.sh with `nsenterctl record`, which writes only a fixture
# that loads. The debootstrap trees are Debian 12 ("bookworm", whatever this
# machine runs), from the Debian mirror this machine's apt uses. The new
# fixtures replace the committed ones only if //fakehost:fixture_suite_test
# passes with them; otherwise, or when the script is interrupted (SIGINT,
# SIGTERM, SIGHUP), the committed ones are put back. Any failed
# step stops the script with a non-zero status. Needs root, debootstrap and
# busybox-static (installed here when missing). Re-running reproduces each
# fixture apart from its "date". Exit status: 0 when every fixture was
# recorded and kept; 2, before anything is done, for an unknown option or
# NAME, or a NAME given twice; another non-zero status for any other failure.
set -euo pipefail

readonly all_names=(debian-12-this-machine debian-12-minbase debian-12-split-usr busybox
                    nixos-layout debian-12-kubernetes-node)

usage() {  # The comment at the top of this file, without its "#".
  sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
}

names=()
for arg; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "$0: unknown option '$arg'; try '$0 --help'" >&2; exit 2 ;;
    *)
      if [[ " ${all_names[*]} " != *" $arg "* ]]; then
        echo "$0: unknown fixture '$arg' (want one of: ${all_names[*]})" >&2
        exit 2
      fi
      if [[ " ${names[*]-} " == *" $arg "* ]]; then
        echo "$0: fixture '$arg' is named twice" >&2
        exit 2
      fi
      names+=("$arg")
      ;;
  esac
done
if [ ${#names[@]} -eq 0 ]; then names=("${all_names[@]}"); fi

cd "$(dirname "$0")/.."

# The Debian release of the debian-12-* fixtures.
readonly release=bookworm

tools/install_packages.sh tools/record_fixtures.sh debootstrap busybox-static

tools/bazel build //tools:nsenterctl
nsenterctl="$(tools/bazel info bazel-bin 2>/dev/null)/tools/nsenterctl"
work="$(mktemp -d)"
# Names whose committed fixture (kept in $work/committed) is replaced by one
# the suite has not passed yet; they are put back on any exit, also on
# SIGINT, SIGTERM or SIGHUP (handled once the running command returns).
unchecked=()
put_back_committed() {
  local name
  for name in "${unchecked[@]}"; do
    if [ -e "$work/committed/$name.json" ]; then
      cp "$work/committed/$name.json" "testdata/hosts/$name.json"
    else
      rm -f "testdata/hosts/$name.json"
    fi
  done
  unchecked=()
}
trap 'put_back_committed; rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$work/recorded" "$work/committed"

# The Debian archive of $release among apt's sources (the signed Release
# file's Origin says Debian), so a third-party repository is never taken.
mirror() {
  local site
  site="$(apt-get indextargets --format '$(ORIGIN) $(CODENAME) $(IDENTIFIER) $(SITE)' |
            awk -v release="$release" \
              '$1 == "Debian" && $2 == release && $3 == "Packages" { print $4; exit }')"
  if [ -z "$site" ]; then
    echo "no Debian $release archive among apt's sources (run apt-get update?)" >&2
    return 1
  fi
  echo "$site"
}

debootstrap_tree() {  # DIR [DEBOOTSTRAP OPTIONS...]
  local dir="$1" site
  shift
  site="$(mirror)"
  if ! debootstrap --variant=minbase "$@" "$release" "$dir" "$site" >"$work/debootstrap.log" 2>&1
  then
    cat "$work/debootstrap.log" >&2
    return 1
  fi
}

# This machine's own root is a debian-12 fixture only on Debian 12.
check_this_machine() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  if [ "$codename" != "$release" ]; then
    echo "this machine runs '$codename', not $release: not a debian-12 fixture" >&2
    return 1
  fi
}

busybox_tree() {  # DIR
  local dir="$1" version
  mkdir -p "$dir/bin" "$dir/proc" "$dir/etc"
  cp /bin/busybox "$dir/bin/busybox"
  chroot "$dir" /bin/busybox --install -s /bin
  version="$(/bin/busybox | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p')"
  printf 'ID=busybox\nVERSION_ID=%s\n' "$version" >"$dir/etc/os-release"
}

# NixOS's layout, store paths named as NixOS names them, tools from busybox:
# /run/current-system -> the system's store path, whose sw -> the system
# path (a buildEnv), whose bin/TOOL -> the package's store path. Only /bin/sh
# and /usr/bin/env are outside the store.
nixos_tree() {  # DIR
  local dir="$1" tool
  local package=/nix/store/0c4q1w8m1z8d7mrh4hv5n1xwq3f2zj5d-busybox-1.36.1
  local system_path=/nix/store/9x2k6d1q8h4w3m7z5c0b1n6r2f8j4l9s-system-path
  local system=/nix/store/7a1m5c9d3f2g8h6j4k0l1n5p9q3r7s2v-nixos-system-nixos-24.05
  mkdir -p "$dir$package/bin" "$dir$system_path/bin" "$dir$system" "$dir/run" "$dir/bin" \
    "$dir/usr/bin" "$dir/proc" "$dir/etc"
  cp /bin/busybox "$dir$package/bin/busybox"
  for tool in mount umount findmnt stat touch mkdir ls sh chmod realpath uname cat env; do
    ln -s busybox "$dir$package/bin/$tool"
    ln -s "$package/bin/$tool" "$dir$system_path/bin/$tool"
  done
  ln -s "$system_path" "$dir$system/sw"
  ln -s "$system" "$dir/run/current-system"
  ln -s "$package/bin/sh" "$dir/bin/sh"
  ln -s "$package/bin/env" "$dir/usr/bin/env"
  printf 'ID=nixos\nVERSION_ID=24.05\n' >"$dir/etc/os-release"
}

# A pod of kubelet's layout, and the paths the Kubernetes fixture probes.
readonly pod=/var/lib/kubelet/pods/6f1c8a52-3b0e-4a8e-9a57-1d2b3c4d5e6f
readonly configmap="$pod/volumes/kubernetes.io~configmap/config"
# A local persistent volume on the data disk, and where kubelet mounts it.
readonly local_disk=/data/disks/ssd1
readonly local_volume="$pod/volumes/kubernetes.io~local-volume/pv-ssd1"
readonly memory_volume="$pod/volumes/kubernetes.io~empty-dir/cache"
readonly kubernetes_probes=(
  /var/lib/kubelet/plugins /var/lib/kubelet/plugins_registry /var/lib/kubelet/device-plugins
  "$memory_volume" "$local_volume" "$configmap/game.properties" "$configmap/..data"
  "$pod/volumes/kubernetes.io~projected/kube-api-access-x7k2p/token" "$pod/etc-hosts"
  /usr/bin/containerd /usr/sbin/runc /etc/containerd/config.toml
)

kubernetes_node_tree() {  # DIR
  local dir="$1" data="$1/data/kubelet"
  local pod_dir="$data${pod#/var/lib/kubelet}" configmap_dir="$data${configmap#/var/lib/kubelet}"
  local projected_dir="$pod_dir/volumes/kubernetes.io~projected/kube-api-access-x7k2p"
  local version=..2024_05_20_00_00_00.000000001
  debootstrap_tree "$dir" --include=containerd
  # kubelet's setupDataDirs makes these 0750.
  mkdir -p -m 0750 "$data" "$data/pods" "$data/plugins" "$data/plugins_registry"
  mkdir -p "$data/device-plugins" "$data/pod-resources" \
    "$pod_dir/volumes/kubernetes.io~empty-dir/cache" "$pod_dir/containers/app" "$pod_dir/plugins" \
    "$projected_dir/$version" "$configmap_dir/$version" "$data${local_volume#/var/lib/kubelet}" \
    "$dir$local_disk"
  touch "$pod_dir/etc-hosts" "$configmap_dir/$version/game.properties" "$projected_dir/$version/token"
  # Atomic writers' volumes, as kubelet writes configmaps and projected
  # tokens: NAME -> ..data/NAME, ..data -> the current version's directory.
  ln -s "$version" "$configmap_dir/..data"
  ln -s ..data/game.properties "$configmap_dir/game.properties"
  ln -s "$version" "$projected_dir/..data"
  ln -s ..data/token "$projected_dir/token"
  ln -s /data/kubelet "$dir/var/lib/kubelet"
}

# Builds the tree of fixture NAME and records it into $work/recorded. Every
# command runs outside a condition, so that `set -e` stops at its failure.
build_and_record() {  # NAME
  local name="$1" tree="$work/$1"
  local -a options=() host_mounts=()
  case "$name" in
    debian-12-this-machine)
      check_this_machine
      tree=/
      ;;
    debian-12-minbase) debootstrap_tree "$tree" ;;
    debian-12-split-usr) debootstrap_tree "$tree" --no-merged-usr ;;
    busybox) busybox_tree "$tree" ;;
    nixos-layout)
      nixos_tree "$tree"
      options=(--search-dir /run/current-system/sw/bin --probe /run/current-system/sw/bin/mount)
      ;;
    debian-12-kubernetes-node)
      kubernetes_node_tree "$tree"
      host_mounts=(--rshared --bind "$local_disk" "$local_volume" --tmpfs "$memory_volume")
      local probe
      for probe in "${kubernetes_probes[@]}"; do options+=(--probe "$probe"); done
      ;;
  esac
  echo "recording $name" >&2
  tools/record_tree.sh "${host_mounts[@]}" "$nsenterctl" "$tree" "$work/recorded/$name.json" \
    --name "$name" "${options[@]}"
}

# Puts the recorded fixtures in place and runs their suite; if it fails (or
# the script is interrupted), the committed fixtures are put back.
install_if_suite_passes() {  # NAME...
  local name
  for name; do
    # The first copy of a committed fixture is the one put back: never overwrite it.
    if [ -e "testdata/hosts/$name.json" ] && [ ! -e "$work/committed/$name.json" ]; then
      cp "testdata/hosts/$name.json" "$work/committed/"
    fi
    unchecked+=("$name")
    cp "$work/recorded/$name.json" "testdata/hosts/$name.json"
  done
  if tools/bazel test //fakehost:fixture_suite_test; then
    unchecked=()
    return 0
  fi
  put_back_committed
  echo "the re-recorded fixtures fail //fakehost:fixture_suite_test; testdata/hosts is as it was" >&2
  return 1
}

mkdir -p testdata/hosts
for name in "${names[@]}"; do build_and_record "$name"; done
install_if_suite_passes "${names[@]}"
