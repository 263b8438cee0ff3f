#include "nsenter/nsenter.h"

#include <iostream>
#include <utility>

#include "nsenter/host_path.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_output.h"

namespace nsenter {
namespace {

// nsenter(1) exits 127 when the host program does not exist and 126 when it
// cannot be executed; its own failures exit 1 with a message of its own.
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;
constexpr std::string_view kNsenterMessagePrefix = "nsenter: ";

// The environment of the realpath runs: parseable messages, a fixed PATH.
const std::vector<std::string>& RealpathEnvironment() {
  static const std::vector<std::string> env = {"LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  return env;
}

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

class NsenterImpl final : public Nsenter {
 public:
  NsenterImpl(Options options, BinaryPaths binaries)
      : options_(std::move(options)), binaries_(std::move(binaries)) {}

  std::unique_ptr<Cmd> Exec(const std::string& cmd,
                            const std::vector<std::string>& args) const override {
    const std::string host_program = AbsHostPath(cmd);
    std::vector<std::string> argv = {"--mount=" + options_.mount_namespace, "--", host_program};
    argv.insert(argv.end(), args.begin(), args.end());
    if (Status valid = ValidateCommand(cmd, args); !valid.ok()) {
      return MakeFailedCmd(valid.error());
    }
    Log(5, "running nsenter command: " + QuoteArgv({options_.nsenter_program}) + " " +
               QuoteArgv(argv));
    return std::make_unique<NsenterCmd>(options_.executor->Command(options_.nsenter_program, argv),
                                        host_program);
  }

  std::string AbsHostPath(const std::string& command) const override {
    const auto found = binaries_.find(command);
    return found == binaries_.end() ? command : found->second;
  }

  SystemdSupport SupportsSystemd() const override {
    const auto found = binaries_.find("systemd-run");
    if (found == binaries_.end()) return {"systemd-run", false};
    return {found->second, true};
  }

  Result<std::string> EvalSymlinks(const std::string& path, bool must_exist) const override {
    if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
    const std::string mode = must_exist ? "-e" : "-m";
    std::unique_ptr<Cmd> cmd = Exec("realpath", {mode, "--", path});
    cmd->SetEnv(RealpathEnvironment());
    cmd->SetTimeout(options_.eval_symlinks_timeout);
    Result<std::string> output = cmd->Output();
    Result<std::string> resolved =
        output.ok() ? ParseRealpathOutput(*output, path)
                    : Result<std::string>(RealpathFailure(output.error(), path, mode));
    if (!resolved.ok()) {
      Log(0, "failed to resolve symbolic links on " + Quote(path) + ": " +
                 resolved.error().ToString());
    }
    return resolved;
  }

  Result<std::string> KubeletPath(const std::string& path) const override {
    return nsenter::KubeletPath(options_.host_root, path);
  }

  const std::string& host_root() const override { return options_.host_root; }
  const std::string& mount_namespace() const override { return options_.mount_namespace; }

 private:
  void Log(int verbosity, const std::string& message) const {
    if (options_.log) {
      options_.log(verbosity, message);
    } else if (verbosity == 0) {
      std::cerr << "nsenter: " << message << "\n";
    }
  }

  Options options_;
  BinaryPaths binaries_;
};

Status ValidateOptions(const Options& options) {
  if (Status root = ValidateAbsolutePath("host root", options.host_root); !root.ok()) return root;
  if (Status ns = ValidateAbsolutePath("mount namespace", options.mount_namespace); !ns.ok()) {
    return ns;
  }
  if (options.nsenter_program.empty() ||
      options.nsenter_program.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "nsenter program " + Quote(options.nsenter_program) + " is empty or has a NUL byte");
  }
  if (options.eval_symlinks_timeout.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "eval_symlinks_timeout must be positive, got " +
                     std::to_string(options.eval_symlinks_timeout.count()) + "ms");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Nsenter>> Nsenter::Create(Options options) {
  if (options.mount_namespace.empty() && !options.host_root.empty() &&
      options.host_root.find('\0') == std::string::npos) {
    options.mount_namespace = JoinHostPath(options.host_root, "/proc/1/ns/mnt");
  }
  if (Status valid = ValidateOptions(options); !valid.ok()) return valid.error();
  Result<BinaryPaths> binaries = DiscoverBinaries({options.host_root, options.search_dirs,
                                                   options.required_binaries,
                                                   options.optional_binaries});
  if (!binaries.ok()) return binaries.error();
  if (!options.executor) options.executor = std::make_shared<ProcessExecutor>();
  return std::unique_ptr<Nsenter>(new NsenterImpl(std::move(options), std::move(*binaries)));
}

}  // namespace nsenter
