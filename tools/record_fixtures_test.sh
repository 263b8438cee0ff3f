#!/bin/bash
# tools/record_fixtures.sh stops at the first failed step and replaces a
# committed fixture only when the fixture suite passes with the new one. Run
# in a copy of the script's surroundings where the tools it calls are stubs:
# tools/bazel (build, info, and `test`, which exits $SUITE_STATUS),
# tools/record_tree.sh (writes "recorded NAME"), and debootstrap, chroot,
# apt-get and dpkg-query on PATH. Also: a SIGTERM during the suite leaves the
# committed fixture in place; --help prints the usage, and an unknown option
# or fixture exits 2 before anything runs.
set -euo pipefail

repo="$TEST_TMPDIR/repo"
stubs="$TEST_TMPDIR/bin"
mkdir -p "$repo/tools" "$repo/testdata/hosts" "$stubs"
cp tools/record_fixtures.sh tools/install_packages.sh "$repo/tools/"

stub() {  # PATH BODY
  printf '#!/bin/bash\n%s\n' "$2" >"$1"
  chmod +x "$1"
}
# With $SUITE_WAITS, `test` says it started and waits for $TEST_TMPDIR/release.
stub "$repo/tools/bazel" 'case "$1" in
  test)
    if [ -n "${SUITE_WAITS:-}" ]; then
      touch "$TEST_TMPDIR/started"
      for _ in $(seq 600); do [ -e "$TEST_TMPDIR/release" ] && break; sleep 0.1; done
    fi
    exit "$SUITE_STATUS" ;;
  info) echo /nonexistent ;;
