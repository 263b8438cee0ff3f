"""The privileged suite's test rule: real namespaces and mounts, outside the sandbox."""

load("@rules_cc//cc:defs.bzl", "cc_test")

# Why these tags:
#   privileged  the tests need root with CAP_SYS_ADMIN: they create PID and
#               mount namespaces and mount file systems. `bazel test //...`
#               leaves them out (.bazelrc: --test_tag_filters=-privileged);
#               `--config=privileged` runs exactly them.
#   local, no-sandbox
#               they run directly on the machine: a sandboxing strategy may
#               put them in namespaces of its own, without the privileges and
#               the view of the machine's mounts that they need.
# "manual" is deliberately absent: it would hide the tests from `//...` even
# with --config=privileged.
PRIVILEGED_TAGS = ["privileged", "local", "no-sandbox"]

def privileged_cc_test(name, srcs, deps = [], data = [], size = "small"):
    cc_test(
        name = name,
        size = size,
        srcs = srcs,
        data = data,
        tags = PRIVILEGED_TAGS,
        deps = deps + [
            ":host_sandbox",
            "@com_google_googletest//:gtest_main",
        ],
    )
