#include "nsenter/container/suite.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/privileged/process_census.h"
#include "nsenter/privileged/sandbox.h"

namespace nsenter::container {
namespace {

// The cgroup directory podman makes (cgroupfs manager) for its containers'
// monitors, in each hierarchy.
constexpr char kPodmanCgroup[] = "libpod_parent";

// Why a test fails when another podman user shares the machine.
constexpr char kRunsAlone[] =
    "the container suite needs the machine's podman to itself: it checks that podman's directories "
    "and cgroups are as before, and removes the cgroups podman made";

// The machine's own podman directory, as paths and modification times: podman
// keeps some files there whatever its storage (an image cache).
std::string MachinePodmanFiles() {
  std::ostringstream files;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator("/var/lib/containers", error)) {
    files << entry.path().string() << " "
          << entry.last_write_time(error).time_since_epoch().count() << "\n";
  }
  return files.str();
}

// The processes of the host's PID namespace, once they are `expected`: a
// monitor may still be ending when podman returns. Waits at most a minute,
// as a guard against hangs.
privileged::ProcessTable SettledProcesses(const privileged::ProcessTable& expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  privileged::ProcessTable now = privileged::ListProcesses();
  while (now != expected && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = privileged::ListProcesses();
  }
  return now;
}

void ExpectNothingLeftOnTheHost(const Podman& podman, const privileged::ProcessTable& processes,
                                const std::string& mounts) {
  Result<std::string> containers = podman.Run({"ps", "-a", "-q"});
  ASSERT_TRUE(containers.ok()) << containers.error().ToString();
  EXPECT_EQ(*containers, "") << "containers left behind";
  EXPECT_EQ(SettledProcesses(processes), processes) << "processes left behind on the host";
  EXPECT_EQ(ReadFile("/proc/self/mountinfo"), mounts) << "mounts left behind on the host";
}

}  // namespace

std::vector<std::string> OtherPodmanProcesses() {
  std::vector<std::string> found;
  for (const auto& [pid, process] : privileged::ListProcesses()) {
    if (process.comm == "podman" || process.comm == "conmon") {
      found.push_back(std::to_string(pid) + " " + process.comm);
    }
  }
  return found;
}

std::set<std::string> PodmanCgroups() {
  const std::filesystem::path root = "/sys/fs/cgroup";
  std::vector<std::filesystem::path> candidates = {root / kPodmanCgroup};
  std::error_code error;
  for (const auto& hierarchy : std::filesystem::directory_iterator(root, error)) {
    candidates.push_back(hierarchy.path() / kPodmanCgroup);
  }
  std::set<std::string> found;
  for (const std::filesystem::path& candidate : candidates) {
    if (!std::filesystem::is_directory(candidate, error)) continue;
    found.insert(candidate.string());
    for (const auto& entry : std::filesystem::recursive_directory_iterator(candidate, error)) {
      if (entry.is_directory(error)) found.insert(entry.path().string());
    }
  }
  return found;
}

void RemovePodmanCgroupsSince(const std::set<std::string>& before) {
  const std::set<std::string> now = PodmanCgroups();
  for (auto it = now.rbegin(); it != now.rend(); ++it) {
    if (before.count(*it) == 0 && rmdir(it->c_str()) != 0) {
      ADD_FAILURE() << "a cgroup podman made is not empty: " << *it << ": " << strerror(errno);
    }
  }
}

void ContainerTest::SetUp() {
  PrivilegedTest::SetUp();
  if (IsSkipped()) return;
  for (const char* program : {"/usr/bin/podman", "/usr/sbin/runc"}) {
    if (access(program, X_OK) != 0) {
      GTEST_SKIP() << program << " is not installed (.ci/run installs podman and runc)";
    }
  }
  // The podman of a test that just ended may take a moment to be gone.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<std::string> others = OtherPodmanProcesses();
  while (!others.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    others = OtherPodmanProcesses();
  }
  if (!others.empty()) {
    FAIL() << kRunsAlone << "; running now: " << testing::PrintToString(others);
  }
}

void RunWithPodman(const PodmanBody& body) {
  const std::set<std::string> cgroups = PodmanCgroups();
  const std::string machine_files = MachinePodmanFiles();
  privileged::RunOnHost([&](const HostFacts& host) {
    Result<std::unique_ptr<Podman>> podman = Podman::Start(host);
    ASSERT_TRUE(podman.ok()) << podman.error().ToString();
    const privileged::ProcessTable processes = privileged::ListProcesses();
    const std::string mounts = ReadFile("/proc/self/mountinfo");
    body(host, **podman);
    ExpectNothingLeftOnTheHost(**podman, processes, mounts);
  });
  RemovePodmanCgroupsSince(cgroups);
  EXPECT_EQ(PodmanCgroups(), cgroups);
  EXPECT_EQ(MachinePodmanFiles(), machine_files)
      << "podman wrote to the machine's /var/lib/containers (" << kRunsAlone << ")";
}

std::string BackendFlag(Backend backend) {
  return backend == Backend::kNsenter ? "--backend=nsenter" : "--backend=native";
}

std::string ReadFile(const std::string& path) {
  std::ostringstream contents;
  contents << std::ifstream(path).rdbuf();
  return contents.str();
}

}  // namespace nsenter::container
