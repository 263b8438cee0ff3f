#!/bin/bash
# Formats and lints every BUILD, WORKSPACE and .bzl file of the repository
# with buildifier:
#
#   tools/lint.sh         check: lists each file that is not formatted or has
#                         a lint warning, and exits 1 if there is one
#   tools/lint.sh --fix   rewrites the files: format, and the lint fixes
#                         buildifier can make
#
# buildifier is npm's @bazel/buildifier, whose package ships the binary,
# pinned by tools/buildifier/package-lock.json. On first use `npm ci`
# installs it into a cache directory named after the lock file's hash (only
# the npm registry is contacted); afterwards this is silent when all is well.
#
# Disabled warnings: native-sh-binary and native-sh-test ask for rules_shell,
# which Bazel 4.2.3 predates and which cannot be had offline; sh_binary and
# sh_test are native rules there.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=check
case "${1:-}" in
  "") ;;
  --fix) mode=fix ;;
  *)
    echo "usage: tools/lint.sh [--fix]" >&2
    exit 2
    ;;
esac

lock=tools/buildifier/package-lock.json
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/nsenter_cpp/buildifier-$(sha256sum "$lock" | cut -c 1-16)"
buildifier="$cache/node_modules/@bazel/buildifier/buildifier-linux_amd64"
case "$(uname -m)" in
  aarch64) buildifier="${buildifier%_amd64}_arm64" ;;
esac

if [ ! -x "$buildifier" ]; then
  command -v npm >/dev/null || tools/install_packages.sh tools/lint.sh npm
  echo "tools/lint.sh: installing @bazel/buildifier with npm" >&2
  mkdir -p "$cache"
  cp tools/buildifier/package.json "$lock" "$cache/"
  npm ci --prefix "$cache" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi

mapfile -t files < <(git ls-files -- 'BUILD' 'WORKSPACE' '*.bzl' '*/BUILD' '*/WORKSPACE' \
  '*.BUILD' '*BUILD.bazel')
warnings=-native-sh-binary,-native-sh-test

if [ "$mode" = fix ]; then
  "$buildifier" -mode=fix -lint=fix -warnings="$warnings" "${files[@]}"
else
  "$buildifier" -mode=check -lint=warn -warnings="$warnings" "${files[@]}"
fi
