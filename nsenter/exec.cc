#include "nsenter/exec.h"

#include <fcntl.h>
#include <signal.h>

#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

class FailedCmd final : public Cmd {
 public:
  explicit FailedCmd(Error error) : error_(std::move(error)) {}

  void SetDir(std::string) override {}
  void SetEnv(std::vector<std::string>) override {}
  void SetStdin(std::string) override {}
  void SetStdinFd(int) override {}
  void SetStdout(int) override {}
  void SetStderr(int) override {}
  void SetStdoutHandler(OutputHandler) override {}
  void SetStderrHandler(OutputHandler) override {}
  void SetTimeout(std::chrono::milliseconds) override {}
  void SetStopGracePeriod(std::chrono::milliseconds) override {}
  Status Start() override { return error_; }
  Status Wait() override { return error_; }
  void Stop(int) override {}
  Status Run() override { return error_; }
  Result<std::string> Output() override { return error_; }
  Result<std::string> CombinedOutput() override { return error_; }

 private:
  Error error_;
};

bool HasNul(const std::string& text) { return text.find('\0') != std::string::npos; }

}  // namespace

std::unique_ptr<Cmd> MakeFailedCmd(Error error) {
  return std::make_unique<FailedCmd>(std::move(error));
}

Status ValidateCommand(const std::string& path, const std::vector<std::string>& args,
                       const std::vector<std::string>* env) {
  if (path.empty()) {
    return Error(ErrorCode::kInvalidArgument, "command path is empty");
  }
  if (HasNul(path)) {
    return Error(ErrorCode::kInvalidArgument, "command path " + Quote(path) + " contains a NUL byte");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (HasNul(args[i])) {
      return Error(ErrorCode::kInvalidArgument, "argument " + std::to_string(i + 1) + " " +
                                                    Quote(args[i]) + " of " + Quote(path) +
                                                    " contains a NUL byte");
    }
  }
  if (env != nullptr) {
    for (const std::string& entry : *env) {
      if (HasNul(entry)) {
        return Error(ErrorCode::kInvalidArgument,
                     "environment entry " + Quote(entry) + " contains a NUL byte");
      }
    }
  }
  return {};
}

Status ValidateWorkingDirectory(const std::string& dir) {
  if (HasNul(dir)) {
    return Error(ErrorCode::kInvalidArgument,
                 "working directory " + Quote(dir) + " contains a NUL byte");
  }
  return {};
}

Status ValidateTimeouts(const std::string& path, std::optional<std::chrono::milliseconds> timeout,
                        std::chrono::milliseconds grace_period) {
  if (timeout && timeout->count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "the timeout of " + Quote(path) + ", " +
                                                  std::to_string(timeout->count()) +
                                                  "ms, is not positive");
  }
  if (grace_period.count() < 0) {
    return Error(ErrorCode::kInvalidArgument, "the stop grace period of " + Quote(path) + ", " +
                                                  std::to_string(grace_period.count()) +
                                                  "ms, is negative");
  }
  return {};
}

Status ValidateStandardDescriptors(const std::string& path, int stdin_fd, int stdout_fd,
                                   int stderr_fd) {
  const struct {
    const char* stream;
    int fd;
  } given[] = {{"standard input", stdin_fd}, {"standard output", stdout_fd},
               {"standard error", stderr_fd}};
  for (const auto& [stream, fd] : given) {
    if (fd >= 0 && fcntl(fd, F_GETFD) < 0) {
      return Error(ErrorCode::kInvalidArgument, "cannot start " + Quote(path) + ": its " +
                                                    stream + ", descriptor " +
                                                    std::to_string(fd) + ", is not open");
    }
  }
  return {};
}

Status ValidateChildStatusKept(const std::string& path) {
  struct sigaction action;
  if (sigaction(SIGCHLD, nullptr, &action) == 0 &&
      (action.sa_handler == SIG_IGN || (action.sa_flags & SA_NOCLDWAIT) != 0)) {
    return Error(ErrorCode::kExecFailed,
                 "cannot start " + Quote(path) +
                     ": this process ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT), so the kernel "
                     "would reap it and its exit status would be lost");
  }
  return {};
}

}  // namespace nsenter
