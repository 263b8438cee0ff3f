#include "nsenter/nsenter_program_backend.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_output.h"

namespace nsenter {
namespace {

// nsenter(1) (util-linux) enters the namespaces and then execvp()s the
// program. When that fails it prints, in the C locale,
//   NAME: failed to execute PROGRAM: REASON
// and exits 127 (ENOENT) or 126 (any other reason); NAME is the name it was
// invoked by, the last component of its argv[0] ("nsenter"). Its failures
// before the exec, about the options it was given, print one "NAME: " line
// of their own and exit 1: see OwnFailureStarts.
constexpr std::string_view kExecFailure = "failed to execute ";
constexpr std::string_view kNotFoundReason = "No such file or directory";
constexpr std::string_view kPermissionReason = "Permission denied";
constexpr int kNsenterOwnFailure = 1;
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;
// nsenter's option for a working directory opened after the namespaces are
// entered (util-linux 2.38 and later); its --wd= opens the directory before,
// in the container.
constexpr std::string_view kWorkingDirectoryOption = "--wdns=";

// The longest stderr that may still be nsenter's one-line message: a path
// and a reason.
constexpr size_t kLongestNsenterMessage = 8192;

// Whether `text` is exactly one line starting with `prefix`; its rest (without
// the newline) goes to `rest`.
bool IsOneLine(const std::string& text, std::string_view prefix, std::string* rest) {
  if (!text.starts_with(prefix) || text.empty() || text.back() != '\n' ||
      text.find('\n') != text.size() - 1) {
    return false;
  }
  *rest = text.substr(prefix.size(), text.size() - prefix.size() - 1);
  return true;
}

// What starts each of nsenter's messages: the name it is invoked by as
// `program`, and ": ".
std::string MessagePrefix(const std::string& program) {
  return program.substr(program.rfind('/') + 1) + ": ";
}

// Whether `text`, the start of a stderr stream, may still become exactly one
// line starting with `prefix`.
bool MayBecomeNsenterMessage(const std::string& text, const std::string& prefix) {
  if (text.size() <= prefix.size()) return prefix.starts_with(text);
  const size_t newline = text.find('\n');
  return text.starts_with(prefix) && text.size() <= kLongestNsenterMessage &&
         (newline == std::string::npos || newline == text.size() - 1);
}

// How the messages util-linux's nsenter (2.38) prints about the options
// this backend gives it start, after the prefix: a namespace file it cannot
// open or enter, a working directory (--wdns=) it cannot enter. A program's
// own message rarely names this backend's namespace files.
std::vector<std::string> OwnFailureStarts(const std::vector<NamespaceFile>& namespaces,
                                          bool has_dir) {
  std::vector<std::string> starts;
  for (const NamespaceFile& ns : namespaces) {
    starts.push_back("cannot open " + ns.path + ": ");
    starts.push_back("reassociate to namespace 'ns/" + std::string(InfoOf(ns.kind).proc_name) +
                     "' failed: ");
  }
  if (has_dir) {
    starts.push_back("cannot open current working directory: ");
    starts.push_back("change directory by working directory file descriptor failed: ");
  }
  return starts;
}

// `error`'s message with the program it names, `from`, renamed `to`: through
// nsenter, the process that exits, is signalled or times out is the host
// program (nsenter execs it), and so is the command a caller misused
// ("command 'nsenter' was already waited for"). A failure to start nsenter
// itself keeps its name.
Error Renamed(const Error& error, const std::string& from, const std::string& to) {
  for (const std::string prefix : {"", "command "}) {
    const std::string named = prefix + Quote(from);
    if (error.message().starts_with(named)) {
      return error.WithCode(error.code(),
                            prefix + Quote(to) + error.message().substr(named.size()));
    }
  }
  return error;
}

// The failure to execute the host program, for nsenter's reason: the same
// codes and messages as the native backend's (setns_executor.h), and, as
// there, no exit status (the program never ran); nsenter's output is kept.
Error ExecFailure(const Error& error, const std::string& reason, const std::string& host_program) {
  const auto failure = [&error](ErrorCode code, std::string message) {
    return Error::FromProcess(code, std::move(message), -1, error.stdout_data(), error.stderr_data());
  };
  if (error.exit_status() == kNsenterNotFound && reason == kNotFoundReason) {
    return failure(ErrorCode::kNotFound,
                   "host program " + Quote(host_program) + " not found in the host mount namespace");
  }
  if (reason == kPermissionReason) {
    return failure(ErrorCode::kPermissionDenied, "host program " + Quote(host_program) +
                                                     " cannot be executed on the host: " + reason);
  }
  return failure(ErrorCode::kExecFailed,
                 "cannot start host program " + Quote(host_program) + ": " + reason);
}

// nsenter's own failure, told from the host program's exit, or nothing when
// `error` is not one. It is one when nsenter's status comes with one line on
// stderr (`nsenter_stderr`, as far as the run saw it), all of it, with
// nsenter's `prefix`: for 126 and 127, "failed to execute" naming exactly
// `host_program`, and nothing on stdout (`wrote_stdout`: the program did
// write, so it ran); for 1, a message about the options nsenter was given
// (OwnFailureStarts of `namespaces`). `dir` is the host working directory,
// if any (nsenter's message about it does not name it).
std::optional<Error> NsenterFailure(const Error& error, const std::string& nsenter_stderr,
                                    bool wrote_stdout, const std::string& prefix,
                                    const std::vector<NamespaceFile>& namespaces,
                                    const std::string& host_program,
                                    const std::optional<std::string>& dir) {
  if (error.code() != ErrorCode::kNonZeroExit) return std::nullopt;
  const int status = error.exit_status();
  std::string rest;
  const std::string failed_prefix = prefix + std::string(kExecFailure) + host_program + ": ";
  if ((status == kNsenterNotFound || status == kNsenterCannotExecute) && !wrote_stdout &&
      IsOneLine(nsenter_stderr, failed_prefix, &rest)) {
    return ExecFailure(error, rest, host_program);
  }
  const auto about_options = [&](const std::string& message) {
    return std::ranges::any_of(OwnFailureStarts(namespaces, dir.has_value()),
                               [&](const std::string& start) { return message.starts_with(start); });
  };
  if (status == kNsenterOwnFailure && IsOneLine(nsenter_stderr, prefix, &rest) &&
      about_options(rest)) {
    const std::string in_dir = dir ? " in host directory " + Quote(*dir) : "";
    return Error::FromProcess(ErrorCode::kExecFailed,
                              "nsenter failed before running " + Quote(host_program) + in_dir +
                                  ": " + rest,
                              -1, error.stdout_data(), error.stderr_data());
  }
  return std::nullopt;
}

// Streams a command's stderr to the caller's handler, holding back its start
// while it may still be nsenter's own one-line message: the run's end then
// tells whether it was (and is dropped, said by the error instead) or was
// the program's (and is passed on).
//
// Thread-safety: called on the thread that supervises the command.
class StreamedStderr {
 public:
  StreamedStderr(OutputHandler handler, std::string prefix)
      : handler_(std::move(handler)), prefix_(std::move(prefix)) {}

