#include "nsenter/supervised_cmd.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "nsenter/process_children.h"
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

// Where one output stream of the child goes.
struct Sink {
  int fd = -1;            // The caller's descriptor, or -1.
  OutputHandler handler;  // Or a handler; with neither, the stream is captured.
};

// Reads what is available on `fd` and passes it to `consume`; returns false
// at end of file.
template <typename Consume>
bool Drain(int fd, Consume&& consume) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      consume(std::string_view(buffer, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// Sends `signal` to the process `pid`, held by `pidfd`, unless it is in
// group `pgid`, which was signalled already: each process gets the signal
// once (a program that traps SIGTERM sees one).
void SignalOutsideGroup(pid_t pid, int pidfd, pid_t pgid, int signal) {
  if (getpgid(pid) == pgid) return;
  syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0);
}

// Whether the process held by `pidfd` has not exited yet.
bool Running(int pidfd) {
  pollfd exited = {pidfd, POLLIN, 0};
  return poll(&exited, 1, 0) == 0;
}

// `start` + `duration`, or the clock's end of time when that is further.
Clock::time_point DeadlineAfter(Clock::time_point start, std::chrono::milliseconds duration) {
  const auto room = std::chrono::floor<std::chrono::milliseconds>(Clock::time_point::max() - start);
  return duration >= room ? Clock::time_point::max() : start + duration;
}

// The milliseconds until `wake`, rounded up, as poll(2) takes them: never
// below 0, nor above INT_MAX (a longer wait takes several polls).
int PollTimeout(Clock::time_point wake) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, INT_MAX));
}

// Whether process group `pgid` has a member. (An unreaped zombie counts.)
bool GroupAlive(pid_t pgid) { return kill(-pgid, 0) == 0 || errno == EPERM; }

// How often Stop looks whether the group of a child that has exited is
// empty yet: a group has no descriptor to wait on.
constexpr std::chrono::milliseconds kGroupPollInterval(20);

// Gives the foreground of a terminal to a child's process group and takes it
// back, as a shell does for a job in the foreground. Taking it back is
// allowed from the background, since SIGTTOU is blocked around each change.
class TerminalForeground {
 public:
  // Takes the terminal `fd` for group `pgid` if it is the caller's
  // controlling terminal and the caller's group is in its foreground;
  // otherwise does nothing. A child that read the terminal before it had it
  // was stopped by SIGTTIN: it is continued.
  void Give(int fd, pid_t pgid) {
    if (!isatty(fd) || tcgetpgrp(fd) != getpgrp()) return;
    terminal_.Reset(fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1));
    if (!terminal_.valid()) return;
    owner_ = getpgrp();
    if (!SetForeground(pgid)) {
      terminal_.Reset();
      return;
    }
    kill(-pgid, SIGCONT);
  }
  // Gives the terminal back to the group that had it, if Give took it.
  void Restore() {
    if (!terminal_.valid()) return;
    SetForeground(owner_);
    terminal_.Reset();
  }

 private:
  bool SetForeground(pid_t pgid) {
    sigset_t ttou, saved;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    pthread_sigmask(SIG_BLOCK, &ttou, &saved);
    const bool set = tcsetpgrp(terminal_.get(), pgid) == 0;
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    return set;
  }

  UniqueFd terminal_;
  pid_t owner_ = -1;
};

// Why the child ended, first cause wins.
enum class Ending { kByItself, kTimeout, kStop };

class SupervisedCmd final : public Cmd {
 public:
  SupervisedCmd(std::string path, std::vector<std::string> args,
                std::shared_ptr<const Spawner> spawner)
      : path_(std::move(path)), args_(std::move(args)), spawner_(std::move(spawner)) {}

  ~SupervisedCmd() override { Stop(SIGTERM); }

  void SetDir(std::string dir) override { dir_ = std::move(dir); }
  void SetEnv(std::vector<std::string> env) override { env_ = std::move(env); }
  void SetStdin(std::string data) override {
    stdin_ = std::move(data);
    stdin_fd_ = -1;
  }
  void SetStdinFd(int fd) override {
    stdin_fd_ = fd;
    stdin_.reset();
  }
  void SetStdout(int fd) override { stdout_sink_ = {fd, nullptr}; }
  void SetStderr(int fd) override { stderr_sink_ = {fd, nullptr}; }
  void SetStdoutHandler(OutputHandler handler) override { stdout_sink_ = {-1, std::move(handler)}; }
  void SetStderrHandler(OutputHandler handler) override { stderr_sink_ = {-1, std::move(handler)}; }
  void SetTimeout(std::chrono::milliseconds timeout) override { timeout_ = timeout; }
  void SetStopGracePeriod(std::chrono::milliseconds grace_period) override {
    grace_period_ = grace_period;
  }

