#include "nsenter/nsenter.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "nsenter/host_backend.h"
#include "nsenter/host_path.h"
#include "nsenter/native_backend.h"
#include "nsenter/nsenter_program_backend.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/redact.h"
#include "nsenter/root_file_view.h"

namespace nsenter {
namespace {

// Sends library messages to the user's sink, if there is one; without one
// the library is silent.
class Logger {
 public:
  explicit Logger(LogSink sink) : sink_(std::move(sink)) {}
  // Whether a message goes anywhere, so that callers need not build one that
  // would be dropped.
  bool Wants() const { return static_cast<bool>(sink_); }
  void operator()(int verbosity, const std::string& message) const {
    if (sink_) sink_(verbosity, message);
  }

 private:
  LogSink sink_;
};

class NsenterImpl final : public Nsenter {
 public:
  NsenterImpl(Options options, std::vector<NamespaceFile> namespaces, BinaryPaths binaries,
              std::shared_ptr<const FileView> host_files, std::unique_ptr<HostBackend> backend)
      : options_(std::move(options)),
        namespaces_(std::move(namespaces)),
        binaries_(std::move(binaries)),
        host_files_(std::move(host_files)),
        backend_(std::move(backend)),
        log_(options_.log),
        host_environment_({"PATH=" + options_.host_path}) {
    for (const NamespaceFile& ns : namespaces_) {
      if (ns.kind == NamespaceKind::kMount) mount_namespace_ = ns.path;
    }
  }

  std::unique_ptr<Cmd> Exec(const std::string& cmd,
                            const std::vector<std::string>& args) const override {
    return MakeHostCmd(cmd, args, {});
  }

  std::unique_ptr<Cmd> ExecWithSecrets(const std::string& cmd, const std::vector<std::string>& args,
                                       const std::vector<std::string>& secrets) const override {
    for (const std::string& secret : secrets) {
      if (secret.find('\0') != std::string::npos) {
        return MakeFailedCmd(Error(ErrorCode::kInvalidArgument,
                                   "a secret of " + Quote(cmd) + " contains a NUL byte"));
      }
    }
    return MakeRedactingCmd(MakeHostCmd(cmd, args, secrets), secrets);
  }

  std::string AbsHostPath(const std::string& command) const override {
    const auto found = binaries_.find(command);
    return found == binaries_.end() ? command : found->second;
  }

  Result<std::string> LookPath(const std::string& name) const override {
    if (name.empty() || name.find('\0') != std::string::npos) {
      return Error(ErrorCode::kInvalidArgument,
                   "program name " + Quote(name) + " is empty or has a NUL byte");
    }
    // What Exec runs: a discovered binary first.
    const std::string program = AbsHostPath(name);
    if (program.find('/') != std::string::npos) return CheckHostProgram(program);
    std::string searched;
    std::string_view dirs = options_.host_path;
    while (!dirs.empty()) {
      const size_t colon = dirs.find(':');
      const std::string dir(dirs.substr(0, colon));
      dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() : colon + 1);
      if (!dir.starts_with('/')) continue;
      const std::string candidate = JoinHostPath(dir, name);
      Result<bool> executable = IsExecutableFile(*host_files_, candidate);
      if (!executable.ok()) return executable.error();
      if (*executable) return candidate;
      searched += (searched.empty() ? "" : ":") + dir;
    }
    return Error(ErrorCode::kNotFound, "executable file " + Quote(name) +
                                           " not found in the host PATH " + Quote(searched));
  }

  SystemdSupport SupportsSystemd() const override {
    const auto found = binaries_.find("systemd-run");
    if (found == binaries_.end()) return {"systemd-run", false};
    return {found->second, true};
  }

  Result<std::string> EvalSymlinks(const std::string& path, bool must_exist) const override {
    if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
    Result<std::string> resolved =
        backend_->Resolve(path, must_exist ? RealpathMode::kMustExist : RealpathMode::kAllowMissing);
    if (!resolved.ok()) {
      log_(0, "failed to resolve symbolic links on " + Quote(path) + ": " +
                  resolved.error().ToString());
    }
    return resolved;
  }

