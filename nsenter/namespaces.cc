#include "nsenter/namespaces.h"

#include <sched.h>

namespace nsenter {

const std::vector<NamespaceInfo>& AllNamespaces() {
  static const std::vector<NamespaceInfo> table = {
      {NamespaceKind::kCgroup, CLONE_NEWCGROUP, "cgroup", "--cgroup", "cgroup"},
      {NamespaceKind::kIpc, CLONE_NEWIPC, "ipc", "--ipc", "IPC"},
      {NamespaceKind::kUts, CLONE_NEWUTS, "uts", "--uts", "UTS"},
      {NamespaceKind::kNet, CLONE_NEWNET, "net", "--net", "network"},
      {NamespaceKind::kPid, CLONE_NEWPID, "pid", "--pid", "PID"},
      {NamespaceKind::kMount, CLONE_NEWNS, "mnt", "--mount", "mount"},
  };
  return table;
}

const NamespaceInfo& InfoOf(NamespaceKind kind) {
  // NamespaceKind lists the kinds in the table's order.
  return AllNamespaces()[static_cast<size_t>(kind)];
}

}  // namespace nsenter