esac'
stub "$repo/tools/record_tree.sh" 'echo "recorded $5" >"$3"'
stub "$stubs/dpkg-query" 'echo "install ok installed"'
# A third-party repository for the same release comes first.
stub "$stubs/apt-get" 'echo "Acme bookworm Packages http://acme.example/apt"
echo "Debian bookworm Packages http://deb.example/debian"'
stub "$stubs/debootstrap" 'echo "$*" >"$TEST_TMPDIR/debootstrap.args"; exit "$DEBOOTSTRAP_STATUS"'
stub "$stubs/chroot" "echo \"chroot: failed to run command '/bin/busybox': Permission denied\" >&2; exit 126"
export PATH="$stubs:$PATH"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs the script on NAME; fails the test unless it exits as EXPECTED (0 or
# "non-zero") and leaves testdata/hosts/NAME.json with CONTENT.
check() {  # NAME EXPECTED CONTENT
  local name="$1" expected="$2" content="$3" status=0
  echo committed >"$repo/testdata/hosts/$name.json"
  "$repo/tools/record_fixtures.sh" "$name" >"$TEST_TMPDIR/log" 2>&1 || status=$?
  if [ "$expected" = 0 ] && [ "$status" -ne 0 ]; then
    cat "$TEST_TMPDIR/log" >&2; fail "$name: exit status $status, expected 0"
  fi
  if [ "$expected" != 0 ] && [ "$status" -eq 0 ]; then
    cat "$TEST_TMPDIR/log" >&2; fail "$name: exit status 0 after a failed step"
  fi
  [ "$(cat "$repo/testdata/hosts/$name.json")" = "$content" ] ||
    fail "$name: testdata/hosts/$name.json is '$(cat "$repo/testdata/hosts/$name.json")'"
}

# A failing command inside a tree builder (chroot on a noexec TMPDIR).
SUITE_STATUS=0 DEBOOTSTRAP_STATUS=0 check busybox non-zero committed
# A failing debootstrap.
SUITE_STATUS=0 DEBOOTSTRAP_STATUS=1 check debian-12-minbase non-zero committed
# A recording the suite fails on is not kept.
SUITE_STATUS=1 DEBOOTSTRAP_STATUS=0 check debian-12-minbase non-zero committed
# A good one is, built from Debian's archive of the named release.
SUITE_STATUS=0 DEBOOTSTRAP_STATUS=0 check debian-12-minbase 0 "recorded debian-12-minbase"
args="$(cat "$TEST_TMPDIR/debootstrap.args")"
[[ "$args" == *" bookworm "*" http://deb.example/debian" ]] || fail "debootstrap ran as: $args"
# Killed while the suite runs: the committed fixture is put back, although
# the suite then passes.
echo committed >"$repo/testdata/hosts/debian-12-minbase.json"
SUITE_WAITS=1 SUITE_STATUS=0 DEBOOTSTRAP_STATUS=0 \
  "$repo/tools/record_fixtures.sh" debian-12-minbase >"$TEST_TMPDIR/log" 2>&1 &
script=$!
for _ in $(seq 600); do [ -e "$TEST_TMPDIR/started" ] && break; sleep 0.1; done
[ -e "$TEST_TMPDIR/started" ] || fail "the suite never started"
kill -TERM "$script"
touch "$TEST_TMPDIR/release"
status=0
wait "$script" || status=$?
[ "$status" -ne 0 ] || fail "exit status 0 after SIGTERM"
[ "$(cat "$repo/testdata/hosts/debian-12-minbase.json")" = committed ] ||
  fail "after SIGTERM, the fixture is '$(cat "$repo/testdata/hosts/debian-12-minbase.json")'"
# --help and -h print the usage and do nothing else; an unknown option or
# fixture is bad usage (2), refused before anything runs.
rm -f "$TEST_TMPDIR/debootstrap.args"
for help in --help -h; do
  status=0
  "$repo/tools/record_fixtures.sh" "$help" >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err" || status=$?
  [ "$status" -eq 0 ] || fail "$help: exit status $status"
  grep -q '^  tools/record_fixtures.sh \[-h | --help\] \[NAME...\]$' "$TEST_TMPDIR/out" ||
    fail "$help printed: $(cat "$TEST_TMPDIR/out")"
  grep -q '^  nixos-layout ' "$TEST_TMPDIR/out" || fail "$help does not list the fixtures"
  [ ! -s "$TEST_TMPDIR/err" ] || fail "$help wrote to stderr: $(cat "$TEST_TMPDIR/err")"
done
for bad in --frobnicate -x debian-13; do
  status=0
  "$repo/tools/record_fixtures.sh" debian-12-minbase "$bad" >"$TEST_TMPDIR/out" \
    2>"$TEST_TMPDIR/err" || status=$?
  [ "$status" -eq 2 ] || fail "$bad: exit status $status, expected 2"
  grep -q "'$bad'" "$TEST_TMPDIR/err" || fail "$bad: the message does not name it: $(cat "$TEST_TMPDIR/err")"
  [ ! -e "$TEST_TMPDIR/debootstrap.args" ] || fail "$bad: debootstrap ran"
done
# A fixture named twice is refused before anything runs, so its committed
# copy (the one put back when the suite fails) is never overwritten.
echo committed >"$repo/testdata/hosts/debian-12-minbase.json"
status=0
SUITE_STATUS=1 DEBOOTSTRAP_STATUS=0 "$repo/tools/record_fixtures.sh" debian-12-minbase \
  debian-12-minbase >"$TEST_TMPDIR/out" 2>"$TEST_TMPDIR/err" || status=$?
[ "$status" -eq 2 ] || fail "a name given twice: exit status $status, expected 2"
grep -q "'debian-12-minbase' is named twice" "$TEST_TMPDIR/err" ||
  fail "a name given twice: $(cat "$TEST_TMPDIR/err")"
[ ! -e "$TEST_TMPDIR/debootstrap.args" ] || fail "a name given twice: debootstrap ran"
[ "$(cat "$repo/testdata/hosts/debian-12-minbase.json")" = committed ] ||
  fail "a name given twice: the fixture is '$(cat "$repo/testdata/hosts/debian-12-minbase.json")'"
echo PASS
