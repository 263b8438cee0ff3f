#!/bin/sh
# Installs the Debian packages given that are not installed yet, as root or
# through sudo; silent when nothing is missing.
#
#   tools/install_packages.sh WHO PACKAGE...
#
# WHO names the caller in the one line printed before an install (e.g.
# "tools/bazel: installing umoci"). Used by tools/bazel for the build's
# packages, by .ci/run for the container runtime and by
# tools/record_fixtures.sh for debootstrap and busybox-static.
set -eu

if [ "$#" -lt 1 ]; then
  echo "usage: tools/install_packages.sh WHO PACKAGE..." >&2
  exit 2
fi
who="$1"
shift

missing=""
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q ' installed$'; then
    missing="$missing $package"
  fi
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "$who: missing packages:$missing; run as root or install sudo" >&2
  exit 1
fi
echo "$who: installing$missing" >&2
# A fresh machine may have empty or stale package lists.
$as_root apt-get update -qq >&2
# sudo's env_reset would drop a DEBIAN_FRONTEND set before it: env sets it after.
# shellcheck disable=SC2086 # $missing is a list of package names.
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
