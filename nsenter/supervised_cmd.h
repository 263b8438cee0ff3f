// SupervisedCmd: the Cmd behind every real-process executor.
//
// It implements the whole contract of exec.h — stdin from /dev/null or a
// memory file, stdout/stderr captured or streamed through close-on-exec pipes
// drained concurrently, Start/Wait/Stop, a timeout, reaping, and the mapping
// of exit status and signals to errors — and leaves only the start of the
// child to a `Spawner`: posix_spawn for ProcessExecutor, setns before execve
// for the native backend. Run, Output and CombinedOutput are Start then Wait.
//
// One loop supervises a started child, in Wait or, if no Wait runs, in Stop:
// it polls the child's pidfd, its output pipes and an eventfd that Stop
// writes to. Every signal (timeout, stop) goes to the child itself through
// its pidfd as well as to its process group, so a child that left its group
// is ended too; so are the child's own children that left the group, found
// in /proc while the child is unreaped and held by pidfds from the first
// signal on (process_children.h: nsenter's host program when it forks into
// a PID namespace). A stop goes on after the child's exit while its group
// has members (polled by the group id) or a held child runs, until SIGKILL;
// after SIGKILL the child is reaped at once, without waiting for output of
// processes it left behind.
//
// Thread-safety: a Spawner must be safe to share; a Cmd is as exec.h says.
#ifndef NSENTER_SUPERVISED_CMD_H_
#define NSENTER_SUPERVISED_CMD_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nsenter/exec.h"

namespace nsenter {

// What a child must be started with.
struct ChildSpec {
  const std::string& path;      // Program; without a slash, looked up on PATH.
  char* const* argv;            // NULL-terminated; argv[0] is `path`.
  char* const* envp;            // NULL-terminated.
  int stdin_fd;                 // Become the child's 0, 1 and 2; each is above 2,
  int stdout_fd;                //   so that dup2 into 0, 1 and 2 in turn never
  int stderr_fd;                //   overwrites a source, and clears close-on-exec.
  const std::optional<std::string>& dir;  // Working directory, if any.
};

class Spawner {
 public:
  virtual ~Spawner() = default;
  // Starts the child in a process group of its own, with the three standard
  // descriptors of `spec`, no other descriptor, default signal dispositions
  // and an empty signal mask. Returns its pid, or kExecFailed (or a more
  // precise code) naming the program and why it could not be started.
  virtual Result<pid_t> Spawn(const ChildSpec& spec) const = 0;
};

// A Cmd that runs `path` with `args` through `spawner`.
std::unique_ptr<Cmd> MakeSupervisedCmd(std::string path, std::vector<std::string> args,
                                       std::shared_ptr<const Spawner> spawner);

}  // namespace nsenter

#endif  // NSENTER_SUPERVISED_CMD_H_
