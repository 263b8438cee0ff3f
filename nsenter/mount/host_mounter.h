// HostMounter: mounts on the host from a privileged container, the C++
// counterpart of Kubernetes' NsenterMounter (k8s.io/mount-utils).
//
// It runs the host binaries that `Nsenter` discovered (mount, umount,
// findmnt) in the host's mount namespace, through either backend of the
// `Nsenter` it is given: the nsenter program, or natively the setns executor,
// which starts the same host binaries with no nsenter program. The host's
// mount table is host file /proc/<pid>/mountinfo, read through the Nsenter's
// view of the host's files (`Nsenter::host_files`): on a real host
// `<host root>/proc/<pid>/mountinfo`; on a fake host (//fakehost) its table.
//
// Every argument is checked before anything runs (mount_args.h): a refused
// argument yields kInvalidArgument naming it, and no command is started.
//
// Example (a CSI NodePublish of a staged volume, read-only):
//   const nsenter::HostMounter mounter(**ns);  // ns: Nsenter::Create's result
//   nsenter::Result<bool> not_mounted = mounter.IsLikelyNotMountPoint(target);
//   if (!not_mounted.ok()) return not_mounted.error();
//   if (*not_mounted) {
//     nsenter::Status mounted = mounter.Mount({staging, target, "", {"bind", "ro"}, {}});
//   }
//
// Errors common to the operations that run a host binary: those of
// `Nsenter::Exec` (nsenter.h: kNotFound, kPermissionDenied, kExecFailed,
// kNonZeroExit with the binary's status and output, kSignalled, kTimeout).
//
// Lifetime: a HostMounter borrows the `Nsenter` it is given, which must
// outlive it (as Kubernetes' NsenterMounter holds its `ne`); it owns nothing
// else, so it is cheap to make where it is needed.
//
// Thread-safety: all methods may be called from many threads at once (as far
// as the host's mount table allows: two mounts on one target race on the
// host as they would in a shell). The one state, the systemd-run probe's
// answer (see Mount), is set once, under std::call_once.
#ifndef NSENTER_MOUNT_HOST_MOUNTER_H_
#define NSENTER_MOUNT_HOST_MOUNTER_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/mount/mount_args.h"
#include "nsenter/mount/mountinfo.h"
#include "nsenter/nsenter.h"

namespace nsenter {

// The file-system types whose mount(8) starts a helper daemon that must
// outlive the agent (FUSE file systems, glusterfs): "fuse", "fuseblk",
// "glusterfs", "ceph-fuse", and every type starting with "fuse." (an entry
// ending in '.' is a prefix).
std::vector<std::string> DefaultSystemdScopeFsTypes();

struct HostMounterOptions {
  // The process whose mount table List reads: <host root>/proc/<pid>/mountinfo.
  int target_pid = 1;
  // The file-system types Mount runs in a transient systemd scope, where the
  // host has systemd-run (see Mount). An entry ending in '.' matches every
  // type that starts with it; another entry matches exactly. Empty: never.
  std::vector<std::string> systemd_scope_fs_types = DefaultSystemdScopeFsTypes();
  // Where the mounter's log goes (the fallback from a systemd-run that does
  // not work, at verbosity 2); null means nowhere.
  LogSink log = nullptr;
};

class HostMounter {
 public:
  // `ns` must outlive the mounter (it is borrowed, not owned).
  explicit HostMounter(const Nsenter& ns, HostMounterOptions options = {});

  // Mounts `request.source` on `request.target`, running the host's mount(8)
  // as `mount [-t TYPE] [-o OPTS] -- SOURCE TARGET`. A bind mount ("bind" or
  // "rbind" among the options) with other options is a bind followed by a
  // remount with them, as mount(8) needs (a failed remount leaves the bind
  // in place, as upstream).
  // Where discovery found systemd-run (Nsenter::SupportsSystemd), systemd-run
  // works, and the type is one of HostMounterOptions::systemd_scope_fs_types
  // (not for a bind mount), mount(8) runs in a transient scope, so that the
  // helper daemon it starts lives on in the scope's cgroup when the agent or
  // its container goes:
  //   systemd-run '--description=Transient mount for QUOTED_TARGET' --scope --
  //       MOUNT [-t TYPE] [-o OPTS] -- SOURCE TARGET
  // (QUOTED_TARGET is Quote(TARGET), so the description is one printable
  // line; MOUNT the discovered host path of mount; systemd-run --scope
  // returns mount's exit status and output). Whether systemd-run works is
  // probed once per mounter (and its copies), on the first such mount, as
  // upstream's detectSystemd does:
  //   systemd-run '--description=Transient mount scope probe' --scope -- true
  // If the probe fails (systemd-run installed on a host whose init is not
  // systemd, say), that is logged at verbosity 2 and every mount runs
  // plainly. Without systemd-run, mount(8) runs plainly, as upstream.
  // Sensitive options (request.sensitive_options) are passed to mount(8)
  // after the others and are secrets of the run (Nsenter::ExecWithSecrets):
  // no log line and no error text (message, or mount's stdout and stderr
  // kept in it) shows them; each shows as "<masked>". What mount(8) or its
  // helper print about a secret in another form (only the value of
  // "password=VALUE", say) is not masked; nor is the host's own record of
  // the mount (the options some file systems show in /proc/mounts).
  // Errors: kInvalidArgument for a refused request (mount_args.h), nothing
  // run; otherwise those of running mount(8) (or systemd-run), with their
  // output kept.
  Status Mount(const MountRequest& request) const;

