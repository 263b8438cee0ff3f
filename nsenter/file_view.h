// FileView: the host's files as the path resolver sees them.
//
// The resolver (realpath_resolver.h) implements GNU realpath's semantics once,
// over this interface; the native backend answers from the real host root and
// the fake host (//fakehost) from its in-memory tree. Paths given to a view
// are absolute host paths whose every directory component has already been
// resolved by the resolver (no symlink before the last component), so a view
// never follows a symlink itself.
//
// Errors of both methods carry the code of the errno a system call would
// give: kNotFound (ENOENT), kNotADirectory (ENOTDIR), kPermissionDenied
// (EACCES), kNameTooLong (ENAMETOOLONG), kLoop (ELOOP, e.g. a refused /proc
// magic link).
//
// Thread-safety: implementations must allow concurrent calls.
#ifndef NSENTER_FILE_VIEW_H_
#define NSENTER_FILE_VIEW_H_

#include <sys/types.h>

#include <string>

#include "nsenter/error.h"

namespace nsenter {

enum class FileType { kRegular, kDirectory, kSymlink, kOther };

// What lstat(2) tells about one file.
struct FileStat {
  FileType type = FileType::kOther;
  dev_t device = 0;  // Together with inode, the file's identity.
  ino_t inode = 0;
  mode_t mode = 0;   // Permission bits (07777).
};

class FileView {
 public:
  virtual ~FileView() = default;

  // lstat(2) of `host_path`: the file itself, not a symlink's target.
  virtual Result<FileStat> Lstat(const std::string& host_path) const = 0;

  // readlink(2) of `host_path`: the target text of a symlink, byte for byte.
  // Fails (kInvalidArgument) if the file is not a symlink.
  virtual Result<std::string> Readlink(const std::string& host_path) const = 0;
};

}  // namespace nsenter

#endif  // NSENTER_FILE_VIEW_H_