  Result<std::string> KubeletPath(const std::string& path) const override {
    return nsenter::KubeletPath(options_.host_root, path);
  }

  const std::string& host_root() const override { return options_.host_root; }
  std::vector<std::string> HostEnvironment() const override { return host_environment_; }
  const std::string& mount_namespace() const override { return mount_namespace_; }
  Backend backend() const override { return options_.backend; }
  std::string resolution_root() const override { return backend_->resolution_root(); }
  const FileView& host_files() const override { return *host_files_; }

 private:
  // Exec, its log line and validation error with `secrets` masked.
  std::unique_ptr<Cmd> MakeHostCmd(const std::string& cmd, const std::vector<std::string>& args,
                                   const std::vector<std::string>& secrets) const {
    if (Status valid = ValidateCommand(cmd, args); !valid.ok()) {
      return MakeFailedCmd(Redact(valid.error(), secrets));
    }
    const std::string host_program = AbsHostPath(cmd);
    if (log_.Wants()) log_(5, HostRunLogLine(host_program, Redact(args, secrets)));
    std::unique_ptr<Cmd> command = backend_->Command(host_program, args);
    command->SetEnv(host_environment_);
    return command;
  }

  // LookPath of a name with a slash.
  Result<std::string> CheckHostProgram(const std::string& path) const {
    if (!path.starts_with('/')) {
      return Error(ErrorCode::kInvalidArgument,
                   "host program " + Quote(path) + " is neither absolute nor a bare name");
    }
    Result<bool> executable = IsExecutableFile(*host_files_, path);
    if (!executable.ok()) return executable.error();
    if (*executable) return path;
    Result<std::string> exists = ResolveRealpath(*host_files_, path, RealpathMode::kMustExist);
    if (!exists.ok()) {
      return Error(ErrorCode::kNotFound, "host program " + Quote(path) + " does not exist on the host");
    }
    return Error(ErrorCode::kPermissionDenied,
                 "host program " + Quote(path) + " is not an executable regular file on the host");
  }

  Options options_;
  std::vector<NamespaceFile> namespaces_;
  BinaryPaths binaries_;
  std::shared_ptr<const FileView> host_files_;
  std::unique_ptr<HostBackend> backend_;
  Logger log_;
  std::vector<std::string> host_environment_;
  std::string mount_namespace_;
};

Status ValidateOptions(const Options& options) {
  if (Status root = ValidateAbsolutePath("host root", options.host_root); !root.ok()) return root;
  if (std::find(options.namespaces.begin(), options.namespaces.end(), NamespaceKind::kMount) ==
      options.namespaces.end()) {
    return Error(ErrorCode::kInvalidArgument, "namespaces must include the mount namespace");
  }
  if (options.target_pid < 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "target_pid must be positive, got " + std::to_string(options.target_pid));
  }
  for (const auto& [kind, path] : options.namespace_files) {
    const std::string what = std::string(InfoOf(kind).description) + " namespace file";
    if (Status valid = ValidateAbsolutePath(what, path); !valid.ok()) return valid;
    if (std::find(options.namespaces.begin(), options.namespaces.end(), kind) ==
        options.namespaces.end()) {
      return Error(ErrorCode::kInvalidArgument,
                   "namespace_files names the " + what + " " + Quote(path) + ", but namespaces " +
                       "does not include the " + std::string(InfoOf(kind).description) +
                       " namespace: add it to namespaces, or remove the file");
    }
  }
  if (options.nsenter_program.empty() ||
      options.nsenter_program.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "nsenter program " + Quote(options.nsenter_program) + " is empty or has a NUL byte");
  }
  if (options.host_path.empty() || options.host_path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "host_path " + Quote(options.host_path) + " is empty or has a NUL byte");
  }
  if (options.eval_symlinks_timeout.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "eval_symlinks_timeout must be positive, got " +
                     std::to_string(options.eval_symlinks_timeout.count()) + "ms");
  }
  return {};
}

