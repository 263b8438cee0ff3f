// Discovery of the host binaries the library runs.
//
// For each binary, `<dir>/<name>` is looked at on the host for each search dir
// in order; the first that is an executable regular file wins and is recorded
// as the host path `<dir>/<name>` (e.g. "/usr/bin/mount"). A required binary
// that is found nowhere fails discovery with
//   "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under /rootfs)".
//
// The host's files are seen through a FileView of the host root, and
// symlinks are resolved inside it, as on the host: an absolute link such as
// `/usr/sbin/mount -> /bin/mount.util-linux` counts when the host has its
// target, whatever the container has at that path. (Kubernetes' original
// stats `<root>/usr/sbin/mount` in the container's view, which follows such a
// link into the container's own /bin, and accepts directories and
// non-executable files named like a binary.)
//
// Cost: DiscoverBinaries resolves each search dir once and looks each name
// up in it with one view call; a name that is a symlink is resolved as
// `<dir>/<name>` from "/" (IsExecutableFile), with the same answer.
//
// Thread-safety: pure functions of their arguments and the view.
#ifndef NSENTER_DISCOVERY_H_
#define NSENTER_DISCOVERY_H_

#include <map>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/file_view.h"

namespace nsenter {

// The original's search dirs, in order: "/", "/bin", "/usr/sbin", "/usr/bin".
const std::vector<std::string>& DefaultSearchDirs();
// The binaries the original requires: mount findmnt umount stat touch mkdir ls sh chmod.
const std::vector<std::string>& DefaultRequiredBinaries();
// The binaries looked up but not required: systemd-run and realpath.
const std::vector<std::string>& DefaultOptionalBinaries();

struct DiscoveryRequest {
  std::string host_root;                       // E.g. "/rootfs"; for messages.
  std::vector<std::string> search_dirs;        // Absolute host directories.
  std::vector<std::string> required_binaries;  // Missing one fails discovery.
  std::vector<std::string> optional_binaries;  // Missing ones are left out.
};

// Binary name → absolute host path, for every binary found.
using BinaryPaths = std::map<std::string, std::string>;

// Finds the binaries in `host_files`, a view of the host root. Errors:
// kInvalidArgument for a relative or NUL-bearing root or search dir, or a
// binary name that is empty or contains a '/' or a NUL; kNotFound for the
// first required binary found nowhere (in request order); a view error other
// than "missing" (e.g. kInternal) as it is.
Result<BinaryPaths> DiscoverBinaries(const DiscoveryRequest& request, const FileView& host_files);

// Whether absolute host path `host_path` is, after its symlinks (resolved in
// `host_files`), an executable regular file: the test discovery applies to
// each candidate. A view error that says "not there" (kNotFound,
// kNotADirectory, kLoop, kPermissionDenied, ...) is a no; kInternal and
// kInvalidArgument are returned.
Result<bool> IsExecutableFile(const FileView& host_files, const std::string& host_path);

}  // namespace nsenter

#endif  // NSENTER_DISCOVERY_H_
