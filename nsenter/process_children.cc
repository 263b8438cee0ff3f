#include "nsenter/process_children.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <utility>

namespace nsenter {
namespace {

// The parent of `pid` as /proc/<pid>/status says, or -1.
pid_t ParentOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("PPid:", 0) == 0) return static_cast<pid_t>(std::stol(line.substr(5)));
  }
  return -1;
}

// A pidfd on `child` if it is `parent`'s child: the pid is checked after
// the pidfd is opened, and the pidfd's process is then still unreaped (a
// signal 0 reaches it), so the pid named that process when it was checked.
UniqueFd OpenChild(pid_t parent, pid_t child) {
  UniqueFd fd(static_cast<int>(syscall(SYS_pidfd_open, child, 0)));
  if (!fd.valid() || ParentOf(child) != parent ||
      syscall(SYS_pidfd_send_signal, fd.get(), 0, nullptr, 0) != 0) {
    return UniqueFd();
  }
  return fd;
}

}  // namespace

std::vector<HeldProcess> HoldChildrenOf(pid_t parent) {
  std::vector<HeldProcess> children;
  const std::string tasks = "/proc/" + std::to_string(parent) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (dir == nullptr) return children;
  while (const dirent* task = readdir(dir)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream listing(tasks + "/" + task->d_name + "/children");
    pid_t child = 0;
    while (listing >> child) {
      if (child <= 0) continue;  // Not in this PID namespace.
      if (UniqueFd fd = OpenChild(parent, child); fd.valid()) {
        children.push_back({child, std::move(fd)});
      }
    }
  }
  closedir(dir);
  return children;
}

}  // namespace nsenter
