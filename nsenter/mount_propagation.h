// The propagation of the mount that holds a path, from /proc/self/mountinfo:
// a preflight check for agents that mount on the host and expect to see the
// mount in the container (the kubelet's requirement: the host root mounted
// with `rslave`, e.g. `-v /:/rootfs:rslave`).
//
// Example:
//   nsenter::Result<nsenter::MountPropagation> root =
//       nsenter::MountPropagationOf(ns->host_root());
//   if (root.ok() && !root->receives_host_mounts()) {
//     return "mount the host root with rslave: " + root->mount_point + " is " +
//            std::string(nsenter::PropagationName(root->propagation));
//   }
//   // The same for a path below it:
//   nsenter::MountPropagationOf(*ns->KubeletPath("/var/lib/kubelet"));
//
// Thread-safety: pure functions (MountPropagationOf reads procfs).
#ifndef NSENTER_MOUNT_PROPAGATION_H_
#define NSENTER_MOUNT_PROPAGATION_H_

#include <string>
#include <string_view>

#include "nsenter/error.h"

namespace nsenter {

enum class Propagation {
  kShared,          // Mounts propagate both ways (shared:N).
  kSlave,           // Mounts propagate from the master only (master:N).
  kSharedAndSlave,  // Both: receives from a master, shares with its peers.
  kPrivate,         // Nothing propagates.
  kUnbindable,      // Private, and cannot be bind-mounted.
};

// "shared", "slave", "shared and slave", "private", "unbindable".
std::string_view PropagationName(Propagation propagation);

struct MountPropagation {
  std::string mount_point;  // The mount that holds the path (the topmost one there).
  Propagation propagation = Propagation::kPrivate;

  // Whether mounts made on the other side (the host) reach this mount.
  bool receives_host_mounts() const {
    return propagation == Propagation::kSlave || propagation == Propagation::kShared ||
           propagation == Propagation::kSharedAndSlave;
  }
};

// The mount holding absolute path `path` in `mountinfo` (the text of a
// /proc/PID/mountinfo): the mount a lookup of `path` ends in. From the root
// mount (the mount on "/" whose parent is not listed: the process's root),
// the path is walked a component at a time, crossing at each prefix below
// "/" into the top of the mounts stacked there on the mount reached so far
// (by mount and parent ids). So a mount hidden by a later mount on one of its
// parent directories is never the answer, though its mount point is longer;
// and a mount stacked over "/" itself is not crossed, as a lookup does not
// cross it. Linear in the table's length (times log for the index).
// `path` is taken as given (resolve symlinks first). Errors: kInvalidArgument for a relative or
// NUL-bearing path; kInternal for a line that is not mountinfo, quoting it;
// kNotFound when no mount holds the path (no "/" in `mountinfo`).
Result<MountPropagation> ParseMountPropagation(std::string_view mountinfo, const std::string& path);

// The same for this process: `path` is resolved with realpath(3) where it
// exists, and looked up in /proc/self/mountinfo. Errors: as above, and the
// code of errno where /proc/self/mountinfo cannot be read.
Result<MountPropagation> MountPropagationOf(const std::string& path);

}  // namespace nsenter

#endif  // NSENTER_MOUNT_PROPAGATION_H_
