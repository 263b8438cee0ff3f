// HostMounter: mounts on the host from a privileged container, the C++
// counterpart of Kubernetes' NsenterMounter (k8s.io/mount-utils).
//
// It runs the host binaries that `Nsenter` discovered (mount, umount,
// findmnt) in the host's mount namespace, through either backend of the
// `Nsenter` it is given: the nsenter program, or natively the setns executor,
// which starts the same host binaries with no nsenter program. The host's
// mount table is read from `<host root>/proc/<pid>/mountinfo`.
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
// Thread-safety: immutable after construction; all methods may be called from
// many threads at once (as far as the host's mount table allows: two mounts on
// one target race on the host as they would in a shell).
#ifndef NSENTER_MOUNT_HOST_MOUNTER_H_
#define NSENTER_MOUNT_HOST_MOUNTER_H_

#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/mount/mount_args.h"
#include "nsenter/mount/mountinfo.h"
#include "nsenter/nsenter.h"

namespace nsenter {

struct HostMounterOptions {
  // The process whose mount table List reads: <host root>/proc/<pid>/mountinfo.
  int target_pid = 1;
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
  // Sensitive options are not taken yet: kInvalidArgument if any is given
  // (`Nsenter::Exec` logs each argv at verbosity 5).
  // Errors: kInvalidArgument for a refused request (mount_args.h), nothing
  // run; otherwise those of running mount(8), with mount's output kept.
  Status Mount(const MountRequest& request) const;

  // Unmounts host path `target` with the host's umount(8).
  // Errors: kInvalidArgument for an empty, relative or NUL-bearing target,
  // nothing run; kNotMounted when umount reports that `target` is not
  // mounted (its exit status and output kept); otherwise those of running
  // umount(8).
  Status Unmount(const std::string& target) const;

  // The host's mount table, from <host root>/proc/<target_pid>/mountinfo.
  // Errors: the code of open(2)'s/read(2)'s errno naming the file (e.g.
  // kNotFound); kInvalidArgument for a malformed table (mountinfo.h), naming
  // the file and line.
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
  // Runs host program `program` with `args`, in the C locale; an error's
  // message starts with `shown_args` (the args to show in messages).
  Result<std::string> Run(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& shown_args) const;

  // IsMountPoint of `resolved`, a host path without symlinks.
  Result<bool> IsResolvedMountPoint(const std::string& resolved) const;

  // The topmost mount at `mount_point` in `table`, or null.
  static const MountInfo* TopmostAt(const std::vector<MountInfo>& table,
                                    const std::string& mount_point);

  const Nsenter& ns_;
  HostMounterOptions options_;
};

}  // namespace nsenter

#endif  // NSENTER_MOUNT_HOST_MOUNTER_H_
