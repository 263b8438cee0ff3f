// What goes wrong, goes wrong clearly and leaves nothing running: a missing
// nsenter program, a missing namespace file, and a host command that outlives
// its deadline (with both backends).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/namespaces.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/process_census.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::privileged {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using FailuresTest = PrivilegedTest;

// Runs `ls /` on the host with `options` and expects kExecFailed whose
// message names `named`, with no process of the attempt left.
void ExpectExecFailed(const Options& options, const std::string& named) {
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(options);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  Result<std::string> output = (*created)->Exec("ls", {"/"})->Output();
  ASSERT_FALSE(output.ok()) << "ran anyway: " << *output;
  EXPECT_EQ(output.error().code(), ErrorCode::kExecFailed) << output.error().ToString();
  EXPECT_THAT(output.error().ToString(), HasSubstr(named));
  EXPECT_THAT(Descendants(ListProcesses(), getpid()), IsEmpty());
}

TEST_F(FailuresTest, MissingNsenterProgramIsExecFailed) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    Options options = NsenterOptions(container);
    options.nsenter_program = container.scratch + "/no-such-nsenter";
    ExpectExecFailed(options, options.nsenter_program);
  });
}

// A namespace file of a process that does not exist.
std::string MissingNamespaceFile(const Container& container) {
  return container.rootfs + "/proc/no-such-process/ns/mnt";
}

TEST_F(FailuresTest, MissingNamespaceFileIsExecFailed) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    Options options = NsenterOptions(container);
    options.namespace_files[NamespaceKind::kMount] = MissingNamespaceFile(container);
    ExpectExecFailed(options, "nsenter: cannot open " + MissingNamespaceFile(container));
  });
}

// Natively the namespace file is opened once, by Create.
TEST_F(FailuresTest, MissingNamespaceFileFailsNativeCreate) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    Options options = NsenterOptions(container, Backend::kNative);
    options.namespace_files[NamespaceKind::kMount] = MissingNamespaceFile(container);
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(options);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code(), ErrorCode::kNotFound) << created.error().ToString();
    EXPECT_THAT(created.error().message(), HasSubstr(MissingNamespaceFile(container)));
  });
}

// How the children of this process end, in the order they do:
// "<command name> killed by <signal>" or "<command name> exited <status>".
// Waits until there are none left.
std::vector<std::string> ReapChildren() {
  std::vector<std::string> endings;
  for (;;) {
    siginfo_t info = {};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
      if (errno == EINTR) continue;
      EXPECT_EQ(errno, ECHILD) << std::strerror(errno);
      return endings;
    }
    // A zombie keeps its name until it is reaped.
    std::string name;
    std::getline(std::ifstream("/proc/" + std::to_string(info.si_pid) + "/comm"), name);
    waitpid(info.si_pid, nullptr, 0);
    endings.push_back(name + (info.si_code == CLD_KILLED
                                  ? std::string(" killed by ") + sigabbrev_np(info.si_status)
                                  : " exited " + std::to_string(info.si_status)));
  }
}

class TimeoutTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

TEST_P(TimeoutTest, KillsTheHostCommandsProcessGroup) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    // The command's orphans are then reparented to this process, which can
    // see how they end.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0) << std::strerror(errno);
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    std::unique_ptr<Cmd> cmd = (*created)->Exec("sh", {"-c", "sleep 30 & sleep 30 & wait"});
    cmd->SetTimeout(std::chrono::seconds(2));

    const auto start = std::chrono::steady_clock::now();
    Result<std::string> output = cmd->Output();
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(output.ok()) << *output;
    EXPECT_EQ(output.error().code(), ErrorCode::kTimeout) << output.error().ToString();
    EXPECT_LT(took, std::chrono::seconds(10));

    // Both sleeps were in the killed group: a survivor would only end, with
    // "exited 0", after its 30 seconds.
    EXPECT_THAT(ReapChildren(), ElementsAre("sleep killed by KILL", "sleep killed by KILL"));
    for (const auto& [pid, process] : ListProcesses()) {
      EXPECT_NE(process.comm, "sleep") << "process " << pid << " survived";
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, TimeoutTest,
                         testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
