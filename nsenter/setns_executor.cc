#include "nsenter/setns_executor.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include "nsenter/descriptor_closing.h"
#include "nsenter/quote.h"
#include "nsenter/supervised_cmd.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

constexpr size_t kChildStackSize = 64 * 1024;
constexpr char kShell[] = "/bin/sh";
// execvp's search path for an environment without PATH (glibc's _CS_PATH).
constexpr std::string_view kDefaultPath = "/bin:/usr/bin";

// Where the child failed.
enum class Stage { kNone, kDescriptors, kSetns, kChdir, kExec };

// What a failed child reports, in memory the parent reads once the child has
// exec'd or exited (see StartChild). No descriptor carries it: a descriptor
// open during the start would be inherited by a fork on another thread, and
// the parent would wait for that unrelated process.
struct ChildFailure {
  Stage stage = Stage::kNone;
  int error = 0;     // errno
  size_t index = 0;  // The namespace or exec candidate that failed.
};

struct OpenNamespace {
  NamespaceKind kind;
  std::string path;
  UniqueFd fd;
};

// Everything the child uses, prepared before it starts.
struct ChildPlan {
  const std::vector<OpenNamespace>* namespaces;
  const ChildSpec* spec;
  std::vector<std::string> candidates;  // Paths to try to execve, in order.
  ChildFailure* failure;                // Stays kNone unless the child fails.
  // argv for running a candidate without an executable format through the
  // shell, as execvp does: {"/bin/sh", <candidate>, arguments..., NULL}.
  std::vector<const char*> shell_argv;
};

// The shell argv of `spec`, with the slot for the candidate left empty.
std::vector<const char*> ShellArgv(const ChildSpec& spec) {
  std::vector<const char*> argv = {kShell, nullptr};
  for (char* const* arg = spec.argv + 1; *arg != nullptr; ++arg) argv.push_back(*arg);
  argv.push_back(nullptr);
  return argv;
}

// The PATH of `envp`, or the default one.
std::string_view SearchPath(char* const* envp) {
  for (char* const* entry = envp; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("PATH=")) return text.substr(5);
  }
  return kDefaultPath;
}

std::vector<std::string> ExecCandidates(const std::string& path, char* const* envp) {
  if (path.find('/') != std::string::npos) return {path};
  std::vector<std::string> candidates;
  std::string_view dirs = SearchPath(envp);
  while (true) {
    const size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    candidates.push_back(dir + "/" + path);
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return candidates;
}

// Reports the child's failure at `stage` (with errno) and exits, by the raw
// system call (sanitizers intercept _exit).
[[noreturn]] void FailChild(ChildPlan& plan, Stage stage, size_t index) {
  *plan.failure = ChildFailure{stage, errno, index};
  syscall(SYS_exit_group, 127);
  __builtin_unreachable();
}

// The child: async-signal-safe system calls only, then execve or exit.
// AddressSanitizer does not instrument it: it runs on a stack of its own,
// where ASan's handling of a call that does not return (FailChild) would
// print a warning to stderr, the host program's stderr.
__attribute__((no_sanitize_address)) int ChildMain(void* argument) {
  ChildPlan& plan = *static_cast<ChildPlan*>(argument);
  const ChildSpec& spec = *plan.spec;
  // Every descriptor but 0, 1 and 2 goes at the exec. Done first, while the
  // caller's /proc is still this process's own.
  if (!MarkDescriptorsCloseOnExec()) FailChild(plan, Stage::kDescriptors, 0);
  for (size_t i = 0; i < plan.namespaces->size(); ++i) {
    const OpenNamespace& ns = (*plan.namespaces)[i];
    if (setns(ns.fd.get(), InfoOf(ns.kind).clone_flag) != 0) FailChild(plan, Stage::kSetns, i);
  }
  // The sources are above 2 (supervised_cmd.h): no dup2 overwrites another's
  // source, and each clears close-on-exec on its copy.
  if (dup2(spec.stdin_fd, STDIN_FILENO) < 0 || dup2(spec.stdout_fd, STDOUT_FILENO) < 0 ||
      dup2(spec.stderr_fd, STDERR_FILENO) < 0) {
    FailChild(plan, Stage::kExec, 0);
  }
  if (chdir(spec.dir ? spec.dir->c_str() : "/") != 0) FailChild(plan, Stage::kChdir, 0);
  setpgid(0, 0);
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  for (int signal = 1; signal < NSIG; ++signal) sigaction(signal, &default_action, nullptr);
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);

  // Like glibc's execvp: a file without an executable format runs through
  // the shell; the search moves on past a candidate that is missing (or on a
  // file system that cannot tell) and past one it may not execute; any other
  // error ends it with that error. Having tried every candidate, the answer
  // is the first "permission denied", else the last error.
  int answer = ENOENT;
  size_t answer_index = 0;
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    execve(plan.candidates[i].c_str(), spec.argv, spec.envp);
    if (errno == ENOEXEC) {
      plan.shell_argv[1] = plan.candidates[i].c_str();
      execve(kShell, const_cast<char* const*>(plan.shell_argv.data()), spec.envp);
    }
    const bool search_goes_on = errno == EACCES || errno == ENOENT || errno == ENOTDIR ||
                                errno == ESTALE || errno == ENODEV || errno == ETIMEDOUT;
    if (!search_goes_on) FailChild(plan, Stage::kExec, i);
    if (answer != EACCES) {
      answer = errno;
      answer_index = i;
    }
  }
  errno = answer;
  FailChild(plan, Stage::kExec, answer_index);
  return 127;
}

