// The mount namespace recipes of the privileged suite: how a "host" and a
// privileged "container" that mounts the host's root (`-v /:/rootfs:rslave`)
// are built with plain system calls, and how a test looks at mounts.
//
// The host is a new PID + mount namespace whose PID 1 is ours: its "/" is cut
// off from the real machine's propagation (rprivate), gets a procfs of its own
// (so /proc/1/ns/mnt is the host mount namespace) and is then made rshared,
// as a systemd host's "/" is. The container is a child mount namespace of the
// host: its own mounts are private, and a copy of the host's whole mount tree
// sits at the rootfs path with the requested propagation.
//
// Requirements: root with CAP_SYS_ADMIN; Linux 5.2 (open_tree, move_mount)
// and 5.8 (STATX_ATTR_MOUNT_ROOT).
//
// Errors: every function throws std::system_error naming the failed step and
// its path (IsMountPoint only for errors other than a missing path).
//
// Thread-safety: the setup functions change the calling process's namespaces
// and must run in a single-threaded process.
#ifndef NSENTER_PRIVILEGED_MOUNTS_H_
#define NSENTER_PRIVILEGED_MOUNTS_H_

#include <string>

namespace nsenter::privileged {

// How the host's root is mounted at the container's rootfs path.
enum class Propagation {
  kRslave,   // `-v /:/rootfs:rslave`: host mounts propagate into the container.
  kPrivate,  // `-v /:/rootfs` (rprivate): later host mounts stay invisible.
};

// "rslave" or "rprivate".
const char* PropagationName(Propagation propagation);

// Makes the calling process's mount namespace a host, as described above. The
// caller must be PID 1 of a PID namespace and alone in a mount namespace that
// it just unshared.
void SetUpHostMountNamespace();

// Moves the calling process, a child of the host's PID 1, into a mount
// namespace of its own and mounts the host's root at `rootfs` (an existing
// empty directory) with `propagation`. Mounts the host makes afterwards are
// then seen under `rootfs` (rslave) but never at their own paths.
void SetUpContainerMountNamespace(const std::string& rootfs, Propagation propagation);

// Mounts a small tmpfs at `path` in the caller's mount namespace.
void MountTmpfs(const std::string& path);

// Whether `path` (not followed if it is a symlink) is the root of a mount in
// the caller's mount namespace. False for a path that does not exist.
bool IsMountPoint(const std::string& path);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_MOUNTS_H_
