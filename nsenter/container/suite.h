// The frame of every container-suite test: a sandbox host (PID 1 of its own
// PID and mount namespaces), podman started on it with the image loaded, the
// test's body, and then the proof that nothing is left behind.
//
// After the body, on the host: no container (`podman ps -a`), the same
// processes in the host's PID namespace and the same mount table as before
// the body. After the sandbox: the host's namespaces, mounts and podman's
// storage are gone with it (sandbox.h), and the cgroups podman made for its
// monitors (`libpod_parent`, kept by podman on purpose) are empty and are
// removed, so the machine's cgroup tree is as before.
//
// Example:
//   TEST_F(ContainerTest, Probe) {
//     RunWithPodman([](const HostFacts& host, const Podman& podman) {
//       EXPECT_TRUE(podman.RunImage(Propagation::kRslave, {"nsenterctl", "probe"}).ok());
//     });
//   }
//
// Requirements: privileges.h, and podman and runc installed; the tests skip,
// saying why, where either is missing. Tests must not run in parallel with
// other podman users of the machine (they are tagged `exclusive`, and a test
// fails at its start while another podman or conmon runs), since the cgroups
// podman shares between its containers are removed afterwards.
//
// Thread-safety: from the test's thread.
#ifndef NSENTER_CONTAINER_SUITE_H_
#define NSENTER_CONTAINER_SUITE_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "nsenter/container/podman.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/privileges.h"

namespace nsenter::container {

// Skips where the sandbox cannot be built or podman or runc is missing.
class ContainerTest : public privileged::PrivilegedTest {
 protected:
  void SetUp() override;
};

using PodmanBody = std::function<void(const HostFacts& host, const Podman& podman)>;

// Runs `body` as described above and reports every check in the current test.
void RunWithPodman(const PodmanBody& body);

// The machine's podman and conmon processes, as "PID COMM". A test starts
// its own podman only inside its sandbox host, so any found before that
// belong to another podman user: ContainerTest::SetUp then fails the test,
// saying so.
std::vector<std::string> OtherPodmanProcesses();

// Every cgroup directory at or below podman's `libpod_parent` in any
// hierarchy (cgroup v1: one per controller; v2: the unified root).
std::set<std::string> PodmanCgroups();

// Removes the cgroups of PodmanCgroups() that are not in `before`, deepest
// first. A cgroup that still holds a process or another cgroup cannot be
// removed: that fails the current test.
void RemovePodmanCgroupsSince(const std::set<std::string>& before);

// nsenterctl's flag for `backend`: "--backend=nsenter" or "--backend=native".
std::string BackendFlag(Backend backend);

// The whole contents of the file at `path`; "" where it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace nsenter::container

#endif  // NSENTER_CONTAINER_SUITE_H_