  Status Start() override { return StartCapturing(Capture::kStderr); }
  Status Wait() override;
  void Stop(int first_signal) override;

  Status Run() override {
    if (Status started = Start(); !started.ok()) return started;
    return Wait();
  }

  Result<std::string> Output() override { return RunCapturing(Capture::kSeparate); }
  Result<std::string> CombinedOutput() override { return RunCapturing(Capture::kCombined); }

 private:
  // kIdle: not started, or its start failed. kStarting: Start is spawning.
  // kRunning: started, nobody supervises. kSupervised: a Wait or Stop reads
  // its output and waits for its end. kEnded: reaped, result_ set.
  enum class Phase { kIdle, kStarting, kRunning, kSupervised, kEnded };

  Result<std::string> RunCapturing(Capture capture) {
    if (Status started = StartCapturing(capture); !started.ok()) return started.error();
    if (Status ended = Wait(); !ended.ok()) return ended.error();
    return std::move(stdout_captured_);
  }

  Status StartCapturing(Capture capture);
  Status Spawn(Capture capture);
  // Supervises the child if nobody does, else waits for whoever does to
  // finish. Called with `lock` held; returns with it held and phase_ kEnded.
  void SuperviseOrAwait(std::unique_lock<std::mutex>& lock);
  Ending Supervise();
  // Sends `signal` to the child's process group, and to each process that
  // left it of the child and its own children (held from this first signal
  // on, found while the child is unreaped: when nsenter forks into a PID
  // namespace, the host program is its child, and outlives it if it left
  // the group). The child and its group ids cannot be reused until it is
  // reaped; its children are named by pidfds.
  void Signal(int signal);
  // Whether the child's group, or a held child of the child, is alive.
  bool AnythingLeft() const;
  // Reaps the child: its status goes to wait_status_, or, if the kernel
  // reaped it already (SIGCHLD ignored), status_lost_ is set.
  void Reap();
  // SIGKILL to the child, its group and the held children of the child,
  // reaping the child.
  void KillWhatIsLeft();
  Status Check(Ending ending, int wait_status);
  // Records the result of the reaped child; `lock` (unlocked) is locked.
  void End(std::unique_lock<std::mutex>& lock, Status result) {
    lock.lock();  // Stop may be using stop_event_.
    CloseChildDescriptors();
    result_ = std::move(result);
    phase_ = Phase::kEnded;
    phase_changed_.notify_all();
  }
  void CloseChildDescriptors() {
    pidfd_.Reset();
    children_of_child_.clear();
    stdout_pipe_.Reset();
    stderr_pipe_.Reset();
    stop_event_.Reset();
  }

  std::string path_;
  std::vector<std::string> args_;
  std::shared_ptr<const Spawner> spawner_;
  std::optional<std::string> dir_;
  std::optional<std::vector<std::string>> env_;
  std::optional<std::string> stdin_;
  int stdin_fd_ = -1;
  Sink stdout_sink_;
  Sink stderr_sink_;
  std::optional<std::chrono::milliseconds> timeout_;
  std::chrono::milliseconds grace_period_ = kDefaultStopGracePeriod;
  bool waited_ = false;  // Owner thread only.

  // The running child; set by Start, used by the supervising thread only.
  pid_t pid_ = -1;
  UniqueFd pidfd_;
  std::vector<HeldProcess> children_of_child_;  // Held since the first signal.
  UniqueFd stdout_pipe_;  // Read ends, or invalid.
  UniqueFd stderr_pipe_;
  UniqueFd stop_event_;   // An eventfd Stop writes to wake the supervisor.
  int wait_status_ = 0;   // The reaped child's.
  bool reaped_ = false;   // The child is reaped (or the kernel reaped it).
  bool status_lost_ = false;  // The kernel reaped it: wait_status_ is not its.
  TerminalForeground terminal_;  // The caller's terminal, while the child has it.
  // The timeout and grace period as they were at Start.
  std::optional<std::chrono::milliseconds> started_timeout_;
  std::chrono::milliseconds started_grace_period_{};
  std::optional<Clock::time_point> deadline_;
  // Captured output: written by the supervisor, read after the end.
  std::string stdout_captured_;
  std::string stderr_captured_;
  OutputHandler stdout_handler_;
  OutputHandler stderr_handler_;

