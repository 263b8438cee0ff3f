// SafeMakeDir: Kubernetes' SafeMakeDir (subPath volumes), made with
// descriptors so that no symlink, present or raced in, can take it outside
// its base.
//
// `base` is resolved on the host (Nsenter::EvalSymlinks, must exist: a base
// reached through symlinks is allowed, as upstream). Then, from a descriptor
// of the host's "/" (confined_files.h: natively the resolution root, through
// nsenter the host root as the container sees it), every directory of the
// resolved base and then of `subdir` is opened with
// openat(O_RDONLY | O_DIRECTORY | O_NOFOLLOW) in its parent's descriptor; a
// missing one is made with mkdirat(2) there and set to `mode` with fchmod(2)
// (so the umask does not apply, as upstream). A component that is a symlink
// (from the start, or swapped in while the call runs) is refused, never
// followed; unlike upstream, also one whose target would stay within `base`.
// Existing directories keep their mode. No process is started beyond the
// resolution of `base` (through nsenter, the host's realpath).
//
// Example (a subPath of a pod volume):
//   nsenter::Status made = nsenter::SafeMakeDir(*ns, "data/logs", volume_path, 0750);
//
// Errors:
//   kInvalidArgument  (nothing run or opened) `base` empty, relative or
//                     NUL-bearing; `subdir` empty, absolute or NUL-bearing,
//                     or with ".." leading above `base`; `mode` beyond 07777;
//   kNotFound         `base` does not exist (from EvalSymlinks);
//   kPermissionDenied a component of the resolved base or of `subdir` is a
//                     symlink ("... is a symlink; refusing to follow it"),
//                     or was one when opened and is gone a moment later
//                     ("... changed while it was opened ..."); or a system
//                     call's EACCES/EPERM;
//   kNotADirectory    a component is a file where a directory is needed;
//   others            those of EvalSymlinks; the code of a failing system
//                     call's errno, naming the path.
// On an error, the directories made before it stay.
//
// Thread-safety: safe to call from many threads; calls on one tree race as
// mkdir(1) does, never out of `base`.
#ifndef NSENTER_MOUNT_SAFE_MAKE_DIR_H_
#define NSENTER_MOUNT_SAFE_MAKE_DIR_H_

#include <sys/types.h>

#include <string>

#include "nsenter/error.h"
#include "nsenter/nsenter.h"

namespace nsenter {

// Makes `base`/`subdir` and its missing parents below host path `base`.
Status SafeMakeDir(const Nsenter& ns, const std::string& subdir, const std::string& base,
                   mode_t mode);

}  // namespace nsenter

#endif  // NSENTER_MOUNT_SAFE_MAKE_DIR_H_
