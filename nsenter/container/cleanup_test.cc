// Nothing the container suite starts outlives it. Removing a running
// container kills what it ran on the host too, with either backend; and even
// a container left running when its host ends leaves no process, mount,
// namespace, descriptor, storage or cgroup behind.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/container/suite.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/pipe_io.h"
#include "nsenter/privileged/process_census.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/privileged/this_machine.h"

namespace nsenter::container {
namespace {

using privileged::AllBackends;
using privileged::BackendParamName;
using privileged::Census;
using privileged::ProcessInfo;
using privileged::TakeCensus;
using ::testing::_;
using ::testing::Contains;
using ::testing::Field;
using ::testing::Pair;

class RemoveTest : public ContainerTest, public testing::WithParamInterface<Backend> {};

// RunWithPodman then checks that the container and the host's `sleep` it
// ran are gone.
TEST_P(RemoveTest, RemovingARunningContainerKillsWhatItRanOnTheHost) {
  RunWithPodman([backend = GetParam()](const HostFacts&, const Podman& podman) {
    const std::string sleep = privileged::FindOnThisMachine("sleep").value_or("sleep");
    Result<std::unique_ptr<DetachedContainer>> container = podman.StartImage(
        Propagation::kRslave, {"nsenterctl", "exec", BackendFlag(backend), "--", sleep, "600"});
    ASSERT_TRUE(container.ok()) << container.error().ToString();
    EXPECT_THAT(privileged::ListProcesses(), Contains(Pair(_, Field(&ProcessInfo::comm, "sleep"))));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, RemoveTest, testing::ValuesIn(AllBackends()), BackendParamName);

using CleanupTest = ContainerTest;

TEST_F(CleanupTest, AContainerLeftRunningDiesWithItsHost) {
  const Census before = TakeCensus();
  const std::set<std::string> cgroups = PodmanCgroups();
  std::string temporary_directory;
  {
    privileged::Pipe ready = privileged::MakePipe();
    privileged::Pipe finish = privileged::MakePipe();
    privileged::Sandbox sandbox([&](const HostFacts& host) {
      Result<std::unique_ptr<Podman>> podman = Podman::Start(host);
      ASSERT_TRUE(podman.ok()) << podman.error().ToString();
      const std::string sleep = privileged::FindOnThisMachine("sleep").value_or("sleep");
      Result<std::unique_ptr<DetachedContainer>> container =
          (*podman)->StartImage(Propagation::kRslave, {"nsenterctl", "exec", "--", sleep, "600"});
      ASSERT_TRUE(container.ok()) << container.error().ToString();
      // Never removed: the host's end must take it.
      (void)container->release();
      privileged::SendGo(ready.write_end.get());
      EXPECT_TRUE(privileged::ReceiveGo(finish.read_end.get()));
    });
    ready.write_end.Reset();
    finish.read_end.Reset();
    temporary_directory = std::filesystem::path(sandbox.container().workdir).parent_path().string();
    if (!privileged::ReceiveGo(ready.read_end.get())) {
      sandbox.Wait();  // Reports why the body gave up.
      FAIL() << "the body ended before the census";
    }
    const Census during = TakeCensus();
    privileged::SendGo(finish.write_end.get());
    sandbox.Wait();
    EXPECT_THAT(during.descendants, Contains(Pair(_, Field(&ProcessInfo::comm, "conmon"))));
    EXPECT_THAT(during.descendants, Contains(Pair(_, Field(&ProcessInfo::comm, "sleep"))));
    EXPECT_NE(PodmanCgroups(), cgroups) << "podman made no cgroup";
  }
  RemovePodmanCgroupsSince(cgroups);
  EXPECT_EQ(PodmanCgroups(), cgroups);
  const Census after = TakeCensus();
  EXPECT_EQ(after, before);
  EXPECT_FALSE(std::filesystem::exists(temporary_directory));
}

// A podman of the machine's, here a copy of sleep named podman, is what
// ContainerTest::SetUp refuses to run beside.
TEST(OtherPodmanProcessesTest, FindsAPodmanThatIsNotTheSuites) {
  char directory[] = "/tmp/other-podman-XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr) << strerror(errno);
  const std::string podman = std::string(directory) + "/podman";
  std::filesystem::copy_file(privileged::FindOnThisMachine("sleep").value_or("/bin/sleep"), podman);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0) << strerror(errno);
  if (pid == 0) {
    execl(podman.c_str(), "podman", "600", static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string expected = std::to_string(pid) + " podman";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<std::string> found = OtherPodmanProcesses();
  while (std::find(found.begin(), found.end(), expected) == found.end() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    found = OtherPodmanProcesses();
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(directory);
  EXPECT_THAT(found, Contains(expected));
}

}  // namespace
}  // namespace nsenter::container
