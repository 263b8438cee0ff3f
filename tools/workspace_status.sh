#!/bin/bash
# Bazel's workspace status command (.bazelrc): the commit of the checkout, for
# `nsenterctl --version`. Stable, so a stamped action reruns only when the
# commit (or whether the tree has uncommitted changes) changes. Prints nothing
# outside a git checkout; the build then takes the commit from
# tools/nsenterctl/COMMIT (tools/nsenterctl/version.sh).
commit="$(git rev-parse HEAD 2>/dev/null)" || exit 0
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="${commit}-dirty"
fi
echo "STABLE_NSENTER_CPP_COMMIT ${commit}"
