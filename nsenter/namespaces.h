// The Linux namespaces the library can enter, in one table: each kind's
// clone flag, its file under /proc/PID/ns/ and its nsenter(1) option.
//
// Both backends take their namespace list from here, in the table's order
// (the order nsenter(1) enters them: cgroup, ipc, uts, net, pid, mnt).
//
// Thread-safety: constant data.
#ifndef NSENTER_NAMESPACES_H_
#define NSENTER_NAMESPACES_H_

#include <string_view>
#include <vector>

namespace nsenter {

enum class NamespaceKind { kCgroup, kIpc, kUts, kNet, kPid, kMount };

struct NamespaceInfo {
  NamespaceKind kind;
  int clone_flag;                  // CLONE_NEWNS, CLONE_NEWNET, ...
  std::string_view proc_name;      // "mnt" as in /proc/PID/ns/mnt.
  std::string_view nsenter_option; // "--mount" as in --mount=FILE.
  std::string_view description;    // "mount", for messages.
};

// Every kind, in the order they are entered.
const std::vector<NamespaceInfo>& AllNamespaces();

// The table row of `kind`.
const NamespaceInfo& InfoOf(NamespaceKind kind);

}  // namespace nsenter

#endif  // NSENTER_NAMESPACES_H_
