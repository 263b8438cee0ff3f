// RealFileView: a FileView over a directory tree on the local disk.
//
// Host path "/x/y" means "<root>/x/y". Lookups are relative to a descriptor of
// the root opened once, so host paths up to PATH_MAX work whatever the length
// of the root's own path.
//
// Not escape-proof: the kernel follows any symlink in the directories of a
// path handed to it, and ".." is not blocked. The realpath resolver only hands
// over paths whose directories it has seen as real directories, but a tree
// changed concurrently (a directory swapped for a symlink) can make a lookup
// leave the root. Use it on trees the caller controls (tests, materialized
// fixtures); the hardened native view confines every step to the root.
//
// Errors: those of lstat(2) and readlink(2), with the code of their errno (see
// file_view.h) and a message naming the host path and the root; kInvalidArgument
// for a relative or NUL-bearing host path, and from Readlink of a non-symlink.
//
// Thread-safety: immutable after Open; calls may run concurrently.
#ifndef NSENTER_REAL_FILE_VIEW_H_
#define NSENTER_REAL_FILE_VIEW_H_

#include <memory>
#include <string>

#include "nsenter/error.h"
#include "nsenter/file_view.h"
#include "nsenter/unique_fd.h"

namespace nsenter {

class RealFileView final : public FileView {
 public:
  // A view of the tree at `root`, a directory. Errors: kInvalidArgument for a
  // relative or NUL-bearing root; the code of open(2)'s errno otherwise.
  static Result<std::unique_ptr<RealFileView>> Open(const std::string& root);

  Result<FileStat> Lstat(const std::string& host_path) const override;
  Result<std::string> Readlink(const std::string& host_path) const override;

 private:
  RealFileView(std::string root, UniqueFd root_fd)
      : root_(std::move(root)), root_fd_(std::move(root_fd)) {}

  // The error of a failed `call` on `host_path`, from errno.
  Error CallFailed(const char* call, const std::string& host_path) const;

  std::string root_;
  UniqueFd root_fd_;
};

}  // namespace nsenter

#endif  // NSENTER_REAL_FILE_VIEW_H_
