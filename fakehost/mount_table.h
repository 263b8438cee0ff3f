// The fake host's mount table and how mount(8), umount(8) and
// `mount --make-rshared` change it, as pure functions on the table
// (a vector of nsenter::MountInfo in mountinfo order: a later mount at the
// same mount point is on top).
//
// The model is the kernel's, simplified:
//   - a new mount gets the next free mount id, the mount holding its mount
//     point as parent, and per-mount options "rw" or "ro", then nosuid,
//     nodev, noexec where asked, then "noatime" or "relatime";
//   - a new file system (not a bind) gets the next free device 0:N and root
//     "/", and keeps the other options as super options after "rw"/"ro";
//   - a bind mount shows the source's file system: the device, type, source
//     and super options of the mount holding the source, and as root that
//     mount's root joined with the source's path below its mount point; it
//     copies the per-mount options of that mount;
//   - propagation: a bind of a shared mount joins its peer group; another new
//     mount is shared (in a new peer group) when its parent is shared;
//     propagation of new mounts to peers is not modelled;
//   - `--make-rshared` puts the mount and every mount below it in a new peer
//     group, unless it is shared already (a "master:N" tag stays).
// Paths given are canonical (resolved on the host, no symlinks).
//
// Example:
//   std::vector<nsenter::MountInfo> table = *nsenter::ParseMountInfo(text);
//   AddMount(table, {.target = "/mnt/t", .fs_type = "tmpfs", .source = "tmpfs",
//                    .options = {"size=1m"}});
//   const nsenter::MountInfo* holding = MountHolding(table, "/mnt/t/x");  // the tmpfs
//
// Thread-safety: pure functions of their arguments.
#ifndef FAKEHOST_MOUNT_TABLE_H_
#define FAKEHOST_MOUNT_TABLE_H_

#include <string>
#include <vector>

#include "nsenter/mount/mountinfo.h"

namespace nsenter::fakehost {

using MountTable = std::vector<MountInfo>;

// The topmost mount whose mount point is exactly `path`, or null.
const MountInfo* TopmostAt(const MountTable& table, const std::string& path);

// The mount holding `path`, as `findmnt --target` finds it: the topmost mount
// at `path`, else at its parent, and so on up to "/"; null if none.
const MountInfo* MountHolding(const MountTable& table, const std::string& path);

struct NewMount {
  std::string target;                // Canonical.
  std::string fs_type;               // Ignored for a bind mount.
  std::string source;                // Canonical for a bind mount.
  std::vector<std::string> options;  // Including "bind", if it is one.
};

// Adds the mount `mount` asks for, on top at its target. Its target and,
// for a bind, its source must be held by some mount of `table` (a table with
// a "/" mount holds every path); without one, nothing is added and false
// is returned.
bool AddMount(MountTable& table, const NewMount& mount);

// Sets the per-mount options of the topmost mount at `target` from
// `options` (bind,remount,...), as a remount does; false if there is none.
bool Remount(MountTable& table, const std::string& target, const std::vector<std::string>& options);

// Makes the topmost mount at `path` and every mount below it shared; false
// if there is no mount at `path`.
bool MakeRShared(MountTable& table, const std::string& path);

enum class UnmountResult { kUnmounted, kNotMounted, kBusy };

// Removes the topmost mount at `target`, unless another mount is on it
// (kBusy, as umount(8)'s "target is busy") or there is none (kNotMounted).
UnmountResult Unmount(MountTable& table, const std::string& target);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_MOUNT_TABLE_H_
