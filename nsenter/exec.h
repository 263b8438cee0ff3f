// The executor seam: everything the library runs goes through `Executor`.
//
// The shape follows k8s.io/utils/exec: an `Executor` makes a `Cmd` for a
// program and its arguments; the `Cmd` is configured (dir, env, stdin,
// timeout) and then run once with `Run`, `Output` or `CombinedOutput`.
// Production code uses `ProcessExecutor` (process_executor.h) or an `Nsenter`
// (nsenter.h, which runs commands on the host); tests use the fakes and mocks
// of //fakehost.
//
// Example:
//   std::unique_ptr<nsenter::Cmd> cmd = executor.Command("/bin/ls", {"-l", "--", "/"});
//   cmd->SetTimeout(std::chrono::seconds(5));
//   nsenter::Result<std::string> out = cmd->Output();
//
// Errors of running a command:
//   kInvalidArgument  argv, env or working directory with a NUL byte, a Cmd
//                     run twice (nothing ran);
//   kExecFailed       the program could not be started (the message names it
//                     and says why: missing, not executable, ...);
//   kNonZeroExit      it ran and exited non-zero (exit status and output kept);
//   kSignalled        it was killed by a signal;
//   kTimeout          it outlived its timeout; its process group was killed.
//
// Thread-safety: an `Executor` is safe to use from many threads at once. A
// `Cmd` belongs to one thread.
#ifndef NSENTER_EXEC_H_
#define NSENTER_EXEC_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nsenter/error.h"

namespace nsenter {

// One command, configured and then run once.
class Cmd {
 public:
  virtual ~Cmd() = default;

  // The working directory of the command; by default the caller's.
  virtual void SetDir(std::string dir) = 0;
  // The complete environment, as "KEY=VALUE" entries; by default the caller's.
  virtual void SetEnv(std::vector<std::string> env) = 0;
  // Bytes fed to the command's standard input; by default it reads /dev/null.
  virtual void SetStdin(std::string data) = 0;
  // Sends the command's stdout (stderr) to `fd`, which the caller keeps
  // owning, instead of capturing it. Used by `Run` only. `fd` may be any
  // open descriptor, 0, 1 or 2 included, and the caller's 0, 1 and 2 may be
  // closed: the command still gets each stream where it belongs.
  virtual void SetStdout(int fd) = 0;
  virtual void SetStderr(int fd) = 0;
  // Kill the command's process group when it runs longer than `timeout`.
  // By default there is no timeout.
  virtual void SetTimeout(std::chrono::milliseconds timeout) = 0;

  // Runs the command and waits for it. Its stdout is discarded (or sent to
  // SetStdout's fd); its stderr is captured into the error (or sent to
  // SetStderr's fd).
  virtual Status Run() = 0;
  // Runs the command and returns its stdout; stderr is captured into the error.
  virtual Result<std::string> Output() = 0;
  // Runs the command and returns stdout and stderr interleaved as written.
  virtual Result<std::string> CombinedOutput() = 0;
};

// Makes commands.
class Executor {
 public:
  virtual ~Executor() = default;

  // A command running `path` with `args` (argv[0] is `path`). A `path`
  // without a slash is looked up on the executor's PATH. Never fails: bad
  // input yields a Cmd whose runs return the error, having executed nothing.
  virtual std::unique_ptr<Cmd> Command(const std::string& path,
                                       const std::vector<std::string>& args) const = 0;
};

// A Cmd that executes nothing: every run returns `error`.
std::unique_ptr<Cmd> MakeFailedCmd(Error error);

// kInvalidArgument naming the first argv word or env entry that contains a
// NUL byte (C strings would silently truncate it), or OK.
Status ValidateCommand(const std::string& path, const std::vector<std::string>& args,
                       const std::vector<std::string>* env = nullptr);

}  // namespace nsenter

#endif  // NSENTER_EXEC_H_
