"""The external repositories nsenter_cpp needs, as local stand-ins from Debian's packages.

Every workspace that builds nsenter_cpp calls this from its WORKSPACE: this one
and any workspace that depends on it (in Bazel 4's WORKSPACE mode a
dependency's repositories are declared by the main workspace):

    load("@nsenter_cpp//:deps.bzl", "nsenter_cpp_dependencies")
    nsenter_cpp_dependencies()

This file is the one place that knows Debian's paths; tools/bazel installs the
packages. A repository declared before the call is kept, so a workspace with
network access can declare e.g. `com_google_googletest` as an http_archive of
the upstream project first. Labels here are resolved in nsenter_cpp's own
repository (hence `str(Label(...))` for the BUILD files), so they are found
from any workspace.
"""

def _maybe(repository_rule, name, **kwargs):
    if not native.existing_rule(name):
        repository_rule(name = name, **kwargs)

def _directory_of_this_repository_impl(repository_ctx):
    # The directory named by `directory`, relative to nsenter_cpp's root:
    # a local_repository path would be taken relative to the main workspace's.
    source = repository_ctx.path(Label("//:WORKSPACE")).dirname
    for component in repository_ctx.attr.directory.split("/"):
        source = source.get_child(component)
    for child in source.readdir():
        repository_ctx.symlink(child, child.basename)

# A local_repository at a directory of nsenter_cpp, wherever nsenter_cpp is.
_directory_of_this_repository = repository_rule(
    implementation = _directory_of_this_repository_impl,
    attrs = {"directory": attr.string(mandatory = True)},
    local = True,
)

def _ldd_paths(repository_ctx, program):
    # The absolute paths of the libraries and the loader ldd names for program.
    result = repository_ctx.execute(["ldd", program], environment = {"LC_ALL": "C"})
    if result.return_code != 0:
        fail("ldd %s failed: %s%s" % (program, result.stdout, result.stderr))
    paths = []
    for line in result.stdout.splitlines():
        fields = [field for field in line.replace("\t", " ").split(" ") if field]
        if len(fields) >= 3 and fields[1] == "=>" and fields[2].startswith("/"):
            paths.append(fields[2])
        elif fields and fields[0].startswith("/"):
            paths.append(fields[0])
    return paths

def _image_host_files_impl(repository_ctx):
    # The machine's files that the nsenterctl image copies, as symlinks under
    # root/ at their absolute paths: Bazel hashes them as inputs of
    # //tools/image:archive, so an upgraded nsenter or library changes the
    # image instead of being served from a cache. The C++ runtime is found as
    # the libraries of a program built by the machine's compiler, the way
    # Bazel's toolchain links nsenterctl.
    compiler = repository_ctx.os.environ.get("CC") or repository_ctx.which("gcc")
    if not compiler:
        fail("no C++ compiler (CC or gcc) to find the C++ runtime libraries")
    repository_ctx.file("runtime.cc", "#include <iostream>\nint main() { std::cout << 1.0; }\n")
    compiled = repository_ctx.execute([
        compiler,
        "-x",
        "c++",
        "runtime.cc",
        "-o",
        "runtime",
        "-Wl,--no-as-needed",
        "-lstdc++",
        "-lm",
    ])
    if compiled.return_code != 0:
        fail("compiling a C++ program failed: %s" % compiled.stderr)
    paths = {"/usr/bin/nsenter": True}
    for program in ["/usr/bin/nsenter", "runtime"]:
        for path in _ldd_paths(repository_ctx, program):
            paths[path] = True
    repository_ctx.delete("runtime")
    repository_ctx.delete("runtime.cc")
    for path in paths:
        repository_ctx.symlink(path, "root" + path)
    repository_ctx.file("BUILD.bazel", """exports_files(glob(["root/**"]))

filegroup(
    name = "root",
    srcs = glob(["root/**"]),
    visibility = ["//visibility:public"],
)
""")

# nsenter and the shared libraries of nsenter and of C++ programs, from the
# machine (package util-linux and the C++ toolchain). Refetched when the server
# restarts or by `tools/bazel sync --configure`.
_image_host_files = repository_rule(
    implementation = _image_host_files_impl,
    environ = ["CC"],
    configure = True,
    local = True,
)

def nsenter_cpp_dependencies():
    """Declares every external repository nsenter_cpp uses that is not declared yet."""

    # Offline stand-ins for the repositories Bazel 4.2.3 would download for its
    # own C++ and Java toolchains (package bazel-bootstrap-source).
    _maybe(
        native.local_repository,
        name = "rules_cc",
        path = "/usr/src/bazel-bootstrap/mock_repos/rules_cc",
    )
    _maybe(
        native.local_repository,
        name = "rules_java",
        path = "/usr/src/bazel-bootstrap/mock_repos/rules_java",
    )

    # `bazel test` needs these two tools even when coverage is not collected.
    _maybe(
        _directory_of_this_repository,
        name = "remote_coverage_tools",
        directory = "third_party/remote_coverage_tools",
    )

    # GoogleTest and Google Mock 1.12.1, built from Debian's sources (package googletest).
    _maybe(
        native.new_local_repository,
        name = "com_google_googletest",
        build_file = str(Label("//third_party:googletest.BUILD")),
        path = "/usr/src/googletest",
    )

    # nlohmann/json 3.11 headers (package nlohmann-json3-dev).
    _maybe(
        native.new_local_repository,
        name = "nlohmann_json",
        build_file = str(Label("//third_party:nlohmann_json.BUILD")),
        path = "/usr/include/nlohmann",
    )

    # Google Benchmark 1.7 headers; the library itself is linked from the
    # system library path (package libbenchmark-dev). Only //bench uses it.
    _maybe(
        native.new_local_repository,
        name = "com_google_benchmark",
        build_file = str(Label("//third_party:benchmark.BUILD")),
        path = "/usr/include/benchmark",
    )

    # The machine's nsenter and libraries, which the image (//tools/image) copies.
    _maybe(_image_host_files, name = "nsenterctl_image_host")
