// Descriptor-based access to the host's files from the container, never
// following a symlink: the system calls beneath HostFiles' native route and
// SafeMakeDir.
//
// A host path is reached from a directory descriptor of the host's "/" one
// name at a time, each with openat(O_NOFOLLOW | O_DIRECTORY) relative to the
// descriptor of its parent, so no string is ever resolved by the kernel from
// the container's root, and a component that is (or becomes, in a race) a
// symlink is refused instead of followed. Callers resolve symlinks first,
// confined to the host (Nsenter::EvalSymlinks); a symlink met here means the
// tree changed in between, or a path that must not hold one (SafeMakeDir).
//
// Errors common to the functions below, each naming the host path of the
// component at fault: kPermissionDenied "... is a symlink; refusing to follow
// it", or "... changed while it was opened ...; refusing to follow it" when
// the open was refused for a symlink or file that was gone a moment later (a
// race); kNotADirectory for another file where a directory is needed; the
// code of the failing call's errno otherwise (kNotFound, kPermissionDenied,
// ...).
//
// Thread-safety: functions of their arguments; descriptors are not shared.
#ifndef NSENTER_MOUNT_CONFINED_FILES_H_
#define NSENTER_MOUNT_CONFINED_FILES_H_

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/nsenter.h"
#include "nsenter/unique_fd.h"

namespace nsenter {

// The container-side directory that stands for the host's "/" in `ns`'s file
// operations, opened (O_RDONLY | O_DIRECTORY): natively the resolution root
// (nsenter.h: <host root>/proc/<pid>/root, or the host root after the
// fallback), where EvalSymlinks resolved; through nsenter the host root
// itself (the container's view of the host's "/", which shows the host's
// mounts as far as they propagate to it).
// Errors: the code of open(2)'s errno, naming the directory.
Result<UniqueFd> OpenHostRootDirectory(const Nsenter& ns);

// The names of host path `path`, made clean first (CleanAbsolutePath):
// "/a//b/../c" → {"a", "c"}; "/" → {}. `path` must be absolute.
std::vector<std::string> HostPathNames(std::string_view path);

// How OpenDirectoryBelow makes a missing directory.
struct DirectoryCreation {
  mode_t mode = 0777;       // Given to mkdirat(2), so filtered by the umask...
  bool exact_mode = false;  // ...unless this is set: then fchmod(2) to `mode`.
};

// The directory that `names` lead to from directory `start` (host path
// `start_path`), opened (O_RDONLY | O_DIRECTORY). With `creation`, a missing
// name is first made with mkdirat(2) in its parent's descriptor (one that
// appears meanwhile is taken as found, and checked like any other).
// Errors: the common ones; kNotFound for a missing name without `creation`.
Result<UniqueFd> OpenDirectoryBelow(int start, std::string_view start_path,
                                    const std::vector<std::string>& names,
                                    const std::optional<DirectoryCreation>& creation);

// lstat(2) of host path `path` below `root` (the host's "/"); the directories
// on the way are opened as OpenDirectoryBelow does, and the file itself must
// not be a symlink.
// Errors: the common ones (kNotFound for a missing file).
Result<struct stat> StatBelow(int root, std::string_view path);

// Whether host path `path` below `root` (the host's "/") is itself a
// symlink (lstat(2)), the directories on the way opened as
// OpenDirectoryBelow does.
// Errors: the common ones (kNotFound for a missing file).
Result<bool> IsSymlinkBelow(int root, std::string_view path);

// Whether host path `path` below `root` (the host's "/") is the root of a
// mount (a bind mount of a directory onto itself included): statx(2)'s
// STATX_ATTR_MOUNT_ROOT, the directories on the way opened as
// OpenDirectoryBelow does; "/" is `root` itself. The file must not be a
// symlink. No process is started.
// Errors: the common ones (kNotFound for a missing file); kInternal where
// the kernel does not report STATX_ATTR_MOUNT_ROOT (before Linux 5.8).
Result<bool> IsMountRootBelow(int root, std::string_view path);

// mkdir(1) of host path `path` below `root` (the host's "/"): makes the
// directory with mkdirat(2) in its parent's descriptor, the directories on
// the way opened as OpenDirectoryBelow does. With `parents` (mkdir -p) the
// missing ones on the way are made too (mode 0777 filtered by the umask),
// and an existing directory at `path` is no error; without, the parent must
// exist and `path` must not. The directory made gets `mode` exactly (fchmod(2)
// after the mkdirat, so the umask does not apply) or, without `mode`, 0777
// filtered by the umask; an existing directory keeps its mode.
// Errors: the common ones (kNotFound for a missing parent without
// `parents`); kAlreadyExists for anything at `path` without `parents`, for
// a file there with them.
Status MakeDirectoryBelow(int root, std::string_view path, bool parents,
                          std::optional<mode_t> mode);

// touch(1) of host path `path` below `root`: creates the file (mode 0666,
// filtered by the umask) if it is missing, else sets its times to now. Its
// parent directory must exist; the file must not be a symlink.
// Errors: the common ones (kNotFound for a missing parent).
Status TouchBelow(int root, std::string_view path);

}  // namespace nsenter

#endif  // NSENTER_MOUNT_CONFINED_FILES_H_
