#include "fakehost/fake_executor.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>

#include "fakehost/gnu_messages.h"
#include "fakehost/host_command_emulation.h"
#include "fakehost/host_commands.h"
#include "fakehost/realpath_emulation.h"
#include "nsenter/host_path.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter::fakehost {
namespace {

constexpr std::string_view kMountOption = "--mount=";
constexpr std::string_view kWorkingDirectoryOption = "--wdns=";
// nsenter(1) (util-linux errexec): the program does not exist, or cannot run.
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;
constexpr mode_t kExecuteBits = 0111;

bool IsNsenter(const std::string& program) {
  return std::filesystem::path(program).filename() == "nsenter";
}

// Why execve(2) of `program` (a path with a slash, taken from the host's "/")
// fails on `view`, or nullopt if it would run.
std::optional<ErrorCode> CannotExecute(const FileView& view, const std::string& program) {
  Result<std::string> resolved = ResolveRealpath(
      view, program.front() == '/' ? program : "/" + program, RealpathMode::kMustExist);
  if (!resolved.ok()) return resolved.error().code();
  Result<FileStat> file = view.Lstat(*resolved);
  if (!file.ok()) return file.error().code();
  if (file->type != FileType::kRegular || (file->mode & kExecuteBits) == 0) {
    return ErrorCode::kPermissionDenied;
  }
  return std::nullopt;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) {  // As SIGPIPE's default action ends a real program.
      return Error::FromSignal("writing output to descriptor " + std::to_string(fd) +
                                   ": the reader is gone, as SIGPIPE reports it",
                               SIGPIPE, "", "");
    }
    if (n < 0) {
      return Error(ErrorCode::kInternal, "writing output to descriptor " + std::to_string(fd) +
                                             ": " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

class FakeExecutor::State {
 public:
  State(std::shared_ptr<FakeHost> host, FakeExecutorOptions options)
      : host_(std::move(host)), mount_namespace_(std::move(options.mount_namespace)) {
    const Fixture& fixture = host_->fixture();
    if (mount_namespace_.empty()) {
      mount_namespace_ = JoinHostPath(options.host_root.empty() ? fixture.root : options.host_root,
                                      fixture.mount_namespace);
    }
    for (const ScriptedCommand& command : fixture.commands) {
      scripts_.emplace(command.argv, command.answer);
    }
  }

  const std::string& mount_namespace() const { return mount_namespace_; }

  void SetDefaultAnswer(Answer answer) {
    std::lock_guard<std::mutex> lock(mutex_);
    default_answer_ = std::move(answer);
  }

  std::vector<FakeCall> Calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

  // Answers one run of `call` and records it.
  Result<Answer> Respond(FakeCall call) {
    Result<Answer> answer = Decide(call);
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.push_back(std::move(call));
    return answer;
  }

  class FakeCmd;

 private:
  // The answer to `call`; sets its host_argv and answered_by.
  Result<Answer> Decide(FakeCall& call) const {
    if (Status valid = ValidateCommand(call.program, call.args, call.env ? &*call.env : nullptr);
        !valid.ok()) {
      return valid.error();
    }
    const std::vector<std::string>& args = call.args;
    const size_t separator =
        args.size() > 1 && args[1].starts_with(kWorkingDirectoryOption) ? 2 : 1;
    if (!IsNsenter(call.program) || args.size() < separator + 2 ||
        !args[0].starts_with(kMountOption) || args[separator] != "--" ||
        args[separator + 1].empty()) {
      return Refuse(call, "expected `nsenter --mount=" + mount_namespace_ +
                              " [--wdns=DIR] -- CMD [ARGS...]`");
    }
    const std::string mount_namespace = args[0].substr(kMountOption.size());
    if (mount_namespace != mount_namespace_) {
      return Refuse(call, "it enters the mount namespace " + Quote(mount_namespace) +
                              ", but the fake host is reached through " + Quote(mount_namespace_));
    }
    if (separator == 2) call.host_dir = args[1].substr(kWorkingDirectoryOption.size());
    call.host_argv.assign(args.begin() + static_cast<std::ptrdiff_t>(separator) + 1, args.end());

    if (const auto script = scripts_.find(call.host_argv); script != scripts_.end()) {
      call.answered_by = AnswerSource::kScript;
      return script->second;
    }
    const std::string& program = call.host_argv.front();
    if (std::optional<RealpathInvocation> realpath = ParseRealpathCommand(call.host_argv)) {
      call.answered_by = AnswerSource::kRealpathEmulation;
      return Emulate(program, [&] { return RunRealpath(*host_, *realpath); });
    }
    if (std::optional<HostCommand> command = ParseHostCommand(call.host_argv)) {
      call.answered_by = AnswerSource::kHostEmulation;
      return Emulate(program, [&] { return RunHostCommand(*host_, program, *command); });
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (default_answer_) {
        call.answered_by = AnswerSource::kDefaultAnswer;
        return *default_answer_;
      }
    }
    // The refused argv names the host command (once: it may be long).
    return Refuse(call, "no answer is scripted for this host command");
  }

  // The answer of `run`, the emulation of `program`, unless nsenter cannot
  // execute `program` on the fake host.
  Result<Answer> Emulate(const std::string& program,
                         const std::function<Result<Answer>()>& run) const {
    // nsenter execs a program named with a slash as it is, and a bare name
    // from the PATH, which the fake host does not model.
    if (program.find('/') != std::string::npos) {
      if (const std::optional<ErrorCode> code = CannotExecute(*host_, program)) {
        const std::optional<std::string_view> reason = LookupErrorText(*code);
        if (!reason) {
          return Error(ErrorCode::kInternal, "fake host of " + host_->fixture().source +
                                                 ": cannot tell whether " + Quote(program) +
                                                 " is executable");
        }
        return Answer{*code == ErrorCode::kNotFound ? kNsenterNotFound : kNsenterCannotExecute, "",
                      "nsenter: failed to execute " + program + ": " + std::string(*reason) + "\n"};
      }
    }
    return run();
  }

  Error Refuse(const FakeCall& call, const std::string& reason) const {
    std::vector<std::string> argv = call.args;
    argv.insert(argv.begin(), call.program);
    return Error(ErrorCode::kExecFailed, "fake host of " + host_->fixture().source + " refuses " +
                                             QuoteArgv(argv) + ": " + reason);
  }

  const std::shared_ptr<FakeHost> host_;
  std::string mount_namespace_;
  std::map<std::vector<std::string>, Answer> scripts_;
  mutable std::mutex mutex_;
  std::optional<Answer> default_answer_;  // Guarded by mutex_.
  std::vector<FakeCall> calls_;           // Guarded by mutex_.
};

class FakeExecutor::State::FakeCmd final : public Cmd {
 public:
  FakeCmd(std::shared_ptr<State> state, std::string program, std::vector<std::string> args)
      : state_(std::move(state)) {
    call_.program = std::move(program);
    call_.args = std::move(args);
  }

  void SetDir(std::string dir) override { call_.dir = std::move(dir); }
  void SetEnv(std::vector<std::string> env) override { call_.env = std::move(env); }
  void SetStdin(std::string data) override {
    call_.stdin_data = std::move(data);
    call_.stdin_fd.reset();
  }
  void SetStdinFd(int fd) override {
    call_.stdin_fd = fd;
    call_.stdin_data.reset();
  }
  void SetStdout(int fd) override { stdout_ = {fd, nullptr}; }
  void SetStderr(int fd) override { stderr_ = {fd, nullptr}; }
  void SetStdoutHandler(OutputHandler handler) override { stdout_ = {-1, std::move(handler)}; }
  void SetStderrHandler(OutputHandler handler) override { stderr_ = {-1, std::move(handler)}; }
  void SetTimeout(std::chrono::milliseconds timeout) override { call_.timeout = timeout; }
  void SetStopGracePeriod(std::chrono::milliseconds grace_period) override {
    call_.stop_grace_period = grace_period;
  }

  Status Start() override {
    if (answer_) {
      return Error(ErrorCode::kInvalidArgument,
                   "command " + Quote(call_.program) + " was already started");
    }
    if (stop_requested_) {
      return Error(ErrorCode::kStopped,
                   "command " + Quote(call_.program) + " was stopped before it started; nothing ran");
    }
    if (Status valid = ValidateTimeouts(call_.program, call_.timeout,
                                        call_.stop_grace_period.value_or(kDefaultStopGracePeriod));
        !valid.ok()) {
      return valid;
    }
    answer_ = state_->Respond(call_);
    if (!answer_->ok()) return answer_->error();
    return {};
  }

  Status Wait() override {
    Result<Answer> answer = Finish();
    if (!answer.ok()) return answer.error();
    if (Status sent = Send(answer->stdout_data, stdout_); !sent.ok()) return sent;
    std::string captured_stderr;
    if (stderr_.fd >= 0 || stderr_.handler) {
      if (Status sent = Send(answer->stderr_data, stderr_); !sent.ok()) return sent;
    } else {
      captured_stderr = std::move(answer->stderr_data);
    }
    return Check(answer->exit_code, "", std::move(captured_stderr));
  }

  void Stop(int) override { stop_requested_ = true; }

  Status Run() override {
    if (Status started = Start(); !started.ok()) return started;
    return Wait();
  }

  Result<std::string> Output() override {
    if (Status started = Start(); !started.ok()) return started.error();
    Result<Answer> answer = Finish();
    if (!answer.ok()) return answer.error();
    if (Status status = Check(answer->exit_code, answer->stdout_data, answer->stderr_data);
        !status.ok()) {
      return status.error();
    }
    return std::move(answer->stdout_data);
  }

  Result<std::string> CombinedOutput() override {
    if (Status started = Start(); !started.ok()) return started.error();
    Result<Answer> answer = Finish();
    if (!answer.ok()) return answer.error();
    std::string combined = answer->stdout_data + answer->stderr_data;
    if (Status status = Check(answer->exit_code, combined, ""); !status.ok()) return status.error();
    return combined;
  }

 private:
  // Where one output stream goes; with neither, it is discarded (stdout) or
  // captured (stderr).
  struct Sink {
    int fd = -1;
    OutputHandler handler;
  };

  static Status Send(const std::string& data, const Sink& sink) {
    if (sink.fd >= 0) return WriteAll(sink.fd, data);
    if (sink.handler && !data.empty()) sink.handler(data);
    return {};
  }

  // The started command's answer, once: kInvalidArgument without a
  // successful Start or the second time, kStopped after Stop.
  Result<Answer> Finish() {
    if (!answer_ || !answer_->ok()) {
      return Error(ErrorCode::kInvalidArgument, "command " + Quote(call_.program) + " was not started");
    }
    if (waited_) {
      return Error(ErrorCode::kInvalidArgument,
                   "command " + Quote(call_.program) + " was already waited for");
    }
    waited_ = true;
    if (stop_requested_) {
      return Error::FromProcess(ErrorCode::kStopped, Quote(call_.program) + " was stopped", -1, "",
                                "");
    }
    return **answer_;
  }

  Status Check(int exit_code, std::string stdout_data, std::string stderr_data) const {
    if (exit_code == 0) return {};
    return Error::FromProcess(
        ErrorCode::kNonZeroExit,
        Quote(call_.program) + " exited with status " + std::to_string(exit_code), exit_code,
        std::move(stdout_data), std::move(stderr_data));
  }

  std::shared_ptr<State> state_;
  FakeCall call_;
  Sink stdout_;
  Sink stderr_;
  std::optional<Result<Answer>> answer_;  // Set by Start.
  bool waited_ = false;
  std::atomic<bool> stop_requested_{false};
};

FakeExecutor::FakeExecutor(std::shared_ptr<FakeHost> host, FakeExecutorOptions options)
    : state_(std::make_shared<State>(std::move(host), std::move(options))) {}

std::unique_ptr<Cmd> FakeExecutor::Command(const std::string& path,
                                           const std::vector<std::string>& args) const {
  return std::make_unique<State::FakeCmd>(state_, path, args);
}

void FakeExecutor::SetDefaultAnswer(Answer answer) { state_->SetDefaultAnswer(std::move(answer)); }

std::vector<FakeCall> FakeExecutor::Calls() const { return state_->Calls(); }

const std::string& FakeExecutor::mount_namespace() const { return state_->mount_namespace(); }

}  // namespace nsenter::fakehost