  void operator()(std::string_view chunk) {
    if (passing_) {
      handler_(chunk);
      return;
    }
    held_.append(chunk);
    if (MayBecomeNsenterMessage(held_, prefix_)) return;
    passing_ = true;
    Release();
  }
  // What is held back: all of stderr so far, or nothing once it is passing.
  const std::string& held() const { return held_; }
  // Passes on what is held back.
  void Release() {
    if (!held_.empty()) handler_(held_);
    held_.clear();
  }

 private:
  OutputHandler handler_;
  std::string prefix_;  // nsenter's (MessagePrefix).
  std::string held_;
  bool passing_ = false;
};

// A command run through nsenter. Its settings are kept until it starts,
// since the working directory is an option of nsenter (--wdns=); the start
// then makes a Cmd of the executor, and its errors are classified.
//
// Thread-safety: as exec.h; Stop may come from any thread, so the executor's
// Cmd is made under a mutex, and never replaced once made.
class NsenterCmd final : public Cmd {
 public:
  NsenterCmd(std::shared_ptr<const NsenterProgramConfig> config, std::string host_program,
             std::vector<std::string> args)
      : config_(std::move(config)),
        message_prefix_(MessagePrefix(config_->program)),
        host_program_(std::move(host_program)),
        args_(std::move(args)) {}