  std::mutex mutex_;
  std::condition_variable phase_changed_;
  Phase phase_ = Phase::kIdle;              // Guarded by mutex_.
  bool start_called_ = false;               // Guarded by mutex_.
  std::thread::id supervisor_;              // Guarded by mutex_.
  std::atomic<int> stop_signal_{0};         // The first Stop's signal, or 0.
  Status result_;                           // Guarded by mutex_; set at kEnded.
};

Status SupervisedCmd::StartCapturing(Capture capture) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (start_called_) {
      return Error(ErrorCode::kInvalidArgument, "command " + Quote(path_) + " was already started");
    }
    start_called_ = true;
    if (stop_signal_ != 0) {
      return Error(ErrorCode::kStopped,
                   "command " + Quote(path_) + " was stopped before it started; nothing ran");
    }
    phase_ = Phase::kStarting;
  }
  Status spawned = Spawn(capture);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = spawned.ok() ? Phase::kRunning : Phase::kIdle;
    if (!spawned.ok()) CloseChildDescriptors();
  }
  phase_changed_.notify_all();
  return spawned;
}

Status SupervisedCmd::Spawn(Capture capture) {
  for (const Status& valid :
       {ValidateCommand(path_, args_, env_ ? &*env_ : nullptr),
        dir_ ? ValidateWorkingDirectory(*dir_) : Status(),
        ValidateTimeouts(path_, timeout_, grace_period_),
        ValidateStandardDescriptors(path_, stdin_fd_, stdout_sink_.fd, stderr_sink_.fd),
        ValidateChildStatusKept(path_)}) {
    if (!valid.ok()) return valid;
  }

  std::vector<std::string> argv = args_;
  argv.insert(argv.begin(), path_);
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_env;
  if (env_) c_env = CStrings(*env_);
  char** envp = env_ ? c_env.data() : environ;

  UniqueFd stdin_file;  // Ours, when the caller gave no descriptor.
  int child_stdin = stdin_fd_;
  if (child_stdin < 0) {
    Result<UniqueFd> file = stdin_ ? MakeStdinFile(*stdin_) : OpenDevNull(O_RDONLY);
    if (!file.ok()) return file.error();
    stdin_file = std::move(*file);
    child_stdin = stdin_file.get();
  }
  stop_event_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop_event_.valid()) return SystemError("eventfd");

  // Output, Combined and the default stderr are captured; a Sink's fd is
  // given to the child as it is; a handler reads a pipe.
  Sink stdout_sink = capture == Capture::kStderr ? stdout_sink_ : Sink{};
  Sink stderr_sink = capture == Capture::kStderr ? stderr_sink_ : Sink{};
  UniqueFd stdout_write, stderr_write;
  int child_stdout = stdout_sink.fd, child_stderr = stderr_sink.fd;
  if (child_stdout < 0 && capture == Capture::kStderr && !stdout_sink.handler) {
    Result<UniqueFd> null = OpenDevNull(O_WRONLY);
    if (!null.ok()) return null.error();
    stdout_write = std::move(*null);
    child_stdout = stdout_write.get();
  } else if (child_stdout < 0) {
    Result<Pipe> pipe = MakeReadPipe();
    if (!pipe.ok()) return pipe.error();
    stdout_pipe_ = std::move(pipe->read_end);
    stdout_write = std::move(pipe->write_end);
    child_stdout = stdout_write.get();
  }
  if (capture == Capture::kCombined) {
    child_stderr = child_stdout;
  } else if (child_stderr < 0) {
    Result<Pipe> pipe = MakeReadPipe();
    if (!pipe.ok()) return pipe.error();
    stderr_pipe_ = std::move(pipe->read_end);
    stderr_write = std::move(pipe->write_end);
    child_stderr = stderr_write.get();
  }
  stdout_handler_ = std::move(stdout_sink.handler);
  stderr_handler_ = std::move(stderr_sink.handler);

  started_timeout_ = timeout_;
  started_grace_period_ = grace_period_;
  if (timeout_) deadline_ = DeadlineAfter(Clock::now(), *timeout_);
  int child_fds[3] = {child_stdin, child_stdout, child_stderr};
  UniqueFd lifted[3];
  if (Status lift = LiftAboveStandardDescriptors(child_fds, lifted); !lift.ok()) return lift;
  Result<pid_t> pid =
      spawner_->Spawn({path_, c_argv.data(), envp, child_fds[0], child_fds[1], child_fds[2], dir_});
  if (!pid.ok()) return pid.error();
  pid_ = *pid;
  pidfd_.Reset(static_cast<int>(syscall(SYS_pidfd_open, pid_, 0)));
  if (!pidfd_.valid()) {
    const Error error = SystemError("pidfd_open");
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    Reap();  // Its status does not matter: pidfd_open's error is the answer.
    return error;
  }
  terminal_.Give(child_stdin, pid_);
  return {};
}

