#!/bin/bash
# Formats and lints every BUILD, WORKSPACE and .bzl file of the repository
# with buildifier:
#
#   tools/lint.sh         check: lists each file that is not formatted or has
#                         a lint warning, and exits 1 if there is one (or if
#                         buildifier fails otherwise)
#   tools/lint.sh --fix   rewrites the files: format, and the lint fixes
#                         buildifier can make
#
# buildifier is npm's @bazel/buildifier, whose package ships the binary,
# pinned by tools/buildifier/package-lock.json. On first use `npm ci`
# installs it into a cache directory named after the lock file's hash (only
# the npm registry is contacted); afterwards this is silent when all is well.
#
# The files: in a git checkout, those git tracks or would track (new files
# too, not ignored ones); elsewhere (an unpacked dist archive) every such file
# under the root, bazel-* output links left out.
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
  npm_log="$(mktemp)"
  if ! npm ci --prefix "$cache" --ignore-scripts --no-audit --no-fund --loglevel=error \
    >"$npm_log" 2>&1; then
    echo "tools/lint.sh: npm could not install @bazel/buildifier (is the npm registry" \
      "reachable?); npm's output is in $npm_log" >&2
    exit 1
  fi
  rm -f "$npm_log"
fi

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
    'BUILD' 'WORKSPACE' '*.bzl' '*/BUILD' '*/WORKSPACE' '*.BUILD' '*BUILD.bazel')
else
  mapfile -t files < <(find . -path './bazel-*' -prune -o -type f \
    \( -name BUILD -o -name WORKSPACE -o -name '*.bzl' -o -name '*.BUILD' \
    -o -name '*BUILD.bazel' \) -print | LC_ALL=C sort)
fi
# With no files buildifier would read stdin.
if [ "${#files[@]}" -eq 0 ]; then
  echo "tools/lint.sh: no BUILD, WORKSPACE or .bzl files found under $(pwd)" >&2
  exit 1
fi
warnings=-native-sh-binary,-native-sh-test

if [ "$mode" = fix ]; then
  "$buildifier" -mode=fix -lint=fix -warnings="$warnings" "${files[@]}"
elif ! "$buildifier" -mode=check -lint=warn -warnings="$warnings" "${files[@]}"; then
  exit 1
fi
