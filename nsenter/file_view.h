// FileView: the host's files as the path resolver sees them.
//
// The resolver (realpath_resolver.h) implements GNU realpath's semantics once,
// over this interface; the native backend answers from the real host root and
// the fake host (//fakehost) from its in-memory tree. Paths given to a view
// are absolute host paths whose every directory component has already been
// resolved by the resolver (no symlink before the last component), so a view
// never follows a symlink itself.
//
// Three ways to ask:
//   - By path: Lstat and Readlink, each a lookup from the view's "/".
//   - With a cursor (what the resolver uses): OpenDirectory gives a handle on
//     a directory (natively an O_PATH descriptor), and LookUp looks up one or
//     more components below it, reading a symlink's target in the same call.
//     Each component then costs one lookup relative to its parent instead of
//     a walk from "/". A view without handles of its own (the fake host, test
//     views) inherits the defaults below, which answer LookUp with Lstat and
//     Readlink of each prefix, so a cursor is just the path it stands for.
//   - For a file's contents: ReadFile, which the host mounter uses for the
//     host's mount table (<host root>/proc/<pid>/mountinfo on a real host).
//
// Errors of all methods carry the code of the errno a system call would
// give: kNotFound (ENOENT), kNotADirectory (ENOTDIR), kPermissionDenied
// (EACCES), kNameTooLong (ENAMETOOLONG), kLoop (ELOOP: a symlink where a
// directory is needed, in a multi-component LookUp), kUnsupported (a
// procfs link such as /proc/self/root, whose target depends on the process
// that follows it).
//
// Thread-safety: implementations must allow concurrent calls; a Directory is
// used by one thread at a time and must not outlive its view.
#ifndef NSENTER_FILE_VIEW_H_
#define NSENTER_FILE_VIEW_H_

#include <sys/types.h>

#include <cstddef>
#include <memory>
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
  // A handle on a directory the view has found: the resolver's cursor. What
  // it holds is the view's business (the base class's holds nothing).
  class Directory {
   public:
    virtual ~Directory() = default;
  };

  // What LookUp found.
  struct Found {
    FileStat stat;
    std::string target;                    // A symlink's target text, byte for byte.
    std::unique_ptr<Directory> directory;  // Set if stat.type is kDirectory.
  };

  virtual ~FileView() = default;

  // lstat(2) of `host_path`: the file itself, not a symlink's target.
  virtual Result<FileStat> Lstat(const std::string& host_path) const = 0;

  // readlink(2) of `host_path`: the target text of a symlink, byte for byte.
  // Fails (kInvalidArgument) if the file is not a symlink.
  virtual Result<std::string> Readlink(const std::string& host_path) const = 0;

  // A cursor on `host_path`, a directory reached from "/" without following
  // any symlink (the resolver asks this of a prefix it has resolved, e.g.
  // after ".."). The default checks with Lstat that it is a directory.
  virtual Result<std::unique_ptr<Directory>> OpenDirectory(const std::string& host_path) const;

  // Looks up `host_path` from `parent`, a cursor on its first `parent_length`
  // bytes ("" standing for "/"; host_path[parent_length] is '/'). The
  // components after that prefix are looked up one after the other, none of
  // them followed: each but the last must be a directory (a symlink there
  // fails with kLoop, another file with kNotADirectory). A symlink's target
  // is read in the same call; a directory's cursor is opened if
  // `want_directory`. The default does Lstat (and Readlink) of each prefix.
  virtual Result<Found> LookUp(const Directory& parent, const std::string& host_path,
                               size_t parent_length, bool want_directory) const;

  // The contents of the regular file `host_path`, its last component not
  // followed (a symlink there is kLoop, as open(2) with O_NOFOLLOW). Besides
  // the errors above: kInvalidArgument for a file that is not a regular file
  // (a directory, a device, a FIFO: none is opened). The default answers
  // kUnsupported: a view that only resolves paths cannot read files.
  virtual Result<std::string> ReadFile(const std::string& host_path) const;

  // True if the whole of `host_path` — absolute, possibly with "." and ".."
  // components and runs of "/", ".." at "/" staying there — is looked up in
  // one step without meeting any symlink, each component before the last
  // being a directory (and the last too if "/" follows it), and the file it
  // names exists. False in every other case, including "could not tell": a
  // view may always answer false (the default does).
  virtual bool ResolvesWithoutSymlinks(const std::string& host_path) const;
};

}  // namespace nsenter

#endif  // NSENTER_FILE_VIEW_H_