Status SupervisedCmd::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (phase_ == Phase::kIdle || phase_ == Phase::kStarting) {
    return Error(ErrorCode::kInvalidArgument, "command " + Quote(path_) + " was not started");
  }
  if (waited_) {
    return Error(ErrorCode::kInvalidArgument, "command " + Quote(path_) + " was already waited for");
  }
  waited_ = true;
  SuperviseOrAwait(lock);
  return std::move(result_);
}

void SupervisedCmd::Stop(int first_signal) {
  int none = 0;
  stop_signal_.compare_exchange_strong(none, first_signal);
  std::unique_lock<std::mutex> lock(mutex_);
  phase_changed_.wait(lock, [this] { return phase_ != Phase::kStarting; });
  if (phase_ == Phase::kIdle || phase_ == Phase::kEnded) return;
  if (phase_ == Phase::kSupervised) {
    // Called from an output handler: the supervising loop will see the request.
    if (supervisor_ == std::this_thread::get_id()) return;
    const uint64_t one = 1;
    if (write(stop_event_.get(), &one, sizeof one) < 0) {
      // The counter cannot overflow from a few writes; nothing to report.
    }
  }
  SuperviseOrAwait(lock);
}

void SupervisedCmd::SuperviseOrAwait(std::unique_lock<std::mutex>& lock) {
  if (phase_ == Phase::kRunning) {
    phase_ = Phase::kSupervised;
    supervisor_ = std::this_thread::get_id();
    lock.unlock();
    Status result;
    try {
      const Ending ending = Supervise();
      terminal_.Restore();
      result = Check(ending, wait_status_);
    } catch (...) {
      // An output handler threw, against the contract: the child must not
      // outlive the unwinding, nor stay unreaped.
      KillWhatIsLeft();
      terminal_.Restore();
      End(lock, Error(ErrorCode::kInternal, "an output handler of " + Quote(path_) +
                                                " threw; " + Quote(path_) + " was killed"));
      throw;
    }
    End(lock, std::move(result));
    return;
  }
  phase_changed_.wait(lock, [this] { return phase_ == Phase::kEnded; });
}

