// Which file a host path names below a root directory, found two ways, for
// the resolver fuzzer's confinement check: by the kernel's confined lookup,
// and by a walk that cannot leave the root because it follows nothing.
//
// Thread-safety: pure functions of the file system.
#ifndef NSENTER_FUZZ_IN_ROOT_H_
#define NSENTER_FUZZ_IN_ROOT_H_

#include <sys/types.h>

#include <string>

#include "nsenter/error.h"

namespace nsenter {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;

  bool operator==(const FileIdentity&) const = default;
};

// The file `host_path` (absolute) names below the directory `root_fd`, looked
// up by openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: symlinks
// before the last component are followed with the root as "/", the last one
// is not followed. Errors: the code of openat2's errno (kInternal where the
// kernel lacks openat2, before Linux 5.6).
Result<FileIdentity> IdentityInRoot(int root_fd, const std::string& host_path);

// The same file found by opening one component at a time with O_NOFOLLOW:
// every component before the last must be a directory (not a symlink), and
// the last one is not followed. "." and ".." components are refused
// (kInvalidArgument); empty ones ("//") are skipped.
Result<FileIdentity> IdentityByWalk(int root_fd, const std::string& host_path);

}  // namespace nsenter

#endif  // NSENTER_FUZZ_IN_ROOT_H_
