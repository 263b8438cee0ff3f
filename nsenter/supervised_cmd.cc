#include "nsenter/supervised_cmd.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

extern char** environ;

namespace nsenter {
namespace {

using Clock = std::chrono::steady_clock;

// Which streams a run captures.
enum class Capture {
  kStderr,    // Run: stdout discarded or redirected, stderr captured.
  kSeparate,  // Output: stdout and stderr captured apart.
  kCombined,  // CombinedOutput: both into one buffer, in write order.
};

// How a child process ended, and what it printed.
struct Outcome {
  int wait_status = 0;
  bool timed_out = false;
  std::string stdout_data;
  std::string stderr_data;
};

Error SystemError(const std::string& what) {
  return Error(ErrorCode::kInternal, what + ": " + std::strerror(errno));
}

// A pipe whose both ends are close-on-exec; the parent's end is non-blocking.
struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Result<Pipe> MakeReadPipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return SystemError("pipe2");
  Pipe pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
  if (fcntl(pipe.read_end.get(), F_SETFL, O_NONBLOCK) != 0) return SystemError("fcntl");
  return pipe;
}

Result<UniqueFd> OpenDevNull(int flags) {
  UniqueFd fd(open("/dev/null", flags | O_CLOEXEC));
  if (!fd.valid()) return SystemError("open /dev/null");
  return fd;
}

// A close-on-exec memory file holding `data`, positioned at its start.
Result<UniqueFd> MakeStdinFile(const std::string& data) {
  UniqueFd fd(static_cast<int>(syscall(SYS_memfd_create, "nsenter-stdin", MFD_CLOEXEC)));
  if (!fd.valid()) return SystemError("memfd_create");
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = write(fd.get(), data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError("write stdin data");
    written += static_cast<size_t>(n);
  }
  if (lseek(fd.get(), 0, SEEK_SET) != 0) return SystemError("lseek stdin data");
  return fd;
}

// Replaces each of `fds` that is 0, 1 or 2 with a close-on-exec copy above
// 2, held by `copies`. A child takes its standard descriptors by dup2 in
// turn, which must not overwrite a source still to be taken; and a caller
// with 0, 1 or 2 closed has its own and the library's descriptors there.
Status LiftAboveStandardDescriptors(int (&fds)[3], UniqueFd (&copies)[3]) {
  for (int i = 0; i < 3; ++i) {
    if (fds[i] > STDERR_FILENO) continue;
    copies[i] = UniqueFd(fcntl(fds[i], F_DUPFD_CLOEXEC, STDERR_FILENO + 1));
    if (!copies[i].valid()) return SystemError("duplicate descriptor " + std::to_string(fds[i]));
    fds[i] = copies[i].get();
  }
  return {};
}

std::vector<char*> CStrings(const std::vector<std::string>& words) {
  std::vector<char*> pointers;
  pointers.reserve(words.size() + 1);
  for (const std::string& word : words) pointers.push_back(const_cast<char*>(word.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// Reads what is available on `fd` into `out`; returns false at end of file.
bool Drain(int fd, std::string& out) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// Kills the child's process group and reaps the child, after `error`.
Error KillAndReap(pid_t pid, Error error) {
  kill(-pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return error;
}

// Reads the child's output pipes until the child exits (or the deadline
// passes, which kills its process group), then reaps it.
Result<Outcome> Supervise(pid_t pid, UniqueFd stdout_pipe, UniqueFd stderr_pipe,
                          std::optional<Clock::time_point> deadline) {
  Outcome outcome;
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return KillAndReap(pid, SystemError("pidfd_open"));
  bool exited = false;
  while (!exited) {
    pollfd fds[3];
    nfds_t count = 0;
    fds[count++] = {pidfd.get(), POLLIN, 0};
    if (stdout_pipe.valid()) fds[count++] = {stdout_pipe.get(), POLLIN, 0};
    if (stderr_pipe.valid()) fds[count++] = {stderr_pipe.get(), POLLIN, 0};
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
      timeout_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    const int ready = poll(fds, count, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return KillAndReap(pid, SystemError("poll"));
    if (ready == 0) {  // Deadline passed.
      kill(-pid, SIGKILL);
      outcome.timed_out = true;
      break;
    }
    exited = (fds[0].revents & POLLIN) != 0;
    // Reading after the exit is noticed collects everything the child wrote.
    if (stdout_pipe.valid() && !Drain(stdout_pipe.get(), outcome.stdout_data)) stdout_pipe.Reset();
    if (stderr_pipe.valid() && !Drain(stderr_pipe.get(), outcome.stderr_data)) stderr_pipe.Reset();
  }
  while (waitpid(pid, &outcome.wait_status, 0) < 0) {
    if (errno != EINTR) return SystemError("waitpid");
  }
  return outcome;
}

class SupervisedCmd final : public Cmd {
 public:
  SupervisedCmd(std::string path, std::vector<std::string> args,
                std::shared_ptr<const Spawner> spawner)
      : path_(std::move(path)), args_(std::move(args)), spawner_(std::move(spawner)) {}

  void SetDir(std::string dir) override { dir_ = std::move(dir); }
  void SetEnv(std::vector<std::string> env) override { env_ = std::move(env); }
  void SetStdin(std::string data) override { stdin_ = std::move(data); }
  void SetStdout(int fd) override { stdout_fd_ = fd; }
  void SetStderr(int fd) override { stderr_fd_ = fd; }
  void SetTimeout(std::chrono::milliseconds timeout) override { timeout_ = timeout; }

  Status Run() override {
    Result<Outcome> outcome = Execute(Capture::kStderr);
    if (!outcome.ok()) return outcome.error();
    return Check(*outcome);
  }

  Result<std::string> Output() override {
    Result<Outcome> outcome = Execute(Capture::kSeparate);
    if (!outcome.ok()) return outcome.error();
    if (Status status = Check(*outcome); !status.ok()) return status.error();
    return std::move(outcome->stdout_data);
  }

  Result<std::string> CombinedOutput() override {
    Result<Outcome> outcome = Execute(Capture::kCombined);
    if (!outcome.ok()) return outcome.error();
    if (Status status = Check(*outcome); !status.ok()) return status.error();
    return std::move(outcome->stdout_data);
  }

 private:
  Result<Outcome> Execute(Capture capture);
  Status Check(Outcome& outcome) const;

  std::string path_;
  std::vector<std::string> args_;
  std::shared_ptr<const Spawner> spawner_;
  std::optional<std::string> dir_;
  std::optional<std::vector<std::string>> env_;
  std::optional<std::string> stdin_;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::optional<std::chrono::milliseconds> timeout_;
  bool started_ = false;
};

Result<Outcome> SupervisedCmd::Execute(Capture capture) {
  if (started_) {
    return Error(ErrorCode::kInvalidArgument, "command " + Quote(path_) + " was already run");
  }
  started_ = true;
  if (Status valid = ValidateCommand(path_, args_, env_ ? &*env_ : nullptr); !valid.ok()) {
    return valid.error();
  }
  if (dir_ && dir_->find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "working directory " + Quote(*dir_) + " contains a NUL byte");
  }

  std::vector<std::string> argv = args_;
  argv.insert(argv.begin(), path_);
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_env;
  if (env_) c_env = CStrings(*env_);
  char** envp = env_ ? c_env.data() : environ;

  Result<UniqueFd> child_stdin = stdin_ ? MakeStdinFile(*stdin_) : OpenDevNull(O_RDONLY);
  if (!child_stdin.ok()) return child_stdin.error();

  // The parent's read ends, and the descriptors the child gets as 1 and 2.
  UniqueFd stdout_read, stderr_read, stdout_write, stderr_write;
  int child_stdout = -1, child_stderr = -1;
  if (capture == Capture::kStderr && stdout_fd_ >= 0) {
    child_stdout = stdout_fd_;
  } else if (capture == Capture::kStderr) {
    Result<UniqueFd> null = OpenDevNull(O_WRONLY);
    if (!null.ok()) return null.error();
    stdout_write = std::move(*null);
  } else {
    Result<Pipe> pipe = MakeReadPipe();
    if (!pipe.ok()) return pipe.error();
    stdout_read = std::move(pipe->read_end);
    stdout_write = std::move(pipe->write_end);
  }
  if (child_stdout < 0) child_stdout = stdout_write.get();
  if (capture == Capture::kCombined) {
    child_stderr = child_stdout;
  } else if (capture == Capture::kStderr && stderr_fd_ >= 0) {
    child_stderr = stderr_fd_;
  } else {
    Result<Pipe> pipe = MakeReadPipe();
    if (!pipe.ok()) return pipe.error();
    stderr_read = std::move(pipe->read_end);
    stderr_write = std::move(pipe->write_end);
    child_stderr = stderr_write.get();
  }

  int child_fds[3] = {child_stdin->get(), child_stdout, child_stderr};
  UniqueFd lifted[3];
  if (Status lift = LiftAboveStandardDescriptors(child_fds, lifted); !lift.ok()) {
    return lift.error();
  }
  Result<pid_t> pid =
      spawner_->Spawn({path_, c_argv.data(), envp, child_fds[0], child_fds[1], child_fds[2], dir_});
  if (!pid.ok()) return pid.error();

  // Close the child's ends here so that the pipes report end of file.
  stdout_write.Reset();
  stderr_write.Reset();
  for (UniqueFd& copy : lifted) copy.Reset();
  std::optional<Clock::time_point> deadline;
  if (timeout_) deadline = Clock::now() + *timeout_;
  return Supervise(*pid, std::move(stdout_read), std::move(stderr_read), deadline);
}

Status SupervisedCmd::Check(Outcome& outcome) const {
  const int status = outcome.wait_status;
  if (outcome.timed_out) {
    return Error::FromProcess(ErrorCode::kTimeout,
                              Quote(path_) + " killed after its timeout of " +
                                  std::to_string(timeout_->count()) + "ms",
                              -1, std::move(outcome.stdout_data), std::move(outcome.stderr_data));
  }
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return Error::FromProcess(ErrorCode::kSignalled,
                              Quote(path_) + " was killed by signal " + std::to_string(signal) +
                                  " (" + strsignal(signal) + ")",
                              -1, std::move(outcome.stdout_data), std::move(outcome.stderr_data));
  }
  const int exit_status = WEXITSTATUS(status);
  if (exit_status != 0) {
    return Error::FromProcess(ErrorCode::kNonZeroExit,
                              Quote(path_) + " exited with status " + std::to_string(exit_status),
                              exit_status, std::move(outcome.stdout_data),
                              std::move(outcome.stderr_data));
  }
  return {};
}

}  // namespace

std::unique_ptr<Cmd> MakeSupervisedCmd(std::string path, std::vector<std::string> args,
                                       std::shared_ptr<const Spawner> spawner) {
  return std::make_unique<SupervisedCmd>(std::move(path), std::move(args), std::move(spawner));
}

}  // namespace nsenter
