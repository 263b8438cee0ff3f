// HostMounter against a real host: mounts made through it reach the host,
// show in the container's rslave view and in List(), and go with Unmount;
// a bind mount with "ro" is read-only; IsMountPoint and IsLikelyNotMountPoint
// see a tmpfs and a bind mount of a directory onto itself. Both backends.
#include "nsenter/mount/host_mounter.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::privileged {
namespace {

class HostMounterTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

constexpr char kSource[] = "host-mounter-test";

std::unique_ptr<Nsenter> CreateNsenter(const Container& container, Backend backend) {
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
  EXPECT_TRUE(created.ok()) << created.error().ToString();
  if (!created.ok()) return nullptr;
  return std::move(*created);
}

// The host's mount at `path` in List(), or null.
std::unique_ptr<MountInfo> Listed(const HostMounter& mounter, const std::string& path) {
  Result<std::vector<MountInfo>> table = mounter.List();
  EXPECT_TRUE(table.ok()) << table.error().ToString();
  if (!table.ok()) return nullptr;
  const auto found = std::find_if(table->rbegin(), table->rend(),
                                  [&](const MountInfo& m) { return m.mount_point == path; });
  return found == table->rend() ? nullptr : std::make_unique<MountInfo>(*found);
}

// Both IsMountPoint and IsLikelyNotMountPoint tell `mount_point` of `path`.
void ExpectMountPoint(const HostMounter& mounter, const std::string& path, bool mount_point) {
  Result<bool> exact = mounter.IsMountPoint(path);
  ASSERT_TRUE(exact.ok()) << exact.error().ToString();
  EXPECT_EQ(*exact, mount_point) << "IsMountPoint " << path;
  Result<bool> likely_not = mounter.IsLikelyNotMountPoint(path);
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().ToString();
  EXPECT_EQ(*likely_not, !mount_point) << "IsLikelyNotMountPoint " << path;
}

TEST_P(HostMounterTest, ATmpfsMountReachesTheContainerAndListAndUnmountReversesIt) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string kubelet_path = container.rootfs + container.scratch;
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, false));

    Status mounted = mounter.Mount({kSource, container.scratch, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    EXPECT_TRUE(IsMountPoint(kubelet_path)) << "the mount did not reach the container";
    const std::unique_ptr<MountInfo> listed = Listed(mounter, container.scratch);
    ASSERT_NE(listed, nullptr) << "List() misses the mount";
    EXPECT_EQ(listed->fs_type, "tmpfs");
    EXPECT_EQ(listed->source, kSource);
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, true));

    Status unmounted = mounter.Unmount(container.scratch);
    ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();
    EXPECT_FALSE(IsMountPoint(kubelet_path)) << "the unmount did not reach the container";
    EXPECT_EQ(Listed(mounter, container.scratch), nullptr);
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, false));

    Status again = mounter.Unmount(container.scratch);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), ErrorCode::kNotMounted) << again.error().ToString();
  });
}

TEST_P(HostMounterTest, ABindMountWithRoIsReadOnly) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string source = container.scratch + "/source";
    const std::string target = container.scratch + "/target";
    Status made = ns->Exec("mkdir", {"-p", source, target})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();

    Status mounted = mounter.Mount({source, target, "", {"bind", "ro"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    const std::unique_ptr<MountInfo> listed = Listed(mounter, target);
    ASSERT_NE(listed, nullptr);
    EXPECT_EQ(listed->mount_options.front(), "ro");
    EXPECT_FALSE(ns->Exec("touch", {target + "/file"})->Run().ok()) << "the bind is writable";
    Status touched = ns->Exec("touch", {source + "/file"})->Run();
    EXPECT_TRUE(touched.ok()) << touched.error().ToString();

    Status unmounted = mounter.Unmount(target);
    EXPECT_TRUE(unmounted.ok()) << unmounted.error().ToString();
  });
}

TEST_P(HostMounterTest, ABindMountOfADirectoryOntoItselfIsAMountPoint) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string self = container.scratch + "/self";
    const std::string inside = self + "/inside";
    Status made = ns->Exec("mkdir", {"-p", inside})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, false));

    Status mounted = mounter.Mount({self, self, "", {"bind"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, true));
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, inside, false));

    Status unmounted = mounter.Unmount(self);
    ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, false));
  });
}

bool IsShared(const MountInfo& mount) {
  return std::any_of(mount.optional_fields.begin(), mount.optional_fields.end(),
                     [](const std::string& field) { return field.starts_with("shared:"); });
}

TEST_P(HostMounterTest, MakeRSharedTurnsAPrivateMountAndAPlainDirectoryRshared) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string private_mount = container.scratch + "/private";
    const std::string plain = container.scratch + "/plain";
    Status made = ns->Exec("mkdir", {"-p", private_mount, plain})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    Status mounted = mounter.Mount({kSource, private_mount, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    Status privatized = ns->Exec("mount", {"--make-private", private_mount})->Run();
    ASSERT_TRUE(privatized.ok()) << privatized.error().ToString();
    std::unique_ptr<MountInfo> listed = Listed(mounter, private_mount);
    ASSERT_NE(listed, nullptr);
    ASSERT_FALSE(IsShared(*listed)) << "the mount was not made private";

    for (const std::string& path : {private_mount, plain}) {
      Status shared = mounter.MakeRShared(path);
      ASSERT_TRUE(shared.ok()) << shared.error().ToString();
      listed = Listed(mounter, path);
      ASSERT_NE(listed, nullptr) << path << " is not a mount point";
      EXPECT_TRUE(IsShared(*listed)) << path << " is not shared";
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, HostMounterTest, testing::ValuesIn(AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
