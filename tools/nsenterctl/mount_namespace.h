// The check that the host's mount namespace can be entered, before anything
// is run there.
//
// Thread-safety: a pure function of the file system.
#ifndef TOOLS_NSENTERCTL_MOUNT_NAMESPACE_H_
#define TOOLS_NSENTERCTL_MOUNT_NAMESPACE_H_

#include "nsenter/error.h"
#include "nsenter/nsenter.h"

namespace nsenterctl {

// Whether `ns`'s mount namespace file (<root>/proc/<pid>/ns/mnt) can be
// opened. Without the host's PID namespace (podman --pid=host, hostPID:
// true) it cannot, and every command run on the host would fail. Errors: the
// code of open(2)'s errno, the message naming the file and the likely cause.
nsenter::Status CheckMountNamespace(const nsenter::Nsenter& ns);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_MOUNT_NAMESPACE_H_
