#include "nsenter/exec.h"

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

}  // namespace nsenter
