// Mount propagation into a container that podman and runc made: with
// `-v /:/rootfs:rslave`, a mount made on the host after the container
// started (by nsenterctl in the container, through either backend) is seen
// under /rootfs, and its unmount too; with `:rprivate` it is not. The
// library's propagation preflight, over the container's own mount table,
// says which of the two the container has.
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "nsenter/container/suite.h"
#include "nsenter/mount_propagation.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/this_machine.h"

namespace nsenter::container {
namespace {

using privileged::AllBackends;
using privileged::BackendParamName;

class PropagationTest : public ContainerTest, public testing::WithParamInterface<Backend> {};

// A container that waits, running `sleep` on the host through `backend`.
Result<std::unique_ptr<DetachedContainer>> StartWaiting(const Podman& podman,
                                                        Propagation propagation, Backend backend) {
  const std::string sleep = privileged::FindOnThisMachine("sleep").value_or("sleep");
  return podman.StartImage(propagation,
                           {"nsenterctl", "exec", BackendFlag(backend), "--", sleep, "600"});
}

// Runs `command` on the host through nsenterctl in `container`.
void ExecOnHost(const DetachedContainer& container, Backend backend,
                const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"nsenterctl", "exec", BackendFlag(backend), "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  Result<std::string> ran = container.Exec(argv);
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
}

// The preflight's answer for `path` in the container's mount table.
MountPropagation PreflightOf(const DetachedContainer& container, const std::string& path) {
  Result<MountPropagation> found = ParseMountPropagation(
      ReadFile("/proc/" + std::to_string(container.pid()) + "/mountinfo"), path);
  EXPECT_TRUE(found.ok()) << found.error().ToString();
  return found.ok() ? *found : MountPropagation{};
}

TEST_P(PropagationTest, RslaveShowsAHostMountMadeAfterTheContainerStarted) {
  RunWithPodman([backend = GetParam()](const HostFacts& host, const Podman& podman) {
    Result<std::unique_ptr<DetachedContainer>> started =
        StartWaiting(podman, Propagation::kRslave, backend);
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    const DetachedContainer& container = **started;
    const std::string seen = "/rootfs" + host.scratch;
    EXPECT_TRUE(PreflightOf(container, "/rootfs").receives_host_mounts());

    ASSERT_NO_FATAL_FAILURE(
        ExecOnHost(container, backend,
                   {"mount", "-t", "tmpfs", "-o", "size=1m", "container-test", host.scratch}));
    ASSERT_NO_FATAL_FAILURE(ExecOnHost(container, backend, {"touch", host.scratch + "/marker"}));
    EXPECT_TRUE(std::filesystem::exists(container.FromHost(seen + "/marker")));
    const MountPropagation mount = PreflightOf(container, seen);
    EXPECT_EQ(mount.mount_point, seen) << "the host's mount is not a mount in the container";
    EXPECT_TRUE(mount.receives_host_mounts());

    ASSERT_NO_FATAL_FAILURE(ExecOnHost(container, backend, {"umount", host.scratch}));
    EXPECT_FALSE(std::filesystem::exists(container.FromHost(seen + "/marker")))
        << "the unmount did not propagate";
    EXPECT_EQ(PreflightOf(container, seen).mount_point, "/rootfs");
  });
}

TEST_P(PropagationTest, RprivateHidesAHostMountMadeAfterTheContainerStarted) {
  RunWithPodman([backend = GetParam()](const HostFacts& host, const Podman& podman) {
    Result<std::unique_ptr<DetachedContainer>> started =
        StartWaiting(podman, Propagation::kPrivate, backend);
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    const DetachedContainer& container = **started;
    const std::string seen = "/rootfs" + host.scratch;
    EXPECT_FALSE(PreflightOf(container, "/rootfs").receives_host_mounts());

    ASSERT_NO_FATAL_FAILURE(
        ExecOnHost(container, backend,
                   {"mount", "-t", "tmpfs", "-o", "size=1m", "container-test", host.scratch}));
    ASSERT_NO_FATAL_FAILURE(ExecOnHost(container, backend, {"touch", host.scratch + "/marker"}));
    EXPECT_TRUE(std::filesystem::exists(host.scratch + "/marker")) << "the host has no mount";
    EXPECT_FALSE(std::filesystem::exists(container.FromHost(seen + "/marker")))
        << "a host mount reached an rprivate rootfs";
    EXPECT_EQ(PreflightOf(container, seen).mount_point, "/rootfs");
    ASSERT_NO_FATAL_FAILURE(ExecOnHost(container, backend, {"umount", host.scratch}));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, PropagationTest, testing::ValuesIn(AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace nsenter::container
