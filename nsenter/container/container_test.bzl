"""The container suite's test rule: podman and runc on a sandbox host."""

load("@rules_cc//cc:defs.bzl", "cc_test")

# Why these tags:
#   container   the tests run a real container runtime and need root with
#               CAP_SYS_ADMIN, podman and runc. `bazel test //...` leaves
#               them out (.bazelrc: --test_tag_filters=-privileged,-container);
#               `--config=container` runs exactly them.
#   local, no-sandbox
#               they run directly on the machine, as the privileged suite does.
#   exclusive   one at a time: they remove the cgroups podman shares between
#               its containers (suite.h), and each runs a container runtime.
# "manual" is deliberately absent: it would hide the tests from `//...` even
# with --config=container.
CONTAINER_TAGS = ["container", "local", "no-sandbox", "exclusive"]

def container_cc_test(name, srcs, deps = []):
    cc_test(
        name = name,
        size = "medium",
        srcs = srcs,
        tags = CONTAINER_TAGS,
        deps = deps + [
            ":suite",
            "//nsenter/privileged:host_sandbox",
            "@com_google_googletest//:gtest_main",
        ],
    )