  void SetDir(std::string dir) override { dir_ = std::move(dir); }
  void SetEnv(std::vector<std::string> env) override { env_ = std::move(env); }
  void SetStdin(std::string data) override {
    stdin_data_ = std::move(data);
    stdin_fd_ = -1;
  }
  void SetStdinFd(int fd) override {
    stdin_fd_ = fd;
    stdin_data_.reset();
  }
  void SetStdout(int fd) override {
    stdout_fd_ = fd;
    stdout_handler_ = nullptr;
  }
  void SetStderr(int fd) override {
    stderr_fd_ = fd;
    stderr_handler_ = nullptr;
  }
  void SetStdoutHandler(OutputHandler handler) override {
    stdout_handler_ = std::move(handler);
    stdout_fd_ = -1;
  }
  void SetStderrHandler(OutputHandler handler) override {
    stderr_handler_ = std::move(handler);
    stderr_fd_ = -1;
  }
  void SetTimeout(std::chrono::milliseconds timeout) override { timeout_ = timeout; }
  void SetStopGracePeriod(std::chrono::milliseconds grace_period) override {
    grace_period_ = grace_period;
  }

  Status Start() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    Status started = (*inner)->Start();
    if (started.ok()) return started;
    return Renamed(started.error(), config_->program, host_program_);
  }
  Status Wait() override {
    Cmd* inner = Prepared();
    if (inner == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "command " + Quote(host_program_) + " was not started");
    }
    return Ended(inner->Wait());
  }
  void Stop(int first_signal) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!inner_) {
      if (stop_signal_ == 0) stop_signal_ = first_signal;  // Prepare stops the Cmd it makes.
      return;
    }
    Cmd* inner = inner_.get();
    lock.unlock();
    inner->Stop(first_signal);
  }
  Status Run() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    return Ended((*inner)->Run());
  }
  Result<std::string> Output() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    Result<std::string> output = (*inner)->Output();
    if (output.ok()) return output;
    return Classify(output.error(), output.error().stderr_data(),
                    !output.error().stdout_data().empty());
  }
  Result<std::string> CombinedOutput() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    Result<std::string> output = (*inner)->CombinedOutput();
    if (output.ok()) return output;
    // Both streams were captured into one: it must be nsenter's line alone.
    return Classify(output.error(), output.error().stdout_data(), false);
  }

 private:
  // Makes the executor's command for nsenter, configured as this one, once.
  Result<Cmd*> Prepare() {
    std::vector<std::string> argv;
    for (const NamespaceFile& ns : config_->namespaces) {
      argv.push_back(std::string(InfoOf(ns.kind).nsenter_option) + "=" + ns.path);
    }
    if (dir_) {
      if (Status valid = ValidateWorkingDirectory(*dir_); !valid.ok()) return valid.error();
      argv.push_back(std::string(kWorkingDirectoryOption) + *dir_);
    }
    // Checked here too, so that the errors name the host program, not nsenter.
    for (const Status& valid :
         {ValidateTimeouts(host_program_, timeout_, grace_period_.value_or(kDefaultStopGracePeriod)),
          ValidateStandardDescriptors(host_program_, stdin_fd_, stdout_fd_, stderr_fd_),
          ValidateChildStatusKept(host_program_)}) {
      if (!valid.ok()) return valid.error();
    }
    argv.push_back("--");
    argv.push_back(host_program_);
    argv.insert(argv.end(), args_.begin(), args_.end());
    std::lock_guard<std::mutex> lock(mutex_);
    if (inner_) {
      return Error(ErrorCode::kInvalidArgument,
                   "command " + Quote(host_program_) + " was already started");
    }
    inner_ = config_->executor->Command(config_->program, argv);
    if (env_) inner_->SetEnv(*env_);
    if (stdin_data_) inner_->SetStdin(*stdin_data_);
    if (stdin_fd_ >= 0) inner_->SetStdinFd(stdin_fd_);
    if (stdout_fd_ >= 0) inner_->SetStdout(stdout_fd_);
    if (stderr_fd_ >= 0) inner_->SetStderr(stderr_fd_);
    if (stdout_handler_) {
      inner_->SetStdoutHandler([this](std::string_view chunk) {
        wrote_stdout_ = true;
        stdout_handler_(chunk);
      });
    }
    if (stderr_handler_) {
      streamed_stderr_ = std::make_shared<StreamedStderr>(stderr_handler_, message_prefix_);
      inner_->SetStderrHandler(
          [streamed = streamed_stderr_](std::string_view chunk) { (*streamed)(chunk); });
    }
    if (timeout_) inner_->SetTimeout(*timeout_);
    if (grace_period_) inner_->SetStopGracePeriod(*grace_period_);
    if (stop_signal_ != 0) inner_->Stop(stop_signal_);  // Its Start then fails with kStopped.
    return inner_.get();
  }

  Cmd* Prepared() {
    std::lock_guard<std::mutex> lock(mutex_);
    return inner_.get();
  }

  // How a Run or Wait ended, with its host-side meaning; passes on the
  // streamed stderr held back, unless it was nsenter's message.
  Status Ended(Status ended) {
    if (ended.ok()) {
      if (streamed_stderr_) streamed_stderr_->Release();
      return ended;
    }
    // Where stderr was captured, the error holds it; where it streams, the
    // start held back is what may be nsenter's message.
    const std::string* nsenter_stderr = nullptr;
    if (streamed_stderr_) {
      nsenter_stderr = &streamed_stderr_->held();
    } else if (stderr_fd_ < 0) {
      nsenter_stderr = &ended.error().stderr_data();
    }
    std::optional<Error> failure;
    if (nsenter_stderr != nullptr) {
      const bool wrote_stdout = wrote_stdout_ || !ended.error().stdout_data().empty();
      failure = Failure(ended.error(), *nsenter_stderr, wrote_stdout);
    }
    if (failure) return *failure;  // nsenter's message, said by the error, is not passed on.
    if (streamed_stderr_) streamed_stderr_->Release();
    return Renamed(ended.error(), config_->program, host_program_);
  }

  // Gives an error of a run that captured nsenter's stderr (`nsenter_stderr`)
  // its host-side meaning; `wrote_stdout`: the run saw the program's stdout.
  Error Classify(const Error& error, const std::string& nsenter_stderr, bool wrote_stdout) const {
    if (std::optional<Error> failure = Failure(error, nsenter_stderr, wrote_stdout)) {
      return *failure;
    }
    return Renamed(error, config_->program, host_program_);
  }

  // NsenterFailure, for this command.
  std::optional<Error> Failure(const Error& error, const std::string& nsenter_stderr,
                               bool wrote_stdout) const {
    return NsenterFailure(error, nsenter_stderr, wrote_stdout, message_prefix_,
                          config_->namespaces, host_program_, dir_);
  }

  std::shared_ptr<const NsenterProgramConfig> config_;
  std::string message_prefix_;  // nsenter's (MessagePrefix).
  std::string host_program_;
  std::vector<std::string> args_;
  std::optional<std::string> dir_;
  std::optional<std::vector<std::string>> env_;
  std::optional<std::string> stdin_data_;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  OutputHandler stdout_handler_;
  OutputHandler stderr_handler_;
  std::optional<std::chrono::milliseconds> timeout_;
  std::optional<std::chrono::milliseconds> grace_period_;

  std::mutex mutex_;
  std::unique_ptr<Cmd> inner_;   // Guarded by mutex_ until made; never replaced.
  int stop_signal_ = 0;          // Guarded by mutex_: a Stop's signal before inner_.
  std::shared_ptr<StreamedStderr> streamed_stderr_;  // With a stderr handler.
  // Whether the stdout handler saw output: set by the supervising thread,
  // read once Wait has returned.
  std::atomic<bool> wrote_stdout_{false};
};

