// RootFileView: the native backend's FileView, confined to a host root.
//
// Host path "/a/b" is looked up below a directory descriptor of the root,
// opened once. No lookup can leave the root: the directories of a path are
// opened with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
// RESOLVE_NO_MAGICLINKS) — or, where the kernel lacks openat2 (before 5.6)
// or a seccomp filter refuses it, one component at a time with
// openat(O_PATH | O_NOFOLLOW | O_DIRECTORY) — so a directory that a racing
// process swaps for a symlink fails the lookup (kLoop or kNotADirectory)
// instead of being followed. The choice between the two is made once, by
// `Open`, never per call. Only O_PATH descriptors are opened, so a FIFO or
// device in the way never blocks. The last component is examined with
// fstatat(AT_SYMLINK_NOFOLLOW) and readlinkat(2).
//
// The cursor (FileView::Directory) is an O_PATH descriptor of a directory
// below the root. LookUp from it opens the components before the last the
// same way, relative to that descriptor (openat2 with the flags above, or
// the O_NOFOLLOW walk), so a single component costs one fstatat, plus a
// readlinkat for a symlink or an openat for a directory's cursor. A single
// name needs no openat2 (one name, O_NOFOLLOW, cannot leave the directory),
// so when openat2 fails for a run of names the resolver's name-by-name
// retry still answers, as confined.
//
// ResolvesWithoutSymlinks is one openat2 of a whole path, confined the same
// way. ReadFile opens the last component (checked first with fstatat to be a
// regular file, so no device or FIFO is opened) with O_NOFOLLOW in its
// directory, found the same way, and reads it to its end (procfs files too,
// which report a size of 0).
//
// Links on procfs (e.g. /proc/self/root, /proc/1/cwd) are refused by
// Readlink and LookUp with kUnsupported: their meaning depends on the
// process that follows them, so no answer would match the host's.
//
// Errors: as file_view.h, naming the host path; kInvalidArgument for a
// relative path or one with "." or ".." components (the resolver never asks
// for those).
//
// Thread-safety: immutable after Open; calls may run concurrently.
#ifndef NSENTER_ROOT_FILE_VIEW_H_
#define NSENTER_ROOT_FILE_VIEW_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nsenter/error.h"
#include "nsenter/file_view.h"
#include "nsenter/unique_fd.h"

namespace nsenter {

class RootFileView final : public FileView {
 public:
  enum class Lookup {
    kAuto,             // openat2 where the kernel allows it.
    kComponentWalk,    // Always the openat(O_NOFOLLOW) walk.
  };

  // A view of the tree at `root`, a directory. Errors: kInvalidArgument for a
  // relative or NUL-bearing root; the code of open(2)'s errno otherwise.
  static Result<std::unique_ptr<RootFileView>> Open(const std::string& root,
                                                    Lookup lookup = Lookup::kAuto);

  Result<FileStat> Lstat(const std::string& host_path) const override;
  Result<std::string> Readlink(const std::string& host_path) const override;
  Result<std::unique_ptr<Directory>> OpenDirectory(const std::string& host_path) const override;
  Result<Found> LookUp(const Directory& parent, const std::string& host_path,
                       size_t parent_length, bool want_directory) const override;
  // One openat2(O_PATH, RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
  // RESOLVE_NO_MAGICLINKS) of the whole path, whose success proves it; false
  // without openat2 (the component walk), for "/", and on any failure.
  bool ResolvesWithoutSymlinks(const std::string& host_path) const override;
  Result<std::string> ReadFile(const std::string& host_path) const override;

  // Whether lookups use openat2.
  bool uses_openat2() const { return use_openat2_; }
  const std::string& root() const { return root_; }

 private:
  RootFileView(std::string root, UniqueFd root_fd, bool use_openat2,
               std::optional<dev_t> plain_device)
      : root_(std::move(root)), root_fd_(std::move(root_fd)), use_openat2_(use_openat2),
        plain_device_(plain_device) {}

  // The directory holding the last component of `host_path`, and that
  // component's name ("" for "/").
  struct Parent {
    UniqueFd owned;  // Invalid when the parent is the root itself.
    int fd;
    std::string name;
  };
  class Cursor;
  Result<Parent> OpenParent(const std::string& host_path) const;
  // The directory `relative` (components without "." or "..") below `dirfd`,
  // with the confined lookup; `host_path` names it in errors.
  Result<UniqueFd> OpenBelow(int dirfd, std::string_view relative,
                             const std::string& host_path) const;
  // readlinkat(dirfd, name) of a symlink, refused on procfs unless
  // `device`, the link's, is plain_device_.
  Result<std::string> ReadLinkAt(int dirfd, const char* name, const std::string& host_path,
                                 std::optional<dev_t> device) const;
  Error Failed(const char* call, const std::string& host_path) const;
  Error NotARegularFile(const std::string& host_path) const;

  std::string root_;
  UniqueFd root_fd_;
  bool use_openat2_;
  // The root's device, if it is not procfs: links on it need no check.
  std::optional<dev_t> plain_device_;
};

}  // namespace nsenter

#endif  // NSENTER_ROOT_FILE_VIEW_H_