// Starts ChildMain in a new process and returns once the child has exec'd or
// exited (CLONE_VFORK), so that *plan.failure is then final. Like
// posix_spawn, the child shares this process's memory, where it reports a
// failure: no page tables are copied, whatever the caller's size.
// ThreadSanitizer treats every clone as a fork and would corrupt its own
// state in a child that shares memory, and its fork starts a helper thread in
// the child, which makes setns fail; so sanitized builds fork with the bare
// system call instead, still with CLONE_VFORK, and the child reports in a
// page mapped shared with it.
Result<pid_t> StartChild(ChildPlan& plan) {
#if defined(__SANITIZE_THREAD__)
  void* page = mmap(nullptr, sizeof(ChildFailure), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    return Error(ErrorCode::kInternal, std::string("mmap failure report: ") + std::strerror(errno));
  }
  ChildFailure* const local = std::exchange(plan.failure, new (page) ChildFailure());
  const auto pid = static_cast<pid_t>(
      syscall(SYS_clone, CLONE_VFORK | SIGCHLD, nullptr, nullptr, nullptr, 0));
  if (pid == 0) ChildMain(&plan);
  const int clone_errno = errno;
  *local = *std::exchange(plan.failure, local);
  munmap(page, sizeof(ChildFailure));
  if (pid < 0) {
    return Error(ErrorCode::kExecFailed, "cannot start " + Quote(plan.spec->path) +
                                             ": fork: " + std::strerror(clone_errno));
  }
  return pid;
#else
  void* stack = mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    return Error(ErrorCode::kInternal, std::string("mmap child stack: ") + std::strerror(errno));
  }
  // No signal handler of this process may run in the child, which shares
  // its memory: block every signal until the child has exec'd or exited.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  const pid_t pid = clone(ChildMain, static_cast<char*>(stack) + kChildStackSize,
                          CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
  const int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  munmap(stack, kChildStackSize);
  if (pid < 0) {
    return Error(ErrorCode::kExecFailed, "cannot start " + Quote(plan.spec->path) +
                                             ": clone: " + std::strerror(clone_errno));
  }
  return pid;
#endif
}

class NamespaceSpawner final : public Spawner {
 public:
  explicit NamespaceSpawner(std::vector<OpenNamespace> namespaces)
      : namespaces_(std::move(namespaces)) {}

