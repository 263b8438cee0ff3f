// HostFiles: the host-file operations of Kubernetes' nsenter-based host
// utilities (HostUtil): what a host path is, who owns it, and making
// directories and files on the host, from a privileged container.
//
// Each host path is resolved on the host first, with `Nsenter::EvalSymlinks`
// (the host's realpath through nsenter; natively the in-process resolver,
// confined to the resolution root), and then examined or made:
//   - Through nsenter (Backend::kNsenter), by the discovered host binaries,
//     run in the C locale with exactly these arguments:
//       stat -L --printf=%f:%u:%g -- PATH   (Stat and everything built on it)
//       mkdir [-p] [-m MODE] -- PATH        (MakeDir; MODE in octal, "0750")
//       touch -- PATH                       (MakeFile)
//   - Natively (Backend::kNative), by system calls in the container below a
//     descriptor of the resolution root, with no process started: each
//     directory of the resolved path is opened with openat(O_NOFOLLOW) in its
//     parent's descriptor (confined_files.h), so a symlink that appears after
//     the resolution is refused (kPermissionDenied) instead of followed out of
//     the root.
//
// Example (a hostPath volume of type DirectoryOrCreate):
//   const nsenter::HostFiles files(**ns);  // ns: Nsenter::Create's result
//   nsenter::Result<bool> exists = files.PathExists("/var/log/pods");
//   if (exists.ok() && !*exists) status = files.MakeDir("/var/log/pods");
//   nsenter::Result<nsenter::HostFileType> type = files.GetFileType("/var/log/pods");
//
// Errors common to every operation: kInvalidArgument for an empty, relative
// or NUL-bearing path, nothing run or opened; those of EvalSymlinks
// (nsenter.h: kNotFound for a missing path where it must exist, kLoop,
// kNotADirectory, kPermissionDenied, ...). Then the two routes give one
// failure the same code: natively the code of the system call's errno
// (error.h's ErrorCodeFromErrno), through nsenter the code of the errno the
// tool's message names (tool_messages.h), its status and output kept:
//   kNotFound          "No such file or directory" / ENOENT
//   kNotADirectory     "Not a directory" / ENOTDIR (a file on the way)
//   kAlreadyExists     "File exists" / EEXIST
//   kLoop              "Too many levels of symbolic links" / ELOOP (natively:
//                      a symlink loop the resolution left in the path)
//   kPermissionDenied  "Permission denied" / EACCES, "Operation not
//                      permitted" / EPERM, and
//                      "Read-only file system" / EROFS
//   kNameTooLong       "File name too long" / ENAMETOOLONG
// Otherwise, through nsenter, those of running the host binary (nsenter.h:
// kNonZeroExit with its status and output, ...); natively those of
// confined_files.h (kPermissionDenied for a symlink met after resolution).
//
// Lifetime: a HostFiles borrows the `Nsenter` it is given, which must
// outlive it (as HostMounter).
//
// Thread-safety: immutable after construction; all methods may be called
// from many threads at once.
#ifndef NSENTER_MOUNT_HOST_FILES_H_
#define NSENTER_MOUNT_HOST_FILES_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "nsenter/error.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"

namespace nsenter {

// What a host path is, after its symlinks are followed: Kubernetes'
// HostPathType names, plus kFifo (which Kubernetes reports as an error).
enum class HostFileType { kDirectory, kFile, kSocket, kCharDevice, kBlockDevice, kFifo };

// "Directory", "File", "Socket", "CharDevice", "BlockDevice", "FIFO".
std::string_view HostFileTypeName(HostFileType type);

struct HostOwner {
  uid_t uid = 0;
  gid_t gid = 0;
  bool operator==(const HostOwner&) const = default;
};

// What stat(1) -L tells of a host path.
struct HostFileStat {
  HostFileType type = HostFileType::kFile;
  mode_t mode = 0;  // Permission bits, 07777.
  HostOwner owner;
  bool operator==(const HostFileStat&) const = default;
};

// How MakeDir makes a directory, as mkdir(1)'s -p and -m.
struct MakeDirOptions {
  // Make the missing parents too, and take an existing directory at the path
  // as made (mkdir -p); otherwise its parent must exist and it must not.
  bool parents = true;
  // The permission bits (at most 07777) the directory made gets, exactly,
  // whatever the umask (mkdir -m); without it, 0777 filtered by the umask.
  // Parents made on the way get 0777 filtered by the umask, and an existing
  // directory keeps its mode, as with mkdir(1).
  std::optional<mode_t> mode = std::nullopt;
};

class HostFiles {
 public:
  // `ns` must outlive the HostFiles (it is borrowed, not owned). `options`
  // tells GetSELinuxSupport whose mount table to read (as HostMounter).
  explicit HostFiles(const Nsenter& ns, HostMounterOptions options = {});

