// ProcessExecutor: the Executor that runs real processes.
//
// The program is started with posix_spawn(3) — never through a shell: argv
// goes to the kernel exactly as given. A path without a slash is looked up on
// the caller's PATH. Each command
//   - runs in a process group of its own, so a timeout or Stop ends it and
//     every process it started in that group (the command itself is
//     signalled through its pidfd too, should it leave the group);
//   - sees only file descriptors 0, 1 and 2 (every other descriptor of the
//     caller is closed in the child, whatever its close-on-exec flag, by
//     close_range(2) or, where that is refused, from a listing of
//     /proc/self/fd that is trusted only on procfs: descriptor_closing.h);
//   - reads /dev/null, or the bytes given to SetStdin, on its stdin;
//   - has both output streams drained concurrently, so output of any size
//     never deadlocks; once the command itself exits by itself, output
//     still arriving from processes it left behind is not waited for (a
//     stop or timeout ends them: exec.h);
//   - is given the caller's terminal while it runs, when its stdin is that
//     terminal and the caller is in its foreground (exec.h);
//   - is always reaped before Run, Output, CombinedOutput, Wait or Stop
//     returns, or the Cmd is destroyed.
// Signal dispositions and the signal mask are reset to defaults in the child.
//
// Requirements: Linux 5.3 or newer (pidfd_open). The caller must not set
// SIGCHLD to SIG_IGN (children would then not be waitable).
//
// Errors: as documented in exec.h. A program that cannot be started is
// kExecFailed naming the program and the reason (e.g. "No such file or
// directory", "Permission denied"); a working directory that cannot be
// entered (missing, not a directory, or not searchable by this process) is
// kExecFailed naming the directory. Where close_range(2) is refused and
// /proc/self/fd is unreadable or not on procfs, nothing is started:
// kExecFailed, "cannot close the caller's other descriptors".
//
// Thread-safety: ProcessExecutor is stateless and safe to share.
#ifndef NSENTER_PROCESS_EXECUTOR_H_
#define NSENTER_PROCESS_EXECUTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "nsenter/exec.h"

namespace nsenter {

class ProcessExecutor final : public Executor {
 public:
  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const override;
};

}  // namespace nsenter

#endif  // NSENTER_PROCESS_EXECUTOR_H_
