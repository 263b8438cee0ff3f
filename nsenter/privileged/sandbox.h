// Sandbox: a host and a privileged container on this machine, built per test
// from real namespaces, in which a test body runs the library against the
// real host: through the real nsenter(1), or natively with setns(2). Or the
// host alone, in which a test body runs a real container runtime
// (nsenter/container): `--pid=host` then means this host.
//
// Processes, from the test down:
//   test ─ namespace owner ─ host (PID 1 of a new PID namespace) ─ container
// The namespace owner unshares a PID and a mount namespace; its child is
// their PID 1, "the host": the host mount namespace, a procfs of its own (so
// /proc/1/ns/mnt is the host namespace) and an rshared "/" (mounts.h).
// The container is the host's child in a mount namespace of its own, in the
// host's PID namespace (`--pid=host`), with the host's "/" mounted at
// `Container::rootfs` (`-v /:<rootfs>:rslave`, or rprivate). Once the
// container is set up, the host adds facts that only the host can see (see
// `Container`), and the body runs in the container. Its assertion results are
// sent back (test_report.h) and reported in the calling test.
//
// A body that runs on the host (`Sandbox(HostBody)`) is the host's child in
// the host's own mount namespace, started once the host-only facts are in
// place; its mounts are the host's, and orphans it leaves (a runtime's
// monitor processes) are reaped by the host.
//
// Cleanup: when the host ends, the kernel kills every process left in its PID
// namespace, and with the last process the namespaces and all their mounts
// go. `Wait` returns only after that; the temporary directory goes with the
// Sandbox. Nothing is mounted in the test's own mount namespace.
//
// Example:
//   RunInContainer(Propagation::kRslave, [](const Container& container) {
//     auto ns = nsenter::Nsenter::Create(NsenterOptions(container));
//     ASSERT_TRUE(ns.ok()) << ns.error().ToString();
//     EXPECT_TRUE((*ns)->Exec("ls", {container.host_only_mount})->Output().ok());
//   });
//
// Requirements: see privileges.h (callers skip where MissingPrivilege()) and
// mounts.h. The calling process must be single-threaded while a Sandbox
// starts.
//
// Errors: failures to build the namespaces are reported as failures of the
// current test; the constructor throws std::system_error if it cannot start
// a process at all.
//
// Thread-safety: one owner; use from the test's thread.
#ifndef NSENTER_PRIVILEGED_SANDBOX_H_
#define NSENTER_PRIVILEGED_SANDBOX_H_

#include <sys/types.h>

#include <functional>
#include <string>

#include "fakehost/temp_dir.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/unique_fd.h"

namespace nsenter::privileged {

// What only the host has, made for each sandbox. All paths are absolute and
// free of symlinks; every host path is also the same path in the container,
// where it shows the container's own view.
struct HostFacts {
  // A tmpfs mounted in the host namespace after the container was set up, so
  // the container's own view of this path is an empty directory. It holds
  //   marker                  a file,
  //   real/file               a file,
  //   data -> <mount>/real    an absolute symlink,
  //   bin/host-tool           a shell script printing
  //                           "host-tool ran on the host".
  std::string host_only_mount;
  // An absolute symlink to <host_only_mount>/data, on the file system both
  // share: <symlink>/file is <host_only_mount>/real/file on the host, and
  // nothing in the container (through the rootfs, the absolute target leads
  // back into the container's own view).
  std::string symlink;
  // An empty directory, on the file system both share, for the body's own
  // mounts on the host.
  std::string scratch;
  // An empty directory for the body's own files (a container runtime's
  // storage), removed with the sandbox.
  std::string workdir;
};

// What the body in the container gets to know: the host's facts, and where
// the host's "/" is mounted.
struct Container : HostFacts {
  Propagation propagation = Propagation::kRslave;
  // Where the host's "/" is mounted in the container: the library's host root.
  std::string rootfs;
};

using ContainerBody = std::function<void(const Container&)>;
using HostBody = std::function<void(const HostFacts&)>;

class Sandbox {
 public:
  // Builds the host and the container and starts `body` in the container.
  Sandbox(Propagation propagation, ContainerBody body);
  // Builds the host alone and starts `body` on it, as described above.
  explicit Sandbox(HostBody body);
  // Kills whatever still runs (when Wait was not called, e.g. after a failed
  // ASSERT in the test) and removes the temporary directory.
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Waits until the body has finished and the namespaces are gone, then
  // reports the body's results, and any failure to build the sandbox, in the
  // current test. Call once.
  void Wait();

  // The namespace owner's pid in the test's PID namespace; the host's PID 1
  // is its only child.
  pid_t pid() const { return pid_; }
  // The container's view; for a body on the host, only the HostFacts part
  // holds.
  const Container& container() const { return container_; }

 private:
  // Lays out the temporary directory; `body` runs in the container, or on
  // the host when `on_host`.
  Sandbox(Propagation propagation, bool on_host, ContainerBody body);

  fakehost::TempDir temp_;
  Container container_;
  pid_t pid_ = -1;
  UniqueFd report_;
};

// Sandbox(propagation, body).Wait().
void RunInContainer(Propagation propagation, const ContainerBody& body);

// Sandbox(body).Wait().
void RunOnHost(const HostBody& body);

// Options for Nsenter::Create inside `container`: the rootfs as host root,
// `backend`, for the nsenter backend the real /usr/bin/nsenter run by a
// ProcessExecutor, everything else default.
nsenter::Options NsenterOptions(const Container& container,
                                Backend backend = Backend::kNsenter);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_SANDBOX_H_
