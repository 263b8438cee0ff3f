// The executor seam: everything the library runs goes through `Executor`.
//
// The shape follows k8s.io/utils/exec: an `Executor` makes a `Cmd` for a
// program and its arguments; the `Cmd` is configured (dir, env, stdin,
// output, timeout) and then run once: to completion with `Run`, `Output` or
// `CombinedOutput`, or step by step with `Start`, `Wait` and `Stop`.
// Production code uses `ProcessExecutor` (process_executor.h) or an `Nsenter`
// (nsenter.h, which runs commands on the host); tests use the fakes and mocks
// of //fakehost.
//
// Example, to completion:
//   std::unique_ptr<nsenter::Cmd> cmd = executor.Command("/bin/ls", {"-l", "--", "/"});
//   cmd->SetTimeout(std::chrono::seconds(5));
//   nsenter::Result<std::string> out = cmd->Output();
//
// Example, a long-running command streamed and cancelled from another thread:
//   std::unique_ptr<nsenter::Cmd> cmd = executor.Command("journalctl", {"-f"});
//   cmd->SetStdoutHandler([](std::string_view chunk) { Consume(chunk); });
//   if (nsenter::Status started = cmd->Start(); !started.ok()) return started;
//   std::thread canceller([&] { shutdown.WaitForNotification(); cmd->Stop(); });
//   nsenter::Status ended = cmd->Wait();  // kStopped once Stop has ended it.
//   canceller.join();
//
// Streaming: output is streamed through handlers (SetStdoutHandler /
// SetStderrHandler), called with each chunk as it is read, on the thread in
// Wait (or Run) — or in Stop, when Stop is called while no Wait runs. A
// handler must not throw, and may call Stop. Handlers were chosen over pipes
// the caller reads (Go's StdoutPipe) because they leave the caller no
// descriptor to own or leak, and no way to deadlock: Wait drains both
// streams together, so a full pipe never blocks the program, and the timeout
// and Stop keep working while output streams. A chunk is whatever one read
// returned: it may hold several lines or part of one.
//
// Lifecycle: Start starts the program; Wait waits for it to end, streaming
// its output, and reaps it; Run is Start then Wait. Stop ends it: SIGTERM
// (or the signal given) to the program and its process group, SIGKILL to
// both after the grace period (SetStopGracePeriod, default
// kDefaultStopGracePeriod) if it has not ended, and reaping. A timeout kills
// the program and its process group with SIGKILL at once. Both signal the
// program itself as well as its group, so a program that left its group is
// ended too, and so are the program's own children that left the group
// (held by pidfds from the first signal on): through nsenter with a PID
// namespace, nsenter forks and the host program is its child, ended even if
// it called setsid(2). Stop ends the whole group: when the program exits
// first and other members of its group or such children live on, the grace
// period goes on until they have all ended, then SIGKILL ends what is left;
// Wait returns after that. Out of reach: descendants further down that
// leave the group (a host program's child that calls setsid, in either
// backend), children that leave it after the last signal, and, through
// nsenter, a host program in a PID namespace that is not this process's own
// or a descendant of it (it has no pid here: an agent needs the host's PID
// namespace, hostPID, for the program to be reached). When the program ends by itself, Wait returns once it has
// exited: processes it started and left running (a daemon, `cmd &`) are
// neither waited for nor killed, nor is output they still write read. A
// Cmd destroyed after Start and before the program was reaped is stopped
// (which may take the grace period): no process is left unreaped and no
// descriptor open.
//
// Terminal: a Cmd whose stdin (SetStdinFd) is the caller's controlling
// terminal, while the caller's process group is in its foreground, gives
// the terminal's foreground to the program's process group from Start until
// the program is reaped, and then takes it back, as a shell does for a
// foreground job: the program can read the terminal (instead of being
// stopped by SIGTTIN), and the terminal's ^C reaches the program's group
// directly.
//
// Timeouts and grace periods: a timeout must be positive, a grace period
// zero or positive (zero: SIGKILL right after SIGTERM); any length the type
// holds is honoured, however long. Start refuses others (kInvalidArgument).
//
// Children and SIGCHLD: a process that ignores SIGCHLD (SIG_IGN, or the
// SA_NOCLDWAIT flag) has its children reaped by the kernel, their exit
// statuses lost. Start then refuses to run anything (kExecFailed saying
// so); if SIGCHLD comes to be ignored while a command runs, Wait reports
// the lost status (kInternal), never success.
//
// Errors of running a command:
//   kInvalidArgument  argv, env or working directory with a NUL byte; a
//                     descriptor given to SetStdinFd, SetStdout or SetStderr
//                     that is not open (even one a run does not use); a
//                     timeout or grace period out of range (above); a Cmd
//                     started twice, Wait without Start, Wait twice
//                     (nothing ran, or the command goes on undisturbed);
//   kExecFailed       the program could not be started (the message names it
//                     and says why: missing, not executable, SIGCHLD
//                     ignored, ...);
//   kNonZeroExit      it ran and exited non-zero (exit status and output kept);
//   kSignalled        it was killed by a signal;
//   kTimeout          it outlived its timeout; it and its process group were
//                     killed;
//   kStopped          Stop ended it (or Stop came before Start, and nothing
//                     ran), whatever status it then exited with;
//   kInternal         a system call failed, or the program's exit status was
//                     lost (SIGCHLD ignored while it ran).
//
// Thread-safety: an `Executor` is safe to use from many threads at once. A
// `Cmd` belongs to one thread, except `Stop`, which may be called from any
// thread at any time (before Start, during Wait, after the end; any number of
// times), concurrently with the owner's calls. The Cmd must not be destroyed
// while another thread is in Stop.
#ifndef NSENTER_EXEC_H_
#define NSENTER_EXEC_H_