// Reads the child's output pipes until the child exits, or a timeout or a
// stop ends it, and reaps it. A stop ends the child's whole process group:
// when the child exits first (say nsenter, which forked the program), the
// grace period goes on while the group has members, and SIGKILL ends them.
// The group is watched by its id once the child is reaped: the kernel
// reuses no id of a group that has members, and a group that emptied has
// its id reused only after the pid counter wrapped around in between two
// looks (kGroupPollInterval).
Ending SupervisedCmd::Supervise() {
  const auto sink = [](OutputHandler& handler, std::string& captured) {
    return [&](std::string_view chunk) {
      if (handler) {
        handler(chunk);
      } else {
        captured.append(chunk);
      }
    };
  };
  Ending ending = Ending::kByItself;
  std::optional<Clock::time_point> kill_at;  // End of the stop's grace period.
  for (;;) {
    if (ending == Ending::kByItself && stop_signal_ != 0) {
      ending = Ending::kStop;
      Signal(stop_signal_);
      kill_at = DeadlineAfter(Clock::now(), started_grace_period_);
    }
    pollfd fds[4];
    nfds_t count = 0;
    fds[count++] = {reaped_ ? -1 : pidfd_.get(), POLLIN, 0};
    fds[count++] = {ending == Ending::kByItself ? stop_event_.get() : -1, POLLIN, 0};
    if (stdout_pipe_.valid()) fds[count++] = {stdout_pipe_.get(), POLLIN, 0};
    if (stderr_pipe_.valid()) fds[count++] = {stderr_pipe_.get(), POLLIN, 0};
    std::optional<Clock::time_point> wake =
        ending == Ending::kStop ? kill_at : ending == Ending::kByItself ? deadline_ : std::nullopt;
    if (reaped_) wake = std::min(*wake, Clock::now() + kGroupPollInterval);
    const int ready = poll(fds, count, wake ? PollTimeout(*wake) : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {  // Cannot supervise: kill at once.
      KillWhatIsLeft();
      return ending;
    }
    if (ready == 0 && reaped_ && Clock::now() < *kill_at) {
      if (!AnythingLeft()) return ending;
      continue;
    }
    if (ready == 0 && Clock::now() < *wake) continue;  // A part of a long wait.
    if (ready == 0) {  // The timeout or the grace period passed.
      if (ending == Ending::kByItself) ending = Ending::kTimeout;
      KillWhatIsLeft();
      return ending;
    }
    const bool exited = !reaped_ && (fds[0].revents & POLLIN) != 0;
    // Reading after the exit is noticed collects everything the child wrote.
    if (stdout_pipe_.valid() &&
        !Drain(stdout_pipe_.get(), sink(stdout_handler_, stdout_captured_))) {
      stdout_pipe_.Reset();
    }
    if (stderr_pipe_.valid() &&
        !Drain(stderr_pipe_.get(), sink(stderr_handler_, stderr_captured_))) {
      stderr_pipe_.Reset();
    }
    if (exited) {
      Reap();
      if (ending == Ending::kByItself || !AnythingLeft()) return ending;
    }
  }
}

void SupervisedCmd::Reap() {
  while (waitpid(pid_, &wait_status_, 0) < 0) {
    if (errno == EINTR) continue;
    // ECHILD: the kernel reaped it, SIGCHLD having come to be ignored (or a
    // waitpid(-1) elsewhere in this process did).
    status_lost_ = true;
    break;
  }
  reaped_ = true;
}

void SupervisedCmd::Signal(int signal) {
  if (!reaped_) {
    // A zombie child lists no children: those held before stay held.
    for (HeldProcess& found : HoldChildrenOf(pid_)) {
      if (std::none_of(children_of_child_.begin(), children_of_child_.end(),
                       [&found](const HeldProcess& held) { return held.pid == found.pid; })) {
        children_of_child_.push_back(std::move(found));
      }
    }
  }
  kill(-pid_, signal);
  if (!reaped_) SignalOutsideGroup(pid_, pidfd_.get(), pid_, signal);
  for (const HeldProcess& held : children_of_child_) {
    SignalOutsideGroup(held.pid, held.fd.get(), pid_, signal);
  }
}

bool SupervisedCmd::AnythingLeft() const {
  return GroupAlive(pid_) ||
         std::any_of(children_of_child_.begin(), children_of_child_.end(),
                     [](const HeldProcess& held) { return Running(held.fd.get()); });
}

void SupervisedCmd::KillWhatIsLeft() {
  Signal(SIGKILL);
  if (!reaped_) Reap();
}

Status SupervisedCmd::Check(Ending ending, int wait_status) {
  const auto process_error = [this](ErrorCode code, std::string what, int exit_status) {
    return Error::FromProcess(code, Quote(path_) + " " + what, exit_status,
                              std::move(stdout_captured_), std::move(stderr_captured_));
  };
  switch (ending) {
    case Ending::kTimeout:
      return process_error(ErrorCode::kTimeout,
                           "killed after its timeout of " + std::to_string(started_timeout_->count()) + "ms",
                           -1);
    case Ending::kStop:
      return process_error(ErrorCode::kStopped, "was stopped", -1);
    case Ending::kByItself:
      break;
  }
  if (status_lost_) {
    return Error(ErrorCode::kInternal, Quote(path_) +
                                           " ended, but its exit status was lost (the kernel "
                                           "reaped it): was SIGCHLD ignored while it ran?");
  }
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    return Error::FromSignal(Quote(path_) + " was killed by signal " + std::to_string(signal) +
                                 " (" + strsignal(signal) + ")",
                             signal, std::move(stdout_captured_), std::move(stderr_captured_));
  }
  const int exit_status = WEXITSTATUS(wait_status);
  if (exit_status != 0) {
    return process_error(ErrorCode::kNonZeroExit,
                         "exited with status " + std::to_string(exit_status), exit_status);
  }
  return {};
}

}  // namespace

std::unique_ptr<Cmd> MakeSupervisedCmd(std::string path, std::vector<std::string> args,
                                       std::shared_ptr<const Spawner> spawner) {
  return std::make_unique<SupervisedCmd>(std::move(path), std::move(args), std::move(spawner));
}

}  // namespace nsenter
