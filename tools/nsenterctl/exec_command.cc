// nsenterctl exec: run a command in the host mount namespace.
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <string_view>
#include <thread>

#include "nsenter/quote.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"

extern char** environ;

namespace nsenterctl {
namespace {

// Exit statuses of exec, as shells and timeout(1) give them.
constexpr int kExitCannotExecute = 126;
constexpr int kExitNotFound = 127;
constexpr int kExitTimeout = 124;
constexpr int kExitSignalBase = 128;

// While it lives, SIGINT, SIGTERM and SIGHUP sent to this process stop the
// command (Cmd::Stop: the signal received to the host program and its process
// group, SIGKILL after the grace period) instead of ending this process with
// the program unreaped (and a fixture's temporary tree left behind). Block the
// signals (BlockForwardedSignals) before any thread starts, so that every
// thread inherits the mask; programs started later get an empty mask.
class SignalForwarder {
 public:
  static void BlockForwardedSignals() {
    const sigset_t signals = Forwarded();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  }

  explicit SignalForwarder(nsenter::Cmd& cmd)
      : signals_(OpenSignalFd()),
        done_(eventfd(0, EFD_CLOEXEC)),
        thread_([this, &cmd] { Forward(cmd); }) {}

  ~SignalForwarder() {
    const uint64_t one = 1;
    if (write(done_, &one, sizeof one) < 0) {
      // Nothing to do: the thread then ends with the signalfd's end.
    }
    thread_.join();
    close(signals_);
    close(done_);
  }

  // The signal that stopped the command, or 0.
  int received() const { return received_; }

 private:
  static sigset_t Forwarded() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    return signals;
  }
  static int OpenSignalFd() {
    const sigset_t signals = Forwarded();
    return signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  }

  void Forward(nsenter::Cmd& cmd) {
    pollfd fds[2] = {{signals_, POLLIN, 0}, {done_, POLLIN, 0}};
    for (;;) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      signalfd_siginfo info;
      if (read(signals_, &info, sizeof info) == sizeof info) {
        const int signal_number = static_cast<int>(info.ssi_signo);
        if (received_ == 0) received_ = signal_number;
        cmd.Stop(signal_number);  // Only the first signal counts.
      }
    }
  }

  int signals_;
  int done_;
  std::atomic<int> received_{0};
  std::thread thread_;
};

// The host program's environment: the host environment (or, with
// --inherit-env, this process's), then every --env KEY=VALUE in order, a
// later KEY replacing an earlier one.
std::vector<std::string> Environment(const ParsedArgs& args, const nsenter::Nsenter& ns) {
  std::vector<std::string> base;
  if (args.Has("inherit-env")) {
    for (char** entry = environ; *entry != nullptr; ++entry) base.emplace_back(*entry);
  } else {
    base = ns.HostEnvironment();
  }
  std::map<std::string, size_t> index;  // KEY → its entry in `env`.
  std::vector<std::string> env;
  const auto set = [&](const std::string& entry) {
    const std::string key = entry.substr(0, entry.find('='));
    const auto [found, inserted] = index.emplace(key, env.size());
    if (inserted) {
      env.push_back(entry);
    } else {
      env[found->second] = entry;
    }
  };
  for (const std::string& entry : base) set(entry);
  for (const std::string& entry : args.Values("env")) set(entry);
  return env;
}

// Writes a chunk of the host program's stderr to ours; a write that fails
// (our stderr closed) drops the rest of the chunk, as the program's own
// write would fail.
void WriteToStderr(std::string_view chunk) {
  while (!chunk.empty()) {
    const ssize_t n = write(STDERR_FILENO, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    chunk.remove_prefix(static_cast<size_t>(n));
  }
}

// Throws UsageError for an --env value that is not KEY=VALUE.
void CheckEnvOptions(const ParsedArgs& args) {
  for (const std::string& entry : args.Values("env")) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageError("invalid --env " + nsenter::Quote(entry) + " (want KEY=VALUE)");
    }
  }
}