#include <signal.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"

namespace nsenter {

// Receives a command's output as it is read; see "Streaming" above.
using OutputHandler = std::function<void(std::string_view chunk)>;

// How long Stop waits after SIGTERM before it sends SIGKILL, by default.
inline constexpr std::chrono::milliseconds kDefaultStopGracePeriod = std::chrono::seconds(5);

// One command, configured and then run once. Settings take effect at Start
// (or Run, Output, CombinedOutput); changing them later has no effect.
class Cmd {
 public:
  virtual ~Cmd() = default;

  // The working directory of the command; by default the caller's. (An
  // Nsenter's commands: a host directory, by default the host's "/".)
  virtual void SetDir(std::string dir) = 0;
  // The complete environment, as "KEY=VALUE" entries; by default the
  // caller's. (An Nsenter's commands: by default only the host PATH.)
  virtual void SetEnv(std::vector<std::string> env) = 0;
  // Bytes fed to the command's standard input; by default it reads /dev/null.
  virtual void SetStdin(std::string data) = 0;
  // The command reads its standard input from `fd`, which the caller keeps
  // owning (e.g. STDIN_FILENO, to pass a terminal or a pipe on). Replaces
  // SetStdin's bytes, as SetStdin replaces it.
  virtual void SetStdinFd(int fd) = 0;
  // Sends the command's stdout (stderr) to `fd`, which the caller keeps
  // owning, instead of capturing it. Not used by Output and CombinedOutput.
  // Replaces a handler set before. `fd` may be any open descriptor, 0, 1 or
  // 2 included, and the caller's 0, 1 and 2 may be closed: the command still
  // gets each stream where it belongs.
  virtual void SetStdout(int fd) = 0;
  virtual void SetStderr(int fd) = 0;
  // Streams the command's stdout (stderr) to `handler` instead of capturing
  // it. Not used by Output and CombinedOutput. Replaces an fd set before.
  virtual void SetStdoutHandler(OutputHandler handler) = 0;
  virtual void SetStderrHandler(OutputHandler handler) = 0;
  // Kill the command and its process group when it runs longer than
  // `timeout`, counted from Start. By default there is no timeout.
  virtual void SetTimeout(std::chrono::milliseconds timeout) = 0;
  // How long Stop waits between SIGTERM and SIGKILL.
  virtual void SetStopGracePeriod(std::chrono::milliseconds grace_period) = 0;

  // Starts the command and returns once it runs. Its stdout is discarded
  // (or sent to SetStdout's fd or handler); its stderr is captured into
  // Wait's error (or sent to SetStderr's fd or handler). Errors: those of
  // starting a program (see above); kInvalidArgument if already started;
  // kStopped if Stop came first.
  virtual Status Start() = 0;
  // Waits for the started command to end, streaming its output to the
  // handlers, and reaps it. Returns its result (see "Errors" above).
  // kInvalidArgument without a successful Start, or if called twice.
  virtual Status Wait() = 0;
  // Ends the command: see "Lifecycle" above; `first_signal` is the signal
  // sent first (SIGTERM by default; e.g. SIGINT to pass on an interrupt),
  // SIGKILL follows after the grace period. Only the first Stop's signal
  // counts. Returns once the program is reaped; does nothing after the end.
  // Before Start, makes Start fail with kStopped. Called from an output
  // handler (on Wait's thread), it requests the stop and returns at once;
  // Wait then carries it out. (Overrides take the signal; calls through a
  // Cmd may leave it out.)
  virtual void Stop(int first_signal = SIGTERM) = 0;

  // Start, then Wait.
  virtual Status Run() = 0;
  // Runs the command and returns its stdout; stderr is captured into the
  // error. Output handlers and fds are not used.
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

// A Cmd that executes nothing: Start and every run return `error`, and so
// does Wait; Stop does nothing.
std::unique_ptr<Cmd> MakeFailedCmd(Error error);

// kInvalidArgument naming the first argv word or env entry that contains a
// NUL byte (C strings would silently truncate it), or OK.
Status ValidateCommand(const std::string& path, const std::vector<std::string>& args,
                       const std::vector<std::string>* env = nullptr);

// kInvalidArgument naming a working directory that contains a NUL byte, or OK.
Status ValidateWorkingDirectory(const std::string& dir);

// kInvalidArgument naming `path` when `timeout` (if set) is not positive or
// `grace_period` is negative (see "Timeouts" above), or OK.
Status ValidateTimeouts(const std::string& path, std::optional<std::chrono::milliseconds> timeout,
                        std::chrono::milliseconds grace_period);

// kInvalidArgument naming `path` and the first of the descriptors a caller
// gave for its standard input, output and error (-1: none given) that is
// not open, or OK.
Status ValidateStandardDescriptors(const std::string& path, int stdin_fd, int stdout_fd,
                                   int stderr_fd);

// kExecFailed naming `path` when this process ignores SIGCHLD (see
// "Children and SIGCHLD" above): a child's exit status would be lost.
Status ValidateChildStatusKept(const std::string& path);

}  // namespace nsenter

#endif  // NSENTER_EXEC_H_
