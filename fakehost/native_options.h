// The options that run the native backend over a tree that
// FakeHost::Materialize wrote (fake_host.h), so that a fixture tests
// Backend::kNative's file operations as well as Backend::kNsenter's.
//
// WARNING: the tree holds the fixture's files, not its programs nor its
// mounts. With these options
//   - Nsenter::Exec, and HostMounter's Mount, Unmount and MakeRShared (which
//     run mount and umount), start THE CALLER'S OWN PROGRAMS ON THE CALLER'S
//     REAL MACHINE, in its own mount namespace: a Mount mounts for real;
//   - HostMounter::IsMountPoint and IsLikelyNotMountPoint (statx(2) on the
//     tree) see none of the fixture's recorded mounts, only the real ones
//     (the tree's directory is no mount root, so "/" is not a mount point).
// Only discovery, EvalSymlinks, HostFiles and HostMounter::List and
// GetMountRefs (which read the recorded table at <dir>/proc/<pid>/mountinfo)
// answer from the fixture. For the rest, replay the fixture through the
// nsenter backend with a FakeExecutor (fake_executor.h).
//
// A materialized tree has no procfs of its own: there is no
// <dir>/proc/1/ns/mnt to enter and no <dir>/proc/1/root. With these options
//   - discovery and EvalSymlinks run over the tree itself: the resolution
//     root is `dir`, nsenter.h's fallback when <dir>/proc/1/root cannot be
//     opened (logged at verbosity 0 on options.log);
//   - commands made by Exec enter the caller's own mount namespace
//     (/proc/self/ns/mnt): they run the caller's programs at the host paths
//     discovery found in the tree, not the fixture's empty files, act on the
//     caller's machine (see the warning above), and need the privilege
//     setns(2) needs (CAP_SYS_ADMIN and CAP_SYS_CHROOT).
//
// Example:
//   TempDir root;
//   (*host)->Materialize(root.path());
//   nsenter::Options options = NativeOptionsOver(root.path());
//   options.log = my_log;
//   auto ns = nsenter::Nsenter::Create(options);  // as on the recorded host
//   auto lib = (*ns)->EvalSymlinks("/lib", true);  // "/usr/lib" on a merged /usr
//
// Thread-safety: a pure function.
#ifndef FAKEHOST_NATIVE_OPTIONS_H_
#define FAKEHOST_NATIVE_OPTIONS_H_

#include <string>

#include "nsenter/nsenter.h"

namespace nsenter::fakehost {

// Default options with host_root `dir`, Backend::kNative and the mount
// namespace file /proc/self/ns/mnt.
Options NativeOptionsOver(const std::string& dir);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_NATIVE_OPTIONS_H_