// The exit status for a failed run of `host`'s, after saying why where the
// program did not say it itself.
int ExitStatusOf(const nsenter::Error& error, const Host& host) {
  if (error.code() == nsenter::ErrorCode::kNonZeroExit) return error.exit_status();  // It said why.
  // As shells, quiet about an interrupt and a closed pipe (`| head`).
  const bool quiet = error.code() == nsenter::ErrorCode::kSignalled &&
                     (error.signal_number() == SIGINT || error.signal_number() == SIGPIPE);
  if (!quiet) Fail(host.Describe(error));
  switch (error.code()) {
    case nsenter::ErrorCode::kSignalled:
      return kExitSignalBase + error.signal_number();
    case nsenter::ErrorCode::kTimeout:
      return kExitTimeout;
    case nsenter::ErrorCode::kNotFound:
      return kExitNotFound;
    case nsenter::ErrorCode::kPermissionDenied:
      return kExitCannotExecute;
    default:
      return 1;
  }
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"timeout", true, false});
  specs.push_back({"env", true, true});
  specs.push_back({"inherit-env", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().empty()) throw UsageError("expected a command after '--'");
  const std::string& program = args.operands()[0];
  if (program.empty()) throw UsageError("CMD is empty");
  // Relative to which directory? The container's, the host's: neither is meant.
  if (program.front() != '/' && program.find('/') != std::string::npos) {
    throw UsageError("CMD " + nsenter::Quote(program) +
                     " is neither an absolute host path nor a bare name for the host PATH");
  }
  std::optional<std::chrono::milliseconds> timeout;
  if (args.Has("timeout")) timeout = ParseDuration(args.Value("timeout"));
  CheckEnvOptions(args);
  RefuseOnMaterializedFixture(args, "exec", FixtureNeed::kRunsPrograms);

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::Nsenter& ns = (*host)->nsenter();
  const std::vector<std::string>& operands = args.operands();
  std::unique_ptr<nsenter::Cmd> cmd =
      ns.Exec(operands[0], std::vector<std::string>(operands.begin() + 1, operands.end()));
  cmd->SetEnv(Environment(args, ns));
  // Our stdin goes on to the program, as `docker exec -i` does (a closed one
  // is /dev/null since main's start).
  cmd->SetStdinFd(STDIN_FILENO);
  cmd->SetStdout(STDOUT_FILENO);
  if (ns.backend() == nsenter::Backend::kNsenter) {
    // Streamed, so that nsenter's own message about a program it cannot
    // run becomes the library's error, printed once as ours (natively such
    // failures never reach the program's stderr).
    cmd->SetStderrHandler(WriteToStderr);
  } else {
    cmd->SetStderr(STDERR_FILENO);
  }
  if (timeout) cmd->SetTimeout(*timeout);
  SignalForwarder::BlockForwardedSignals();
  if (const nsenter::Status started = cmd->Start(); !started.ok()) {
    return ExitStatusOf(started.error(), **host);
  }
  nsenter::Status status;
  int signal_number = 0;
  {
    const SignalForwarder forwarder(*cmd);
    status = cmd->Wait();
    signal_number = forwarder.received();
  }
  // Stopped by a signal of ours: exit as a shell reports that signal.
  if (signal_number != 0) return kExitSignalBase + signal_number;
  return status.ok() ? 0 : ExitStatusOf(status.error(), **host);
}

}  // namespace

const Command kExec = {
    "exec", "run a command in the host mount namespace",
    "usage: nsenterctl exec [HOST OPTIONS] [--timeout DURATION]\n"
    "                       [--env KEY=VALUE]... [--inherit-env] -- CMD [ARGS...]\n\n"
    "Runs CMD (an absolute host path, a discovered host binary such as mount, or a\n"
    "name looked up on the host PATH, /usr/local/sbin:/usr/local/bin:/usr/sbin:\n"
    "/usr/bin:/sbin:/bin) in the host mount namespace, with this process's stdin,\n"
    "stdout and stderr, and in the host's / directory. CMD's environment is only\n"
    "the host PATH, plus each --env; nothing of this process's environment reaches\n"
    "the host unless --inherit-env. With --fixture, only the commands the fixture\n"
    "recorded answer, through nsenter; --backend native is refused.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --timeout DURATION  kill CMD after DURATION: a number of seconds, or a\n"
        "                      number with a unit ms, s, m or h (500ms, 1.5s, 30, 2m,\n"
        "                      1h)\n"
        "  --env KEY=VALUE     set KEY in CMD's environment (repeatable)\n"
        "  --inherit-env       start from this process's environment, not the host PATH\n\n"
        "SIGINT, SIGTERM and SIGHUP stop CMD: that signal to CMD and its process\n"
        "group, SIGKILL 5s later if any of it is still there; nsenterctl then exits\n"
        "130, 143 or 129. When stdin is the terminal and nsenterctl runs in its\n"
        "foreground, CMD's process group has the terminal while CMD runs, so CMD can\n"
        "read it and ^C reaches CMD itself.\n\n"
        "exit status:\n"
        "  N      CMD's own exit status (0 when it succeeded)\n"
        "  1      nsenterctl failed before CMD could run (e.g. a namespace it cannot\n"
        "         enter)\n"
        "  2      bad usage\n"
        "  124    CMD outlived --timeout and was killed\n"
        "  126    CMD exists on the host but cannot be executed\n"
        "  127    CMD was not found on the host\n"
        "  128+N  CMD was killed by signal N (said on stderr, but for SIGINT and\n"
        "         SIGPIPE); 129, 130 or 143 after SIGHUP, SIGINT or SIGTERM\n",
    Run};

}  // namespace nsenterctl
