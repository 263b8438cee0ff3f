#include "nsenter/nsenter_program_backend.h"

#include <utility>

#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_output.h"

namespace nsenter {
namespace {

// nsenter(1) exits 127 when the host program does not exist and 126 when it
// cannot be executed; its own failures exit 1 with a message of its own.
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;
constexpr std::string_view kNsenterMessagePrefix = "nsenter: ";

// Gives errors of a command run through nsenter their host-side meaning.
Error ClassifyNsenterError(const Error& error, const std::string& host_program) {
  if (error.code() != ErrorCode::kNonZeroExit) return error;
  switch (error.exit_status()) {
    case kNsenterNotFound:
      return error.WithCode(ErrorCode::kNotFound,
                            "host program " + Quote(host_program) +
                                " not found in the host mount namespace (nsenter exited 127)");
    case kNsenterCannotExecute:
      return error.WithCode(ErrorCode::kPermissionDenied,
                            "host program " + Quote(host_program) +
                                " cannot be executed on the host (nsenter exited 126)");
    default:
      if (error.exit_status() == 1 && error.stderr_data().starts_with(kNsenterMessagePrefix)) {
        return error.WithCode(ErrorCode::kExecFailed,
                              "nsenter failed before running " + Quote(host_program) +
                                  " (its message is in stderr)");
      }
      return error;
  }
}

// A command run through nsenter: forwards to the executor's Cmd and
// classifies its errors.
class NsenterCmd final : public Cmd {
 public:
  NsenterCmd(std::unique_ptr<Cmd> inner, std::string host_program)
      : inner_(std::move(inner)), host_program_(std::move(host_program)) {}

  void SetDir(std::string dir) override { inner_->SetDir(std::move(dir)); }
  void SetEnv(std::vector<std::string> env) override { inner_->SetEnv(std::move(env)); }
  void SetStdin(std::string data) override { inner_->SetStdin(std::move(data)); }
  void SetStdout(int fd) override { inner_->SetStdout(fd); }
  void SetStderr(int fd) override { inner_->SetStderr(fd); }
  void SetTimeout(std::chrono::milliseconds timeout) override { inner_->SetTimeout(timeout); }

  Status Run() override {
    Status status = inner_->Run();
    if (status.ok()) return status;
    return ClassifyNsenterError(status.error(), host_program_);
  }
  Result<std::string> Output() override { return Classify(inner_->Output()); }
  Result<std::string> CombinedOutput() override { return Classify(inner_->CombinedOutput()); }

 private:
  Result<std::string> Classify(Result<std::string> result) const {
    if (result.ok()) return result;
    return ClassifyNsenterError(result.error(), host_program_);
  }

  std::unique_ptr<Cmd> inner_;
  std::string host_program_;
};

class NsenterProgramBackend final : public HostBackend {
 public:
  explicit NsenterProgramBackend(NsenterProgramConfig config) : config_(std::move(config)) {}

  std::unique_ptr<Cmd> Command(const std::string& host_program,
                               const std::vector<std::string>& args) const override {
    std::vector<std::string> argv;
    for (const NamespaceFile& ns : config_.namespaces) {
      argv.push_back(std::string(InfoOf(ns.kind).nsenter_option) + "=" + ns.path);
    }
    argv.push_back("--");
    argv.push_back(host_program);
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<NsenterCmd>(config_.executor->Command(config_.program, argv),
                                        host_program);
  }

  Result<std::string> Resolve(const std::string& path, RealpathMode mode) const override {
    const std::string flag = mode == RealpathMode::kMustExist ? "-e" : "-m";
    std::unique_ptr<Cmd> cmd = Command(config_.realpath, {flag, "--", path});
    cmd->SetEnv(RealpathEnvironment());
    cmd->SetTimeout(config_.realpath_timeout);
    Result<std::string> output = cmd->Output();
    if (!output.ok()) return RealpathFailure(output.error(), path, flag);
    return ParseRealpathOutput(*output, path);
  }

  std::string resolution_root() const override { return ""; }

 private:
  NsenterProgramConfig config_;
};

}  // namespace

std::unique_ptr<HostBackend> MakeNsenterProgramBackend(NsenterProgramConfig config) {
  return std::make_unique<NsenterProgramBackend>(std::move(config));
}

}  // namespace nsenter
