#include "nsenter/privileged/privileges.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nsenter/privileged/pipe_io.h"

namespace nsenter::privileged {
namespace {

// What the probe child reports on failure: the step and its errno.
struct ProbeFailure {
  int step;  // 0: unshare, 1: mount.
  int error;
};

std::string SystemFailure(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// The child: creates the namespaces, changes propagation, reports a failure
// on `report` and exits.
[[noreturn]] void Probe(int report) {
  ProbeFailure failure = {0, 0};
  if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
    failure = {0, errno};
  } else if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    failure = {1, errno};
  }
  if (failure.error != 0 && write(report, &failure, sizeof failure) != sizeof failure) _exit(2);
  _exit(failure.error != 0 ? 1 : 0);
}

std::optional<std::string> ProbeNamespaces() {
  Pipe report = MakePipe();
  const pid_t child = fork();
  if (child < 0) return SystemFailure("cannot fork", errno);
  if (child == 0) Probe(report.write_end.get());
  report.write_end.Reset();
  ProbeFailure failure = {0, 0};
  const std::string got = ReadAll(report.read_end.get());
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return SystemFailure("cannot wait for the namespace probe", errno);
  }
  if (got.size() == sizeof failure) {
    std::memcpy(&failure, got.data(), sizeof failure);
    return SystemFailure(failure.step == 0 ? "cannot create PID and mount namespaces"
                                           : "cannot change mount propagation",
                         failure.error);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the namespace probe failed";
  return std::nullopt;
}

std::optional<std::string> Check() {
  if (geteuid() != 0) return "needs root (running as uid " + std::to_string(geteuid()) + ")";
  return ProbeNamespaces();
}

}  // namespace

const std::optional<std::string>& MissingPrivilege() {
  static const std::optional<std::string> missing = Check();
  return missing;
}

void PrivilegedTest::SetUp() {
  if (const std::optional<std::string>& missing = MissingPrivilege()) {
    GTEST_SKIP() << "the privileged suite needs root with CAP_SYS_ADMIN and namespaces; "
                 << *missing;
  }
}

}  // namespace nsenter::privileged
