// Discovery of the host binaries the library runs.
//
// For each binary, `<host_root><dir>/<name>` is checked for each search dir in
// order; the first that exists wins and is recorded as the host path
// `<dir>/<name>` (e.g. "/usr/bin/mount"). A required binary that is found
// nowhere fails discovery with
//   "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under /rootfs)".
//
// Existence is checked with stat(2) in the caller's view of the file system,
// as Kubernetes' original does: a symlink counts when its target exists as
// seen from the caller.
//
// Thread-safety: pure functions of their arguments and the file system.
#ifndef NSENTER_DISCOVERY_H_
#define NSENTER_DISCOVERY_H_

#include <map>
#include <string>
#include <vector>

#include "nsenter/error.h"

namespace nsenter {

// The original's search dirs, in order: "/", "/bin", "/usr/sbin", "/usr/bin".
const std::vector<std::string>& DefaultSearchDirs();
// The binaries the original requires: mount findmnt umount stat touch mkdir ls sh chmod.
const std::vector<std::string>& DefaultRequiredBinaries();
// The binaries looked up but not required: systemd-run and realpath.
const std::vector<std::string>& DefaultOptionalBinaries();

struct DiscoveryRequest {
  std::string host_root;                       // E.g. "/rootfs".
  std::vector<std::string> search_dirs;        // Absolute host directories.
  std::vector<std::string> required_binaries;  // Missing one fails discovery.
  std::vector<std::string> optional_binaries;  // Missing ones are left out.
};

// Binary name → absolute host path, for every binary found.
using BinaryPaths = std::map<std::string, std::string>;

// Finds the binaries. Errors: kInvalidArgument for a relative or NUL-bearing
// root or search dir, or a binary name that is empty or contains a '/' or a
// NUL; kNotFound for the first required binary found nowhere (in request order).
Result<BinaryPaths> DiscoverBinaries(const DiscoveryRequest& request);

}  // namespace nsenter

#endif  // NSENTER_DISCOVERY_H_
