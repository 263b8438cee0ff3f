// Mount propagation from the host into the container, the kubelet's first
// requirement of a containerized mounter: with `-v /:/rootfs:rslave` a mount
// made on the host through the library appears at its KubeletPath in the
// container, and its unmount propagates too; with rprivate it never appears.
// Both backends run the mount commands.
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::privileged {
namespace {

class PropagationTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

constexpr char kSource[] = "propagation-test";

// Whether the host has a mount at `path`, asked with findmnt on the host.
bool HostHasMount(const Nsenter& ns, const std::string& path) {
  Result<std::string> found =
      ns.Exec("findmnt", {"-n", "-o", "SOURCE", "--mountpoint", path})->Output();
  EXPECT_TRUE(found.ok() || found.error().exit_status() == 1) << found.error().ToString();
  return found.ok() && *found == std::string(kSource) + "\n";
}

void MountOnHost(const Nsenter& ns, const std::string& path) {
  Status mounted = ns.Exec("mount", {"-t", "tmpfs", "-o", "size=1m", kSource, path})->Run();
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  ASSERT_TRUE(HostHasMount(ns, path));
  Status touched = ns.Exec("touch", {path + "/marker"})->Run();
  ASSERT_TRUE(touched.ok()) << touched.error().ToString();
}

void UnmountOnHost(const Nsenter& ns, const std::string& path) {
  Status unmounted = ns.Exec("umount", {path})->Run();
  ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();
  EXPECT_FALSE(HostHasMount(ns, path));
}

TEST_P(PropagationTest, RslaveShowsHostMountsAtTheirKubeletPath) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const Nsenter& ns = **created;
    Result<std::string> kubelet_path = ns.KubeletPath(container.scratch);
    ASSERT_TRUE(kubelet_path.ok()) << kubelet_path.error().ToString();
    EXPECT_EQ(*kubelet_path, container.rootfs + container.scratch);

    ASSERT_NO_FATAL_FAILURE(MountOnHost(ns, container.scratch));
    EXPECT_TRUE(IsMountPoint(*kubelet_path));
    EXPECT_TRUE(std::filesystem::exists(*kubelet_path + "/marker"));
    EXPECT_FALSE(IsMountPoint(container.scratch)) << "the container's own path must not change";

    ASSERT_NO_FATAL_FAILURE(UnmountOnHost(ns, container.scratch));
    EXPECT_FALSE(IsMountPoint(*kubelet_path)) << "the unmount did not propagate";
    EXPECT_FALSE(std::filesystem::exists(*kubelet_path + "/marker"));
  });
}

TEST_P(PropagationTest, RprivateHidesHostMountsFromTheRootfs) {
  RunInContainer(Propagation::kPrivate, [backend = GetParam()](const Container& container) {
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const Nsenter& ns = **created;
    Result<std::string> kubelet_path = ns.KubeletPath(container.scratch);
    ASSERT_TRUE(kubelet_path.ok()) << kubelet_path.error().ToString();

    ASSERT_NO_FATAL_FAILURE(MountOnHost(ns, container.scratch));
    EXPECT_FALSE(IsMountPoint(*kubelet_path)) << "a host mount reached an rprivate rootfs";
    EXPECT_FALSE(std::filesystem::exists(*kubelet_path + "/marker"));
    EXPECT_FALSE(IsMountPoint(container.scratch));

    ASSERT_NO_FATAL_FAILURE(UnmountOnHost(ns, container.scratch));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, PropagationTest,
                         testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
