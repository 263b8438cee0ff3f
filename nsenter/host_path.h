// Lexical work on host paths: validation, joining under a root, and the
// container-side view of a host path.
//
// These functions never touch the file system. A host path is an absolute
// path in the host's mount namespace ("/var/lib/kubelet"); the host root is
// where the host's "/" is mounted in the container ("/rootfs").
//
// Thread-safety: pure functions.
#ifndef NSENTER_HOST_PATH_H_
#define NSENTER_HOST_PATH_H_

#include <string>
#include <string_view>

#include "nsenter/error.h"

namespace nsenter {

// kInvalidArgument, naming `what` and the path, unless `path` is non-empty,
// absolute and free of NUL bytes.
Status ValidateAbsolutePath(std::string_view what, const std::string& path);

// `root` and `path` joined by one slash, runs of slashes squashed and a
// trailing slash dropped: ("/rootfs/", "//usr/bin/") → "/rootfs/usr/bin".
// Purely textual: "." and ".." are kept as they are.
std::string JoinHostPath(std::string_view root, std::string_view path);

// `path` with "." and empty components removed and ".." applied textually,
// never climbing above "/": "/a/./b/../../../etc" → "/etc". `path` must be
// absolute.
std::string CleanAbsolutePath(std::string_view path);

// The container-side path of host path `path` under `host_root`:
// KubeletPath("/rootfs", "//some/path") → "/rootfs/some/path". ".." in
// `path` never climbs above the root: "/../etc" → "/rootfs/etc".
// Errors: kInvalidArgument for an empty, relative or NUL-bearing path or root.
Result<std::string> KubeletPath(const std::string& host_root, const std::string& path);

}  // namespace nsenter

#endif  // NSENTER_HOST_PATH_H_
