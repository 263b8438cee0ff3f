// SetnsExecutor: the native backend's Executor. Runs programs inside a
// target's namespaces without the nsenter program: one exec instead of two.
//
// The namespace files (e.g. /rootfs/proc/1/ns/mnt) are opened once, by
// `Open`, close-on-exec, and checked to be namespaces of the expected kind.
// Each command is started in a child made with clone(CLONE_VM|CLONE_VFORK),
// as posix_spawn does, which then, using only async-signal-safe system calls:
// marks every descriptor but 0, 1 and 2 close-on-exec (close_range(2), or
// where that is refused — by a kernel before 5.11 or a seccomp filter — each
// entry of /proc/self/fd), enters every namespace with setns(2), takes its
// standard descriptors, changes to the requested directory — resolved inside
// the entered mount namespace — or else to its root, starts a process group,
// resets signals, and execve(2)s the program. A program name without a slash
// is looked up on the PATH of the command's environment (execvp's
// "/bin:/usr/bin" if it has none), inside the entered namespace, and a file
// without an executable format (a script without "#!") is run by the
// namespace's /bin/sh, as nsenter(1) does with execvp. Everything the child needs is
// prepared before the clone. A child that fails before its exec writes the
// stage and errno into the caller's memory, which the caller reads when the
// clone returns (the child has then exec'd or exited): no descriptor is open
// during a start, so a fork on another thread never makes a start wait for
// an unrelated process. (Builds with ThreadSanitizer, which cannot follow a
// child that shares the caller's memory, fork with the bare system call and
// CLONE_VFORK instead, and the child reports in a page mapped shared.)
//
// Errors of a command, besides those of exec.h (which it shares with
// ProcessExecutor — output capture, timeout, exit status):
//   kPermissionDenied  the program is not executable;
//   kNotFound          the program does not exist in the namespace;
//   kExecFailed        setns refused (the caller lacks CAP_SYS_ADMIN or
//                      CAP_SYS_CHROOT: the message says so); the working
//                      directory cannot be entered; the caller's other
//                      descriptors cannot be closed (close_range refused and
//                      /proc/self/fd unreadable or not on procfs: nothing
//                      runs rather than leak them); or another reason the
//                      program could not be started.
// The PID namespace is not supported (entering it affects only children of
// the caller; use the nsenter backend).
//
// Thread-safety: safe to share; commands may run from many threads at once.
#ifndef NSENTER_SETNS_EXECUTOR_H_
#define NSENTER_SETNS_EXECUTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "nsenter/exec.h"
#include "nsenter/namespaces.h"

namespace nsenter {

class Spawner;  // supervised_cmd.h

struct NamespaceFile {
  NamespaceKind kind;
  std::string path;  // E.g. "/rootfs/proc/1/ns/mnt".
};

class SetnsExecutor final : public Executor {
 public:
  // Opens and checks the namespace files. Errors: kNotFound (missing file),
  // kPermissionDenied, kInvalidArgument (not a namespace of that kind, or the
  // PID namespace), naming the file.
  static Result<std::shared_ptr<const SetnsExecutor>> Open(const std::vector<NamespaceFile>& files);

  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const override;

 private:
  explicit SetnsExecutor(std::shared_ptr<const Spawner> spawner);
  std::shared_ptr<const Spawner> spawner_;
};

}  // namespace nsenter

#endif  // NSENTER_SETNS_EXECUTOR_H_