  Result<pid_t> Spawn(const ChildSpec& spec) const override {
    ChildFailure failure;
    ChildPlan plan{&namespaces_, &spec, ExecCandidates(spec.path, spec.envp), &failure,
                   ShellArgv(spec)};
    Result<pid_t> pid = StartChild(plan);
    if (!pid.ok()) return pid.error();
    // A child that exec'd, or that was killed before it could report,
    // leaves kNone: the supervisor sees what became of it.
    if (failure.stage == Stage::kNone) return pid;
    while (waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return ChildError(failure, plan.candidates, spec);
  }

 private:
  Error ChildError(const ChildFailure& failure, const std::vector<std::string>& candidates,
                   const ChildSpec& spec) const {
    const std::string reason = std::strerror(failure.error);
    switch (failure.stage) {
      case Stage::kSetns: {
        const OpenNamespace& ns = namespaces_[failure.index];
        const std::string what = "cannot enter the " + std::string(InfoOf(ns.kind).description) +
                                 " namespace " + Quote(ns.path) + " to run " + Quote(spec.path) +
                                 ": " + reason;
        return Error(ErrorCode::kExecFailed,
                     failure.error == EPERM ? what + " (needs CAP_SYS_ADMIN and CAP_SYS_CHROOT)"
                                            : what);
      }
      case Stage::kDescriptors:
        return DescriptorsNotClosedError(spec.path, failure.error);
      case Stage::kChdir:
        return Error(ErrorCode::kExecFailed, "cannot start " + Quote(spec.path) +
                                                 " in directory " + Quote(*spec.dir) +
                                                 " of the namespace: " + reason);
      case Stage::kExec:
      case Stage::kNone:
        break;
    }
    const std::string what = "host program " + Quote(candidates[failure.index]);
    if (failure.error == ENOENT) {
      return Error(ErrorCode::kNotFound, "host program " + Quote(spec.path) +
                                             " not found in the host mount namespace");
    }
    if (failure.error == EACCES) {
      return Error(ErrorCode::kPermissionDenied, what + " cannot be executed on the host: " + reason);
    }
    return Error(ErrorCode::kExecFailed, "cannot start " + what + ": " + reason);
  }

  std::vector<OpenNamespace> namespaces_;
};

// Opens `file` and checks that it is a namespace of its kind.
Result<OpenNamespace> OpenNamespaceFile(const NamespaceFile& file) {
  const NamespaceInfo& info = InfoOf(file.kind);
  if (file.kind == NamespaceKind::kPid) {
    return Error(ErrorCode::kInvalidArgument,
                 "the native backend cannot enter the PID namespace " + Quote(file.path) +
                     "; use the nsenter backend");
  }
  if (file.path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "namespace file " + Quote(file.path) + " contains a NUL byte");
  }
  UniqueFd fd(open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return Error(ErrorCodeFromErrno(errno), "cannot open the " + std::string(info.description) +
                                                " namespace file " + Quote(file.path) + ": " +
                                                std::strerror(errno));
  }
  const int type = ioctl(fd.get(), NS_GET_NSTYPE);
  if (type != info.clone_flag) {
    return Error(ErrorCode::kInvalidArgument, Quote(file.path) + " is not a " +
                                                  std::string(info.description) + " namespace");
  }
  return OpenNamespace{file.kind, file.path, std::move(fd)};
}

}  // namespace

SetnsExecutor::SetnsExecutor(std::shared_ptr<const Spawner> spawner)
    : spawner_(std::move(spawner)) {}

Result<std::shared_ptr<const SetnsExecutor>> SetnsExecutor::Open(
    const std::vector<NamespaceFile>& files) {
  std::vector<OpenNamespace> namespaces;
  // Entered in the table's order, whatever the order of `files`.
  for (const NamespaceInfo& info : AllNamespaces()) {
    for (const NamespaceFile& file : files) {
      if (file.kind != info.kind) continue;
      Result<OpenNamespace> ns = OpenNamespaceFile(file);
      if (!ns.ok()) return ns.error();
      namespaces.push_back(std::move(*ns));
    }
  }
  return std::shared_ptr<const SetnsExecutor>(
      new SetnsExecutor(std::make_shared<NamespaceSpawner>(std::move(namespaces))));
}

std::unique_ptr<Cmd> SetnsExecutor::Command(const std::string& path,
                                            const std::vector<std::string>& args) const {
  return MakeSupervisedCmd(path, args, spawner_);
}

}  // namespace nsenter