  // Unmounts host path `target` with the host's umount(8).
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing target,
  // nothing run; kNotMounted when umount reports that `target` is not
  // mounted (its exit status and output kept); otherwise those of running
  // umount(8).
  Status Unmount(const std::string& target) const;

  // The host's mount table: host file /proc/<target_pid>/mountinfo, read
  // with `Nsenter::host_files().ReadFile` (FileView), so from
  // <host root>/proc/<target_pid>/mountinfo by default.
  // Errors: those of ReadFile, naming the file (the code of the errno, e.g.
  // kNotFound; kUnsupported for a view that reads no files);
  // kInvalidArgument for a malformed table (mountinfo.h), naming the file
  // (under the host root) and line.
  Result<std::vector<MountInfo>> List() const;

  // Whether host path `path` is likely not a mount point, as upstream. Its
  // symlinks are resolved on the host first (`Nsenter::EvalSymlinks`, must
  // exist). Then:
  //   - Through nsenter: `findmnt -o target,fstype --noheadings --first-only
  //     --target PATH` names the mount holding it; the answer is false when
  //     that mount's target is the resolved path itself. A failing findmnt
  //     means "not a mount point" (kNonZeroExit: true, as upstream). findmnt
  //     pads the target with spaces that cannot be told from spaces ending
  //     it, so a path that ends in spaces is taken as named by a target that
  //     is the same but for them: only "/" followed by nothing but spaces
  //     (up to 5) is thereby mistaken for "/", a mount point.
  //   - Natively: !IsMountPoint's native answer (statx), no process started.
  // A bind mount of a directory onto itself counts as a mount point on both.
  // The backends differ by design on one case: the mount point of a mount
  // hidden under a later mount on one of its parents. The path then leads
  // into the later mount; natively it is not a mount point (the kernel's
  // answer: a mount made there would be seen, an unmount there would fail),
  // while findmnt, as upstream, still finds the hidden mount in the table
  // and answers false. Everywhere else both backends give findmnt's answer
  // (the privileged suite's agreement_test compares them with findmnt and
  // stat(1) on the host).
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing path,
  // nothing run; those of EvalSymlinks (kNotFound for a missing path, ...);
  // through nsenter kInternal for findmnt output that holds no target;
  // natively those of IsMountPoint.
  Result<bool> IsLikelyNotMountPoint(const std::string& path) const;

  // Whether host path `path` is exactly a mount point (the root of a mount,
  // a bind mount of a directory onto itself included), its symlinks resolved
  // on the host first (EvalSymlinks, must exist).
  //   - Natively: statx(2)'s STATX_ATTR_MOUNT_ROOT of the resolved path below
  //     the resolution root, each directory on the way opened with O_NOFOLLOW
  //     (confined_files.h); no process is started.
  //   - Through nsenter: whether the mount table (List) has a mount whose
  //     mount point is the resolved path; no process is started either. A
  //     mount hidden under a later mount on one of its parents is still in
  //     the table, so it still counts (findmnt would say the same), where
  //     the native answer is false (see IsLikelyNotMountPoint).
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing path,
  // nothing run; those of EvalSymlinks; natively those of confined_files.h
  // (kPermissionDenied for a symlink that appeared after the resolution;
  // kInternal on a kernel without STATX_ATTR_MOUNT_ROOT, before 5.8);
  // through nsenter those of List.
  Result<bool> IsMountPoint(const std::string& path) const;

  // The other mount points of the mount at host path `path`, as Kubernetes'
  // GetMountRefs: `path` is resolved on the host (EvalSymlinks, must exist);
  // the topmost mount of the table (List) whose mount point is the resolved
  // path gives a root and major:minor, and every other mount with the same
  // root and major:minor is a reference, in table order. A path that does not
  // exist, or is not a mount point, has none.
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing path,
  // nothing run or read; those of EvalSymlinks other than kNotFound; those of
  // List.
  Result<std::vector<std::string>> GetMountRefs(const std::string& path) const;

  // Makes the mount at host path `path` rshared on the host, as kubelet does
  // for its root directory: `path` is resolved on the host (EvalSymlinks,
  // must exist); if the table (List) has no mount there, the path is first
  // bind-mounted onto itself; then, unless that mount is already shared,
  // `mount --make-rshared -- PATH` runs.
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing path,
  // nothing run; those of EvalSymlinks, List and running mount(8).
  Status MakeRShared(const std::string& path) const;

 private:
  // Whether `request` is mounted in a transient systemd scope.
  bool InSystemdScope(const MountRequest& request) const;

  // Whether the discovered systemd-run can run a scope: probed on the first
  // call, then remembered.
  bool SystemdRunWorks() const;

  // IsMountPoint of `resolved`, a host path without symlinks.
  Result<bool> IsResolvedMountPoint(const std::string& resolved) const;

  // The topmost mount at `mount_point` in `table`, or null.
  static const MountInfo* TopmostAt(const std::vector<MountInfo>& table,
                                    const std::string& mount_point);

  // The systemd-run probe's answer, shared by a mounter's copies.
  struct SystemdProbe {
    std::once_flag once;
    bool works = false;
  };

  const Nsenter& ns_;
  HostMounterOptions options_;
  std::shared_ptr<SystemdProbe> systemd_probe_ = std::make_shared<SystemdProbe>();
};

}  // namespace nsenter

#endif  // NSENTER_MOUNT_HOST_MOUNTER_H_
