#include "nsenter/hardening_test_support.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace nsenter::hardening {

std::optional<std::string> MissingSetnsPrivilege() {
  if (geteuid() != 0) {
    return "needs root with CAP_SYS_ADMIN to enter a mount namespace (running as uid " +
           std::to_string(geteuid()) + ")";
  }
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) {
    return std::string("cannot read the capabilities: ") + std::strerror(errno);
  }
  for (const auto& [capability, name] :
       {std::pair{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"}, std::pair{CAP_SYS_CHROOT, "CAP_SYS_CHROOT"}}) {
    if ((data[capability / 32].effective & (1u << (capability % 32))) == 0) {
      return std::string("needs ") + name + " to enter a mount namespace";
    }
  }
  return std::nullopt;
}

Options SelfOptions(Backend backend, const std::string& host_root) {
  Options options;
  options.host_root = host_root;
  options.backend = backend;
  options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
  options.log = [](int, std::string_view) {};
  return options;
}

std::string BackendName(Backend backend) {
  return backend == Backend::kNsenter ? "Nsenter" : "Native";
}

std::string ChildHelperPath() {
  const std::string path = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                           std::getenv("TEST_WORKSPACE") + "/nsenter/process_executor_test_child";
  // The native backend changes to "/" before its exec: the path must be absolute.
  return RealPath(path);
}

bool NoChildrenLeft() {
  errno = 0;
  return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : path;
}

std::string RunInForkedChild(const std::function<std::string()>& body) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    return std::string("child not started: pipe2: ") + std::strerror(errno);
  }
  const pid_t child = fork();
  if (child < 0) return std::string("child not started: fork: ") + std::strerror(errno);
  if (child == 0) {
    close(report[0]);
    const std::string text = body();
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = write(report[1], text.data() + written, text.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) _exit(3);
      written += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(report[1]);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(report[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(report[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return "child killed by signal " + std::to_string(WTERMSIG(status));
  if (WEXITSTATUS(status) != 0) {
    return "child exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return text;
}

}  // namespace nsenter::hardening