  // The type, permission bits and owner of the file at host path `path`,
  // its symlinks followed (EvalSymlinks must_exist, then the stat). This is
  // `stat -L PATH` on the host but for one difference, by design: realpath,
  // and so EvalSymlinks, follows a chain of symlinks of any length, where
  // the kernel gives up after 40 (ELOOP), so a path that reaches its file
  // through more than 40 symlinks is stat'ed here and refused by stat(1).
  // Errors: the common ones (kNotFound for a missing path, also when stat(1)
  // reports "No such file or directory" because it went meanwhile);
  // kInternal for stat output that is not "HEX:UID:GID" or a mode of no
  // known type.
  Result<HostFileStat> Stat(const std::string& path) const;

  // Stat(path)'s type, mode and owner alone. Errors: those of Stat.
  Result<HostFileType> GetFileType(const std::string& path) const;
  Result<mode_t> GetMode(const std::string& path) const;
  Result<HostOwner> GetOwner(const std::string& path) const;

  // Whether `path` is a character or block device. Errors: those of Stat.
  Result<bool> PathIsDevice(const std::string& path) const;

  // Whether host path `path` exists, its symlinks followed (EvalSymlinks
  // without must_exist, then the stat): false when the path or its target is
  // missing. Errors: the common ones other than kNotFound.
  Result<bool> PathExists(const std::string& path) const;

  // `mkdir [-p] [-m MODE]`: makes the directory at host path `path` as
  // `options` say; by default `mkdir -p` (its missing parents too, and an
  // existing directory is no error). Through nsenter the path is passed to
  // mkdir as given (the host resolves it, as upstream); natively each prefix
  // of the path is resolved (EvalSymlinks must_exist) up to the first that
  // is missing, then the path (EvalSymlinks without must_exist), and each
  // missing directory is made with mkdirat(2) in its parent's descriptor
  // (confined_files.h). As with mkdir(1), a dangling symlink is never
  // followed to make its target: at the last name, or on the way with
  // `parents`, it is a file that exists (kAlreadyExists, or kNotADirectory
  // on the way where its target lies under a file); on the way without
  // `parents`, mkdir(2) follows it to what it misses (kNotFound, or
  // kNotADirectory). Nothing is made then.
  // Errors: the common ones; kInvalidArgument for a mode beyond 07777
  // (nothing run); kAlreadyExists for a file at `path` (a dangling symlink
  // included), or a directory without `parents` (mkdir's "File exists");
  // kNotFound for a missing parent without `parents`; kNotADirectory where
  // a file is on the way.
  Status MakeDir(const std::string& path, const MakeDirOptions& options = {}) const;

  // `touch`: creates host path `path` as an empty file (mode 0666 filtered
  // by the umask) if it is missing, else sets its times to now; its parent
  // must exist. Through nsenter the path is passed to touch as given;
  // natively it is resolved as for MakeDir. Errors: the common ones
  // (kNotFound for a missing parent).
  Status MakeFile(const std::string& path) const;

  // Whether the mount holding host path `path` supports SELinux labels: its
  // super options (List(), the last mount whose mount point is `path` or one
  // of its parents, after EvalSymlinks must_exist) hold "seclabel".
  // Errors: the common ones; those of HostMounter::List; kNotFound when no
  // mount holds the path.
  Result<bool> GetSELinuxSupport(const std::string& path) const;

 private:
  // Stat of `resolved`, a host path without symlinks.
  Result<HostFileStat> StatResolved(const std::string& resolved) const;
  Result<HostFileStat> StatNatively(const std::string& resolved) const;
  Result<HostFileStat> StatThroughNsenter(const std::string& resolved) const;
  // `error` of a native operation on `resolved`, a resolution that may keep
  // a symlink the resolver could not follow: where a symlink was refused
  // (kPermissionDenied) and resolving `resolved` again finds a loop, that
  // kLoop error, as the host's tools report ELOOP; `error` otherwise.
  Error NativeFailure(const Error& error, const std::string& resolved) const;
  // mkdir(1)'s failure where host path `path` meets a dangling symlink
  // before its first missing name, `root` being the host's "/": at the last
  // name, or on the way with `parents` (-p), the link is a file that exists
  // (kAlreadyExists); on the way without `parents`, mkdir(2) follows it to
  // what it misses (the resolution's kNotFound), and a target under a file
  // is kNotADirectory. std::nullopt where no dangling symlink comes first.
  std::optional<Error> DanglingSymlinkFailure(int root, const std::string& path,
                                              bool parents) const;
  Status MakeDirThroughNsenter(const std::string& path, const MakeDirOptions& options) const;
  bool native() const { return ns_.backend() == Backend::kNative; }

  const Nsenter& ns_;
  HostMounter mounter_;
};

}  // namespace nsenter

#endif  // NSENTER_MOUNT_HOST_FILES_H_