class NsenterProgramBackend final : public HostBackend {
 public:
  explicit NsenterProgramBackend(NsenterProgramConfig config)
      : config_(std::make_shared<const NsenterProgramConfig>(std::move(config))),
        realpath_environment_(RealpathEnvironment(config_->host_path)) {}

  std::unique_ptr<Cmd> Command(const std::string& host_program,
                               const std::vector<std::string>& args) const override {
    return std::make_unique<NsenterCmd>(config_, host_program, args);
  }

  Result<std::string> Resolve(const std::string& path, RealpathMode mode) const override {
    const std::string flag = mode == RealpathMode::kMustExist ? "-e" : "-m";
    const std::vector<std::string> args = {flag, "--", path};
    if (config_->log) config_->log(5, HostRunLogLine(config_->realpath, args));
    std::unique_ptr<Cmd> cmd = Command(config_->realpath, args);
    // Parseable messages; the host PATH finds an undiscovered realpath.
    cmd->SetEnv(realpath_environment_);
    cmd->SetTimeout(config_->realpath_timeout);
    Result<std::string> output = cmd->Output();
    if (!output.ok()) return RealpathFailure(output.error(), path, flag);
    return ParseRealpathOutput(*output, path);
  }

  std::string resolution_root() const override { return ""; }

 private:
  std::shared_ptr<const NsenterProgramConfig> config_;  // Shared with its commands.
  std::vector<std::string> realpath_environment_;
};

}  // namespace

std::unique_ptr<HostBackend> MakeNsenterProgramBackend(NsenterProgramConfig config) {
  return std::make_unique<NsenterProgramBackend>(std::move(config));
}

}  // namespace nsenter
