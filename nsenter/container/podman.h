// Podman as the container suite runs it: on a sandbox host (a PID 1 of its
// own PID and mount namespaces, nsenter/privileged/sandbox.h), with the
// suite's settings and a state of its own, running the nsenterctl image as
// users do (user_command.h).
//
// Everything podman keeps is the test's own: its images and containers in
// the sandbox's workdir (vfs driver); its run-time state, locks, events and
// image cache on tmpfs mounts that the host's mount namespace alone has
// (/run, /dev/shm, /var/lib).
// All of it goes with the sandbox, so tests never collide and nothing is
// left on the machine. The settings podman needs on this kind of machine live
// in containers.conf beside this file, and nowhere else.
//
// Example (in a RunOnHost body):
//   Result<std::unique_ptr<Podman>> podman = Podman::Start(host);
//   ASSERT_TRUE(podman.ok()) << podman.error().ToString();
//   Result<std::string> probe =
//       (*podman)->RunImage(Propagation::kRslave, {"nsenterctl", "probe"});
//
// Errors: Start throws std::system_error when a tmpfs cannot be mounted
// (privileged::MountTmpfs), and fails with kInternal naming the file when
// storage.conf cannot be written, or when the image does not load; commands
// return the errors of process_executor.h (kNonZeroExit with podman's stderr,
// kTimeout after kCommandTimeout).
//
// Thread-safety: use from the body's thread.
#ifndef NSENTER_CONTAINER_PODMAN_H_
#define NSENTER_CONTAINER_PODMAN_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::container {

using privileged::HostFacts;
using privileged::Propagation;

// A guard against hangs, not a speed target.
inline constexpr std::chrono::seconds kCommandTimeout{120};

class DetachedContainer;

class Podman {
 public:
  // Gives podman its state on this host and loads the image from the test's
  // runfiles. Must run on a sandbox host.
  static Result<std::unique_ptr<Podman>> Start(const HostFacts& host);

  // `podman ARGS...`; its stdout.
  Result<std::string> Run(const std::vector<std::string>& args) const;

  // The users' command (UserRunArgs) followed by `command`: the container
  // runs to its end and is removed; its stdout.
  Result<std::string> RunImage(Propagation propagation,
                               const std::vector<std::string>& command) const;

  // The same, detached (`run -d`), once its first process runs.
  Result<std::unique_ptr<DetachedContainer>> StartImage(
      Propagation propagation, const std::vector<std::string>& command) const;

 private:
  explicit Podman(std::vector<std::string> env) : env_(std::move(env)) {}

  std::vector<std::string> env_;  // PATH and podman's configuration files.
};

// A container running in the background, removed (`podman rm -f -t 0`)
// when this goes; a failure to remove it fails the current test.
class DetachedContainer {
 public:
  DetachedContainer(const Podman& podman, std::string id, pid_t pid)
      : podman_(podman), id_(std::move(id)), pid_(pid) {}
  ~DetachedContainer();
  DetachedContainer(const DetachedContainer&) = delete;
  DetachedContainer& operator=(const DetachedContainer&) = delete;

  const std::string& id() const { return id_; }
  // Its first process, in the host's PID namespace.
  pid_t pid() const { return pid_; }

  // `podman exec ID COMMAND...`; its stdout.
  Result<std::string> Exec(const std::vector<std::string>& command) const;

  // Where the host reaches `path` of the container's own mount namespace:
  // /proc/PID/root/PATH. Its mount table is /proc/PID/mountinfo.
  std::string FromHost(const std::string& path) const;

 private:
  const Podman& podman_;
  std::string id_;
  pid_t pid_;
};

}  // namespace nsenter::container

#endif  // NSENTER_CONTAINER_PODMAN_H_
