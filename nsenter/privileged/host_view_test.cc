// Commands run through the library see the host's mount namespace, not the
// container's: a mount and files that only the host has are there, and
// symlinks resolve as the host resolves them. Each test also shows that the
// container's own view differs, so the answer cannot have come from it.
//
// Every test runs with both backends and both rootfs propagations: the host
// view must not depend on whether the host-only mount propagated into the
// rootfs (natively, resolution goes through <rootfs>/proc/1/root).
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/process_executor.h"

namespace nsenter::privileged {
namespace {

class HostViewTest : public PrivilegedTest,
                     public testing::WithParamInterface<std::tuple<Backend, Propagation>> {
 protected:
  // Runs `body` in a container with this test's propagation, handing it the
  // library made with this test's backend.
  void RunWithNsenter(
      const std::function<void(const Container&, const Nsenter&)>& body) const {
    const auto [backend, propagation] = GetParam();
    RunInContainer(propagation, [&, backend = backend](const Container& container) {
      Result<std::unique_ptr<Nsenter>> created =
          Nsenter::Create(NsenterOptions(container, backend));
      ASSERT_TRUE(created.ok()) << created.error().ToString();
      if (backend == Backend::kNative) {
        EXPECT_EQ((*created)->resolution_root(), container.rootfs + "/proc/1/root");
      }
      body(container, **created);
    });
  }
};

// Runs `program` in the container itself, not on the host.
Result<std::string> InContainer(const std::string& program, const std::vector<std::string>& args) {
  return ProcessExecutor().Command(program, args)->Output();
}

TEST_P(HostViewTest, FindmntSeesTheHostOnlyMount) {
  RunWithNsenter([](const Container& container, const Nsenter& ns) {
    const std::vector<std::string> args = {"-n", "-o", "FSTYPE", "--mountpoint",
                                           container.host_only_mount};
    Result<std::string> on_host = ns.Exec("findmnt", args)->Output();
    ASSERT_TRUE(on_host.ok()) << on_host.error().ToString();
    EXPECT_EQ(*on_host, "tmpfs\n");

    Result<std::string> in_container = InContainer("/usr/bin/findmnt", args);
    ASSERT_FALSE(in_container.ok()) << "the container sees the host-only mount: " << *in_container;
    EXPECT_EQ(in_container.error().exit_status(), 1) << in_container.error().ToString();
    EXPECT_FALSE(IsMountPoint(container.host_only_mount));
  });
}

TEST_P(HostViewTest, LsListsTheHostOnlyFiles) {
  RunWithNsenter([](const Container& container, const Nsenter& ns) {
    const std::vector<std::string> args = {"-A", "--", container.host_only_mount};
    Result<std::string> on_host = ns.Exec("ls", args)->Output();
    ASSERT_TRUE(on_host.ok()) << on_host.error().ToString();
    EXPECT_EQ(*on_host, "bin\ndata\nmarker\nreal\n");

    Result<std::string> in_container = InContainer("/usr/bin/ls", args);
    ASSERT_TRUE(in_container.ok()) << in_container.error().ToString();
    EXPECT_EQ(*in_container, "");
  });
}

// SetDir names a host directory: one only the host has works, in both
// backends (through nsenter, --wdns=; its --wd= would open the directory in
// the container, where it is missing).
TEST_P(HostViewTest, TheWorkingDirectoryIsAHostOnlyDirectory) {
  RunWithNsenter([](const Container& container, const Nsenter& ns) {
    const std::string dir = container.host_only_mount + "/real";
    std::unique_ptr<Cmd> cmd = ns.Exec("pwd", {});
    cmd->SetDir(dir);
    Result<std::string> on_host = cmd->Output();
    ASSERT_TRUE(on_host.ok()) << on_host.error().ToString();
    EXPECT_EQ(*on_host, dir + "\n");

    Result<std::string> in_container = InContainer("/usr/bin/ls", {"-d", "--", dir});
    EXPECT_FALSE(in_container.ok()) << "the container has " << dir;
  });
}

TEST_P(HostViewTest, EvalSymlinksMustExistFollowsAnAbsoluteSymlinkOnTheHost) {
  RunWithNsenter([](const Container& container, const Nsenter& ns) {
    Result<std::string> resolved = ns.EvalSymlinks(container.symlink + "/file", true);
    ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
    EXPECT_EQ(*resolved, container.host_only_mount + "/real/file");

    Result<std::string> missing = ns.EvalSymlinks(container.symlink + "/missing", true);
    ASSERT_FALSE(missing.ok()) << *missing;
    EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound) << missing.error().ToString();

    // In the container the link's absolute target leads nowhere, through the
    // rootfs too: it is read from the container's own root.
    for (const std::string& path :
         {container.symlink + "/file", container.rootfs + container.symlink + "/file"}) {
      EXPECT_FALSE(InContainer("/usr/bin/realpath", {"-e", "--", path}).ok()) << path;
    }
  });
}

TEST_P(HostViewTest, EvalSymlinksFollowsHostSymlinksOfAMissingPath) {
  RunWithNsenter([](const Container& container, const Nsenter& ns) {
    const std::string path = container.symlink + "/missing/leaf";
    Result<std::string> resolved = ns.EvalSymlinks(path, false);
    ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
    EXPECT_EQ(*resolved, container.host_only_mount + "/real/missing/leaf");

    // The container, lacking the host-only `data` link, stops resolving there.
    Result<std::string> in_container =
        InContainer("/usr/bin/realpath", {"-m", "--", container.rootfs + path});
    ASSERT_TRUE(in_container.ok()) << in_container.error().ToString();
    EXPECT_EQ(*in_container, container.host_only_mount + "/data/missing/leaf\n");
  });
}

std::string ParamName(const testing::TestParamInfo<HostViewTest::ParamType>& info) {
  const auto [backend, propagation] = info.param;
  return std::string(BackendName(backend)) + "_" + PropagationName(propagation);
}

INSTANTIATE_TEST_SUITE_P(BackendsAndPropagations, HostViewTest,
                         testing::Combine(testing::ValuesIn(AllBackends()),
                                          testing::Values(Propagation::kRslave,
                                                          Propagation::kPrivate)),
                         ParamName);

}  // namespace
}  // namespace nsenter::privileged
