// Discovery through the rootfs of a privileged container: the binaries the
// library finds are this machine's, a binary only the host has is found and
// runs on the host, and systemd-run fails clearly where no systemd runs.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/discovery.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/privileged/this_machine.h"

namespace nsenter::privileged {
namespace {

using ::testing::HasSubstr;

using DiscoveryTest = PrivilegedTest;

TEST_F(DiscoveryTest, FindsThisMachinesBinariesUnderTheRootfs) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const Nsenter& ns = **created;
    EXPECT_EQ(ns.host_root(), container.rootfs);
    EXPECT_EQ(ns.mount_namespace(), container.rootfs + "/proc/1/ns/mnt");
    std::vector<std::string> names = DefaultRequiredBinaries();
    names.insert(names.end(), DefaultOptionalBinaries().begin(), DefaultOptionalBinaries().end());
    for (const std::string& name : names) {
      EXPECT_EQ(ns.AbsHostPath(name), FindOnThisMachine(name).value_or(name)) << name;
    }
  });
}

TEST_F(DiscoveryTest, FindsAndRunsABinaryOnlyTheHostHas) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    const std::string host_bin = container.host_only_mount + "/bin";
    Options options = NsenterOptions(container);
    options.search_dirs.push_back(host_bin);
    options.optional_binaries.push_back("host-tool");
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(options);
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const Nsenter& ns = **created;

    EXPECT_EQ(ns.AbsHostPath("host-tool"), host_bin + "/host-tool");
    EXPECT_FALSE(std::filesystem::exists(host_bin + "/host-tool"))
        << "the container itself must not see the host-only binary";
    Result<std::string> output = ns.Exec("host-tool", {})->Output();
    ASSERT_TRUE(output.ok()) << output.error().ToString();
    EXPECT_EQ(*output, "host-tool ran on the host\n");
  });
}

TEST_F(DiscoveryTest, SystemdRunFailsClearlyWhereNoSystemdRuns) {
  if (std::filesystem::exists("/run/systemd/system")) {
    GTEST_SKIP() << "systemd runs on this machine: systemd-run would really run";
  }
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const Nsenter& ns = **created;
    const std::optional<std::string> on_machine = FindOnThisMachine("systemd-run");
    const SystemdSupport systemd = ns.SupportsSystemd();
    EXPECT_EQ(systemd.found, on_machine.has_value());
    EXPECT_EQ(systemd.path, on_machine.value_or("systemd-run"));

    std::unique_ptr<Cmd> cmd = ns.Exec("systemd-run", {"--scope", "--", "true"});
    cmd->SetTimeout(std::chrono::seconds(30));
    Result<std::string> output = cmd->Output();
    ASSERT_FALSE(output.ok()) << "systemd-run succeeded without systemd: " << *output;
    if (on_machine) {
      EXPECT_EQ(output.error().code(), ErrorCode::kNonZeroExit) << output.error().ToString();
      EXPECT_THAT(output.error().stderr_data(), HasSubstr("not been booted with systemd"));
    } else {
      EXPECT_EQ(output.error().code(), ErrorCode::kNotFound) << output.error().ToString();
    }
  });
}

}  // namespace
}  // namespace nsenter::privileged
