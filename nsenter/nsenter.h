// Nsenter: run commands and resolve paths on the host from a privileged
// container, the C++ counterpart of k8s.io/utils/nsenter.
//
// The container sees the host's root file system at a host root ("/rootfs",
// e.g. `-v /:/rootfs:rslave`) and reaches the host's mount namespace through
// `<host root>/proc/1/ns/mnt` (the container shares the host's PID namespace).
// `Create` finds the host binaries under the host root; every command then
// runs in the host mount namespace as
//   nsenter --mount=<host root>/proc/1/ns/mnt -- <host path of cmd> args...
//
// Example:
//   nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create({});
//   if (!ns.ok()) return ns.error();
//   nsenter::Result<std::string> mounts = (*ns)->Exec("findmnt", {"-J"})->Output();
//   nsenter::Result<std::string> dir = (*ns)->EvalSymlinks("/var/lib/kubelet", true);
//
// An `Nsenter` is an `Executor`: code written against `Executor` runs on the
// host unchanged, and tests can replace it with a mock (//fakehost).
//
// Errors of commands made by `Exec`, besides those in exec.h:
//   kExecFailed       the nsenter program could not be started in the
//                     container, or it failed before running the host program
//                     (exit 1 with an "nsenter: " message, e.g. the namespace
//                     file is missing);
//   kNotFound         the host program does not exist on the host (nsenter
//                     exited 127);
//   kPermissionDenied the host program cannot be executed (nsenter exited 126).
//   A host program that itself exits 126 or 127 is reported the same way.
//
// Thread-safety: immutable after `Create`; all methods may be called from
// many threads at once.
#ifndef NSENTER_NSENTER_H_
#define NSENTER_NSENTER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/discovery.h"
#include "nsenter/error.h"
#include "nsenter/exec.h"

namespace nsenter {

// Receives log messages. Verbosity follows klog: 0 is always of interest
// (e.g. a failed resolution), 5 is detail (every command run).
using LogSink = std::function<void(int verbosity, std::string_view message)>;

struct Options {
  // Where the host's "/" is mounted in the container.
  std::string host_root = "/rootfs";
  // The host's mount namespace file; empty means <host_root>/proc/1/ns/mnt.
  std::string mount_namespace;
  // The nsenter program in the container; a bare name is looked up on PATH.
  std::string nsenter_program = "nsenter";
  // Host directories searched for binaries, in order; add e.g. "/opt/bin"
  // (Flatcar) or "/run/current-system/sw/bin" (NixOS) after the defaults.
  std::vector<std::string> search_dirs = DefaultSearchDirs();
  std::vector<std::string> required_binaries = DefaultRequiredBinaries();
  std::vector<std::string> optional_binaries = DefaultOptionalBinaries();
  // Runs the nsenter program; null means a ProcessExecutor.
  std::shared_ptr<const Executor> executor;
  // Null means: verbosity 0 to stderr, the rest dropped.
  LogSink log;
  // Deadline of each EvalSymlinks. GNU realpath never finishes on some
  // symlink graphs (e.g. a link `g -> g/x`).
  std::chrono::milliseconds eval_symlinks_timeout = std::chrono::seconds(10);
};

// Where systemd-run lives on the host, and whether it was found at all.
struct SystemdSupport {
  std::string path;  // The host path, or "systemd-run" when not found.
  bool found = false;
};

class Nsenter : public Executor {
 public:
  // Validates the options and discovers the host binaries. Errors:
  // kInvalidArgument for a relative or NUL-bearing root, namespace path or
  // search dir, an empty program, or a non-positive timeout; kNotFound
  // "unable to find NAME (searched ...)" for a missing required binary.
  static Result<std::unique_ptr<Nsenter>> Create(Options options);

  // A command running `cmd` in the host mount namespace, with argv exactly
  // [nsenter, --mount=<namespace>, --, AbsHostPath(cmd), args...]. A `cmd`
  // that discovery does not know is passed on as given: nsenter(1) then
  // looks a bare name up on PATH inside the host namespace. Bad input (empty
  // `cmd`, NUL bytes) yields a Cmd that fails with kInvalidArgument and runs
  // nothing.
  virtual std::unique_ptr<Cmd> Exec(const std::string& cmd,
                                    const std::vector<std::string>& args) const = 0;

  // Executor: the same as Exec.
  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const final {
    return Exec(path, args);
  }

  // The discovered host path of `command`, or `command` unchanged.
  virtual std::string AbsHostPath(const std::string& command) const = 0;

  // The systemd-run path and whether discovery found it.
  virtual SystemdSupport SupportsSystemd() const = 0;

  // Resolves every symlink of host path `path` on the host with
  // `realpath -e` (must_exist) or `realpath -m`, and returns the result
  // exactly as realpath printed it, minus its one terminating newline.
  // Errors (nothing runs for the first): kInvalidArgument for an empty,
  // relative or NUL-bearing path; from realpath's message: kNotFound,
  // kNotADirectory, kLoop, kPermissionDenied, kNameTooLong, else
  // kNonZeroExit (exit status and stderr kept); kTimeout after
  // Options::eval_symlinks_timeout; kInternal for output that is not a path.
  virtual Result<std::string> EvalSymlinks(const std::string& path, bool must_exist) const = 0;

  // The container-side path of host path `path`: see host_path.h.
  virtual Result<std::string> KubeletPath(const std::string& path) const = 0;

  // The host root and namespace file in use.
  virtual const std::string& host_root() const = 0;
  virtual const std::string& mount_namespace() const = 0;
};

}  // namespace nsenter

#endif  // NSENTER_NSENTER_H_
