// ScratchDir: a private temporary directory (mode 0700, under $TMPDIR or
// /tmp), removed with everything in it when the object goes away. The CLI
// materializes a fixture there for the native backend. Its path is clean
// (the directory it is in has its symlinks and slashes resolved) and plain:
// nsenter::Quote shows it as is, so it can be found in a message and
// replaced; a $TMPDIR that is not plain is passed over for /tmp.
//
// Signals: while a ScratchDir lives, SIGHUP, SIGINT and SIGTERM remove the
// tree and then end the process by the same signal, as they would have
// (their handlers are installed by Create and put back by the destructor).
// Signals whose default action also ends the process without this cleanup
// (SIGUSR1, SIGALRM, SIGKILL, ...) leave the tree behind.
//
// Errors: Create returns the code of mkdtemp(3)'s errno, naming the template.
// Removal is best effort and silent.
//
// Thread-safety: one owner, and one ScratchDir at a time in a process.
#ifndef TOOLS_NSENTERCTL_SCRATCH_DIR_H_
#define TOOLS_NSENTERCTL_SCRATCH_DIR_H_

#include <memory>
#include <string>

#include "nsenter/error.h"

namespace nsenterctl {

class ScratchDir {
 public:
  static nsenter::Result<std::unique_ptr<ScratchDir>> Create();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_SCRATCH_DIR_H_
