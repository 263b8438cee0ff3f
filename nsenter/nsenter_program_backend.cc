#include "nsenter/nsenter_program_backend.h"

#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_output.h"

namespace nsenter {
namespace {

// nsenter(1) (util-linux) enters the namespaces and then execvp()s the
// program. When that fails it prints, in the C locale,
//   nsenter: failed to execute PROGRAM: REASON
// and exits 127 (ENOENT) or 126 (any other reason). Its failures before
// the exec (a namespace or directory it cannot open) print one "nsenter: "
// line and exit 1.
constexpr std::string_view kNsenterMessagePrefix = "nsenter: ";
constexpr std::string_view kExecFailurePrefix = "nsenter: failed to execute ";
constexpr std::string_view kNotFoundReason = "No such file or directory";
constexpr std::string_view kPermissionReason = "Permission denied";
constexpr int kNsenterOwnFailure = 1;
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;
// nsenter's option for a working directory opened after the namespaces are
// entered (util-linux 2.38 and later); its --wd= opens the directory before,
// in the container.
constexpr std::string_view kWorkingDirectoryOption = "--wdns=";

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

// `error`'s message with the program it names, `from`, renamed `to`: through
// nsenter, the process that exits, is signalled or times out is the host
// program (nsenter execs it).
Error Renamed(const Error& error, const std::string& from, const std::string& to) {
  const std::string quoted = Quote(from);
  if (!error.message().starts_with(quoted)) return error;
  return error.WithCode(error.code(), Quote(to) + error.message().substr(quoted.size()));
}

// `error` (nsenter's exit) as the failure to execute the host program: the
// same codes and messages as the native backend's (setns_executor.h), with
// nsenter's exit status and message kept.
Error ExecFailure(const Error& error, const std::string& reason, const std::string& host_program) {
  if (error.exit_status() == kNsenterNotFound && reason == kNotFoundReason) {
    return error.WithCode(ErrorCode::kNotFound, "host program " + Quote(host_program) +
                                                    " not found in the host mount namespace");
  }
  if (reason == kPermissionReason) {
    return error.WithCode(ErrorCode::kPermissionDenied,
                          "host program " + Quote(host_program) +
                              " cannot be executed on the host: " + reason);
  }
  return error.WithCode(ErrorCode::kExecFailed,
                        "cannot start host program " + Quote(host_program) + ": " + reason);
}

// Gives an error of a command run through nsenter its host-side meaning.
// `nsenter_stderr` is what the run captured of nsenter's stderr, or null when
// it went to a descriptor of the caller; `dir` the host working directory, if
// any (nsenter's message about it does not name it).
Error ClassifyNsenterError(const Error& error, const std::string* nsenter_stderr,
                           const std::string& nsenter_program, const std::string& host_program,
                           const std::optional<std::string>& dir) {
  if (error.code() != ErrorCode::kNonZeroExit) {
    return Renamed(error, nsenter_program, host_program);
  }
  const int status = error.exit_status();
  std::string rest;
  if (nsenter_stderr != nullptr) {
    const std::string failed_prefix = std::string(kExecFailurePrefix) + host_program + ": ";
    if ((status == kNsenterNotFound || status == kNsenterCannotExecute) &&
        IsOneLine(*nsenter_stderr, failed_prefix, &rest)) {
      return ExecFailure(error, rest, host_program);
    }
    if (status == kNsenterOwnFailure &&
        IsOneLine(*nsenter_stderr, kNsenterMessagePrefix, &rest)) {
      const std::string in_dir = dir ? " in host directory " + Quote(*dir) : "";
      return error.WithCode(ErrorCode::kExecFailed, "nsenter failed before running " +
                                                        Quote(host_program) + in_dir + ": " + rest);
    }
  }
  return Renamed(error, nsenter_program, host_program);
}

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
      : config_(std::move(config)), host_program_(std::move(host_program)), args_(std::move(args)) {}

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
    return ClassifyStatus((*inner)->Start(), StderrCapturedByWait());
  }
  Status Wait() override {
    Cmd* inner = Prepared();
    if (inner == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "command " + Quote(host_program_) + " was not started");
    }
    return ClassifyStatus(inner->Wait(), StderrCapturedByWait());
  }
  void Stop() override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!inner_) {
      stop_requested_ = true;  // Prepare stops the Cmd it makes.
      return;
    }
    Cmd* inner = inner_.get();
    lock.unlock();
    inner->Stop();
  }
  Status Run() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    return ClassifyStatus((*inner)->Run(), StderrCapturedByWait());
  }
  Result<std::string> Output() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    Result<std::string> output = (*inner)->Output();
    if (output.ok()) return output;
    return Classify(output.error(), &output.error().stderr_data());
  }
  Result<std::string> CombinedOutput() override {
    Result<Cmd*> inner = Prepare();
    if (!inner.ok()) return inner.error();
    Result<std::string> output = (*inner)->CombinedOutput();
    if (output.ok()) return output;
    // Both streams were captured into one.
    return Classify(output.error(), &output.error().stdout_data());
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
    if (stdout_handler_) inner_->SetStdoutHandler(stdout_handler_);
    if (stderr_handler_) inner_->SetStderrHandler(stderr_handler_);
    if (timeout_) inner_->SetTimeout(*timeout_);
    if (grace_period_) inner_->SetStopGracePeriod(*grace_period_);
    if (stop_requested_) inner_->Stop();  // Its Start then fails with kStopped.
    return inner_.get();
  }

  Cmd* Prepared() {
    std::lock_guard<std::mutex> lock(mutex_);
    return inner_.get();
  }

  // Whether Run and Wait capture stderr into their error (nsenter's message
  // is then seen), or it goes to the caller's descriptor or handler.
  bool StderrCapturedByWait() const { return stderr_fd_ < 0 && !stderr_handler_; }

  Status ClassifyStatus(Status status, bool stderr_captured) const {
    if (status.ok()) return status;
    return Classify(status.error(), stderr_captured ? &status.error().stderr_data() : nullptr);
  }

  Error Classify(const Error& error, const std::string* nsenter_stderr) const {
    return ClassifyNsenterError(error, nsenter_stderr, config_->program, host_program_, dir_);
  }

  std::shared_ptr<const NsenterProgramConfig> config_;
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
  bool stop_requested_ = false;  // Guarded by mutex_.
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
    std::unique_ptr<Cmd> cmd = Command(config_->realpath, {flag, "--", path});
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
