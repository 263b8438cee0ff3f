// Nothing a sandbox creates outlives it: not the processes (even one left
// running on the host), not the namespaces, not the mounts (even one left
// mounted on the host), not a descriptor, not the temporary directory. And
// while it runs, nothing of it shows in the test's own mount table.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/pipe_io.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/process_census.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::privileged {
namespace {

using ::testing::_;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Pair;

using CleanupTest = PrivilegedTest;

// In the container: leaves a tmpfs mounted and a process running on the host.
void LeaveThingsBehind(const Container& container) {
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container));
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  const Nsenter& ns = **created;
  Status mounted = ns.Exec("mount", {"-t", "tmpfs", "left-behind", container.scratch})->Run();
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  Status started = ns.Exec("sh", {"-c", "sleep 60 >/dev/null 2>&1 &"})->Run();
  ASSERT_TRUE(started.ok()) << started.error().ToString();
}

std::string ReadFile(const std::string& path) {
  std::ostringstream contents;
  contents << std::ifstream(path).rdbuf();
  return contents.str();
}

TEST_F(CleanupTest, NothingOutlivesTheSandbox) {
  const Census before = TakeCensus();
  std::string temporary_directory;
  {
    Pipe ready = MakePipe();
    Pipe finish = MakePipe();
    Sandbox sandbox(Propagation::kRslave, [&](const Container& container) {
      ASSERT_NO_FATAL_FAILURE(LeaveThingsBehind(container));
      // Keep everything in place until the test has looked.
      SendGo(ready.write_end.get());
      EXPECT_TRUE(ReceiveGo(finish.read_end.get()));
    });
    ready.write_end.Reset();
    finish.read_end.Reset();
    temporary_directory = std::filesystem::path(sandbox.container().rootfs).parent_path();
    if (!ReceiveGo(ready.read_end.get())) {
      sandbox.Wait();  // Reports why the container gave up.
      FAIL() << "the container ended before the census";
    }

    const Census during = TakeCensus();
    const auto host = std::find_if(during.descendants.begin(), during.descendants.end(),
                                   [&](const auto& process) {
                                     return process.second.ppid == sandbox.pid();
                                   });
    ASSERT_NE(host, during.descendants.end()) << during;
    const std::string host_mounts = ReadFile("/proc/" + std::to_string(host->first) + "/mountinfo");
    SendGo(finish.write_end.get());
    sandbox.Wait();

    EXPECT_EQ(during.mountinfo, before.mountinfo) << "the sandbox mounted in the test's namespace";
    // The census sees what the sandbox runs: the namespace owner, the host,
    // the container and the leftover sleep, in the test's, the host's and the
    // container's mount namespaces; the host has the leftover mount.
    EXPECT_THAT(during.descendants, Contains(Pair(_, Field(&ProcessInfo::comm, "sleep"))));
    EXPECT_EQ(MountNamespaces(during).size(), 3u) << during;
    EXPECT_THAT(host_mounts, HasSubstr(" " + sandbox.container().scratch + " "));
  }
  const Census after = TakeCensus();
  EXPECT_EQ(after, before);
  EXPECT_EQ(MountNamespaces(after), MountNamespaces(before));
  EXPECT_FALSE(std::filesystem::exists(temporary_directory));
}

}  // namespace
}  // namespace nsenter::privileged
