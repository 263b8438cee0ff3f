// The children of a process, each held by a pidfd, so that they can be
// signalled after the process itself is gone and they were reparented.
//
// A command's process group does not hold everything it started: nsenter(1)
// entering a PID namespace forks, and the host program, its child, may
// leave the group (setsid). Ending nsenter then leaves the program running,
// reparented, where no pid of ours leads to it. Its pidfd, opened while it
// is still nsenter's child, does.
//
// Thread-safety: stateless; HoldChildrenOf may be called from any thread.
#ifndef NSENTER_PROCESS_CHILDREN_H_
#define NSENTER_PROCESS_CHILDREN_H_

#include <sys/types.h>

#include <vector>

#include "nsenter/unique_fd.h"

namespace nsenter {

struct HeldProcess {
  pid_t pid;     // As this process's PID namespace numbers it.
  UniqueFd fd;   // A pidfd: names this process even once `pid` is reused.
};

// The direct children of `parent`, a child of the caller that is not yet
// reaped (so its pid names it), listed by /proc/<parent>/task/*/children.
// Each pidfd is checked to name a process whose parent was `parent` while
// it was open, so a listed child that was reaped, its pid reused, is left
// out. Left out too, found nowhere: children exited and reaped meanwhile,
// and children outside this process's PID namespace or its descendants
// (the listing shows them as 0); without procfs on /proc, or a kernel
// without CONFIG_PROC_CHILDREN, none is found.
std::vector<HeldProcess> HoldChildrenOf(pid_t parent);

}  // namespace nsenter

#endif  // NSENTER_PROCESS_CHILDREN_H_