// The namespace files to enter, in the table's order.
std::vector<NamespaceFile> NamespaceFiles(const Options& options) {
  std::vector<NamespaceFile> files;
  const std::string proc = "/proc/" + std::to_string(options.target_pid);
  for (const NamespaceInfo& info : AllNamespaces()) {
    if (std::find(options.namespaces.begin(), options.namespaces.end(), info.kind) ==
        options.namespaces.end()) {
      continue;
    }
    const auto given = options.namespace_files.find(info.kind);
    files.push_back({info.kind, given != options.namespace_files.end()
                                    ? given->second
                                    : JoinHostPath(options.host_root,
                                                   proc + "/ns/" + std::string(info.proc_name))});
  }
  return files;
}

// The native backend's resolution root: the target's own root if it can be
// opened, else the host root (see nsenter.h).
Result<std::shared_ptr<const RootFileView>> OpenResolutionRoot(const Options& options,
                                                               const Logger& log) {
  const std::string target_root =
      JoinHostPath(options.host_root, "/proc/" + std::to_string(options.target_pid) + "/root");
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(target_root);
  if (view.ok()) return std::shared_ptr<const RootFileView>(std::move(*view));
  log(0, "resolving symlinks in " + Quote(options.host_root) + ", not in the target's root (" +
             view.error().message() + "): host mounts that did not propagate are not seen");
  Result<std::unique_ptr<RootFileView>> fallback = RootFileView::Open(options.host_root);
  if (!fallback.ok()) return fallback.error();
  return std::shared_ptr<const RootFileView>(std::move(*fallback));
}

Result<std::unique_ptr<HostBackend>> MakeBackend(const Options& options,
                                                 const std::vector<NamespaceFile>& namespaces,
                                                 const BinaryPaths& binaries, const Logger& log) {
  if (options.backend == Backend::kNative) {
    Result<std::shared_ptr<const SetnsExecutor>> executor = SetnsExecutor::Open(namespaces);
    if (!executor.ok()) return executor.error();
    Result<std::shared_ptr<const RootFileView>> root = OpenResolutionRoot(options, log);
    if (!root.ok()) return root.error();
    return MakeNativeBackend(std::move(*executor), std::move(*root));
  }
  const auto realpath = binaries.find("realpath");
  return MakeNsenterProgramBackend(
      {options.nsenter_program, namespaces,
       realpath == binaries.end() ? "realpath" : realpath->second, options.eval_symlinks_timeout,
       options.host_path, options.executor ? options.executor : std::make_shared<ProcessExecutor>(),
       options.log});
}

}  // namespace

std::string HostRunLogLine(const std::string& host_program, const std::vector<std::string>& args) {
  return "running on the host: " + QuoteArgv({host_program}) +
         (args.empty() ? "" : " " + QuoteArgv(args));
}

Result<std::unique_ptr<Nsenter>> Nsenter::Create(Options options) {
  if (Status valid = ValidateOptions(options); !valid.ok()) return valid.error();
  std::shared_ptr<const FileView> host_files = options.host_files;
  if (!host_files) {
    Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(options.host_root);
    if (!view.ok()) return view.error();
    host_files = std::move(*view);
  }
  Result<BinaryPaths> binaries =
      DiscoverBinaries({options.host_root, options.search_dirs, options.required_binaries,
                        options.optional_binaries},
                       *host_files);
  if (!binaries.ok()) return binaries.error();
  std::vector<NamespaceFile> namespaces = NamespaceFiles(options);
  const Logger log(options.log);
  Result<std::unique_ptr<HostBackend>> backend = MakeBackend(options, namespaces, *binaries, log);
  if (!backend.ok()) return backend.error();
  return std::unique_ptr<Nsenter>(new NsenterImpl(std::move(options), std::move(namespaces),
                                                  std::move(*binaries), std::move(host_files),
                                                  std::move(*backend)));
}

std::vector<std::string> RealpathEnvironment(const std::string& host_path) {
  return {"LC_ALL=C", "PATH=" + host_path};
}

}  // namespace nsenter
