#include "nsenter/privileged/mounts.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <system_error>

#include "nsenter/unique_fd.h"

namespace nsenter::privileged {
namespace {

void Check(int result, const std::string& what) {
  if (result < 0) throw std::system_error(errno, std::generic_category(), what);
}

void ChangePropagation(const std::string& path, unsigned long flags, const std::string& what) {
  Check(mount(nullptr, path.c_str(), nullptr, flags, nullptr), what + " " + path);
}

}  // namespace

const char* PropagationName(Propagation propagation) {
  return propagation == Propagation::kRslave ? "rslave" : "rprivate";
}

void SetUpHostMountNamespace() {
  // The copy of the machine's mounts must neither send mounts to the machine
  // nor receive them from it; only then is "/" made shared, as on the host.
  ChangePropagation("/", MS_REC | MS_PRIVATE, "make rprivate");
  Check(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
        "mount a procfs of the new PID namespace on /proc");
  ChangePropagation("/", MS_REC | MS_SHARED, "make rshared");
}

void SetUpContainerMountNamespace(const std::string& rootfs, Propagation propagation) {
  Check(unshare(CLONE_NEWNS), "unshare the container's mount namespace");
  // A copy of the host's mount tree whose mounts are still peers of the
  // host's. It is detached (open_tree) so that making the container's own
  // mounts private below leaves it alone, and so that attaching it at the
  // rootfs is not propagated back to the host, as `mount --rbind` under the
  // shared "/" would be.
  UniqueFd host_tree(open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
  Check(host_tree.get(), "clone the host's mount tree");
  // The container's own mounts: a container's root shares nothing with the host.
  ChangePropagation("/", MS_REC | MS_PRIVATE, "make rprivate");
  Check(move_mount(host_tree.get(), "", AT_FDCWD, rootfs.c_str(), MOVE_MOUNT_F_EMPTY_PATH),
        "attach the host's mount tree at " + rootfs);
  // rslave turns the peers into slaves: host mounts come in, none go out.
  ChangePropagation(rootfs,
                    MS_REC | (propagation == Propagation::kRslave ? MS_SLAVE : MS_PRIVATE),
                    std::string("make ") + PropagationName(propagation));
}

void MountTmpfs(const std::string& path) {
  Check(mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755"),
        "mount a tmpfs on " + path);
}

bool IsMountPoint(const std::string& path) {
  struct statx status = {};
  if (statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &status) != 0) {
    if (errno == ENOENT) return false;
    throw std::system_error(errno, std::generic_category(), "statx " + path);
  }
  if ((status.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0) {
    throw std::system_error(ENOTSUP, std::generic_category(),
                            "statx cannot tell whether " + path + " is a mount root");
  }
  return (status.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

}  // namespace nsenter::privileged
