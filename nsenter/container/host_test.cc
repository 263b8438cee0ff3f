// nsenterctl in a container that podman and runc made, run as users run it
// (user_command.h), acting on the sandbox's host: discovery on the host,
// `exec` in the host's mount namespace, `eval-symlinks` as the host's
// realpath answers, and `kubelet-path` naming where the container sees a
// host file. Every test runs with both backends where the command has one.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/container/suite.h"
#include "nsenter/container/user_command.h"
#include "nsenter/discovery.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/this_machine.h"
#include "nsenter/process_executor.h"

namespace nsenter::container {
namespace {

using privileged::AllBackends;
using privileged::BackendParamName;
using ::testing::HasSubstr;

class HostTest : public ContainerTest, public testing::WithParamInterface<Backend> {};

// `nsenterctl SUBCOMMAND --backend=B ARGS...` in a container of its own.
Result<std::string> Nsenterctl(const Podman& podman, const std::string& subcommand,
                               const std::string& backend, const std::vector<std::string>& args) {
  std::vector<std::string> command = {"nsenterctl", subcommand, backend};
  command.insert(command.end(), args.begin(), args.end());
  return podman.RunImage(Propagation::kRslave, command);
}

// The host's own answer, run on the host without a container.
std::string HostRealpath(const std::string& mode, const std::string& path) {
  Result<std::string> answer =
      ProcessExecutor().Command("/usr/bin/realpath", {mode, "--", path})->Output();
  EXPECT_TRUE(answer.ok()) << answer.error().ToString();
  return answer.ok() ? *answer : "";
}

TEST_P(HostTest, ProbeFindsTheHostsBinaries) {
  RunWithPodman([backend = BackendFlag(GetParam())](const HostFacts&, const Podman& podman) {
    Result<std::string> probe = Nsenterctl(podman, "probe", backend, {"--json"});
    ASSERT_TRUE(probe.ok()) << probe.error().ToString();
    const nlohmann::json found = nlohmann::json::parse(*probe);
    EXPECT_EQ(found["root"], "/rootfs");
    for (const std::string& name : DefaultRequiredBinaries()) {
      EXPECT_EQ(found["binaries"][name], privileged::FindOnThisMachine(name).value_or("")) << name;
    }
    const std::optional<std::string> realpath = privileged::FindOnThisMachine("realpath");
    EXPECT_EQ(found["realpath"], realpath ? nlohmann::json(*realpath) : nlohmann::json(nullptr));
  });
}

TEST_P(HostTest, ExecSeesAMountOnlyTheHostHas) {
  RunWithPodman([backend = BackendFlag(GetParam())](const HostFacts& host, const Podman& podman) {
    Result<std::string> found =
        Nsenterctl(podman, "exec", backend,
                   {"--", "findmnt", "-n", "-o", "FSTYPE", "--mountpoint", host.host_only_mount});
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    EXPECT_EQ(*found, "tmpfs\n");
    Result<std::string> marker =
        Nsenterctl(podman, "exec", backend, {"--", "cat", host.host_only_mount + "/marker"});
    ASSERT_TRUE(marker.ok()) << marker.error().ToString();
    EXPECT_EQ(*marker, "host only\n");
  });
}

TEST_P(HostTest, ExecRunsABinaryOnlyTheHostHas) {
  RunWithPodman([backend = BackendFlag(GetParam())](const HostFacts& host, const Podman& podman) {
    Result<std::string> ran =
        Nsenterctl(podman, "exec", backend, {"--", host.host_only_mount + "/bin/host-tool"});
    ASSERT_TRUE(ran.ok()) << ran.error().ToString();
    EXPECT_EQ(*ran, "host-tool ran on the host\n");
  });
}

TEST_P(HostTest, EvalSymlinksAnswersAsTheHostsRealpath) {
  RunWithPodman([backend = BackendFlag(GetParam())](const HostFacts& host, const Podman& podman) {
    // An absolute symlink whose target only the host has.
    const std::string existing = host.symlink + "/file";
    Result<std::string> resolved =
        Nsenterctl(podman, "eval-symlinks", backend, {"--must-exist", "--", existing});
    ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
    EXPECT_EQ(*resolved, HostRealpath("-e", existing));
    EXPECT_EQ(*resolved, host.host_only_mount + "/real/file\n");

    const std::string missing = host.symlink + "/missing/leaf";
    Result<std::string> lenient = Nsenterctl(podman, "eval-symlinks", backend, {"--", missing});
    ASSERT_TRUE(lenient.ok()) << lenient.error().ToString();
    EXPECT_EQ(*lenient, HostRealpath("-m", missing));
  });
}

TEST_P(HostTest, EvalSymlinksFailsForAMissingPathThatMustExist) {
  RunWithPodman([backend = BackendFlag(GetParam())](const HostFacts& host, const Podman& podman) {
    const std::string missing = host.symlink + "/missing";
    Result<std::string> resolved =
        Nsenterctl(podman, "eval-symlinks", backend, {"--must-exist", "--", missing});
    ASSERT_FALSE(resolved.ok()) << *resolved;
    EXPECT_EQ(resolved.error().exit_status(), 1);
    EXPECT_THAT(resolved.error().stderr_data(), HasSubstr("nsenterctl: "))
        << resolved.error().ToString();
    EXPECT_THAT(resolved.error().stderr_data(), HasSubstr(missing));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, HostTest, testing::ValuesIn(AllBackends()), BackendParamName);

using CommandTest = ContainerTest;

TEST_F(CommandTest, TheReadmeCommandPrintsTheProbe) {
  RunWithPodman([](const HostFacts&, const Podman& podman) {
    Result<std::string> probe = podman.Run(ReadmeRunArgs());
    ASSERT_TRUE(probe.ok()) << probe.error().ToString();
    EXPECT_THAT(*probe, HasSubstr("root /rootfs\n"));
    EXPECT_THAT(*probe,
                HasSubstr("mount " + privileged::FindOnThisMachine("mount").value_or("?") + "\n"));
  });
}

TEST_F(CommandTest, KubeletPathIsWhereTheContainerSeesAHostFile) {
  RunWithPodman([](const HostFacts& host, const Podman& podman) {
    const std::string sleep = privileged::FindOnThisMachine("sleep").value_or("sleep");
    Result<std::unique_ptr<DetachedContainer>> container =
        podman.StartImage(Propagation::kRslave, {"nsenterctl", "exec", "--", sleep, "600"});
    ASSERT_TRUE(container.ok()) << container.error().ToString();
    const std::string marker = host.host_only_mount + "/marker";
    Result<std::string> seen = (*container)->Exec({"nsenterctl", "kubelet-path", marker});
    ASSERT_TRUE(seen.ok()) << seen.error().ToString();
    EXPECT_EQ(*seen, "/rootfs" + marker + "\n");
    const std::string path = seen->substr(0, seen->size() - 1);
    EXPECT_EQ(ReadFile((*container)->FromHost(path)), "host only\n");
    EXPECT_FALSE(std::filesystem::exists((*container)->FromHost(marker)))
        << "the container's own view has the host's file";
  });
}

}  // namespace
}  // namespace nsenter::container
