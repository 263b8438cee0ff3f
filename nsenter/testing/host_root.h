// A temporary host root holding every binary discovery requires
// (DefaultRequiredBinaries), as empty executable files: the smallest tree
// over which Nsenter::Create succeeds.
//
// Thread-safety: one owner.
#ifndef NSENTER_TESTING_HOST_ROOT_H_
#define NSENTER_TESTING_HOST_ROOT_H_

#include <string>

#include "fakehost/temp_dir.h"

namespace nsenter::testing_support {

// Writes every required binary into `dir` (relative to the root, made as
// needed) of `root`, mode 0755.
void InstallRequiredBinaries(const fakehost::TempDir& root, const std::string& dir);

class HostRoot : public fakehost::TempDir {
 public:
  // The required binaries go into `bin_dir` (a merged-/usr host by default).
  explicit HostRoot(const std::string& bin_dir = "usr/bin");

  // Adds an executable usr/bin/realpath, which the nsenter backend runs.
  void AddRealpath() const;
  // Makes proc/1/ns/mnt, the namespace file the defaults name under the
  // root, a symlink to `namespace_file`: this process's mount namespace by
  // default, which root may enter again.
  void AddMountNamespace(const std::string& namespace_file = "/proc/self/ns/mnt") const;
};

}  // namespace nsenter::testing_support

#endif  // NSENTER_TESTING_HOST_ROOT_H_
