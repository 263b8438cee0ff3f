// The deploy examples say what the container suite runs (user_command.h):
// the README's podman and docker commands are the suite's own, flag for
// flag, and examples/deploy/daemonset.yaml has the Kubernetes counterpart of
// every flag, the same image, and a readiness probe that runs the probe.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/container/user_command.h"

namespace nsenter::container {
namespace {

using ::testing::Contains;
using ::testing::IsSupersetOf;

std::string ReadRunfile(const std::string& path) {
  const std::string full =
      std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") + "/" + path;
  std::ifstream file(full);
  EXPECT_TRUE(file) << "cannot read " << full;
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The shell commands in `markdown` that start with `program`, as words, with
// "\"-continued lines joined.
std::vector<std::vector<std::string>> CommandsOf(const std::string& markdown,
                                                 const std::string& program) {
  std::vector<std::vector<std::string>> commands;
  std::istringstream in(markdown);
  std::string joined;
  for (std::string line; std::getline(in, line);) {
    const bool continued = !line.empty() && line.back() == '\\';
    joined += continued ? line.substr(0, line.size() - 1) : line;
    if (continued) continue;
    std::vector<std::string> words = Words(joined);
    joined.clear();
    if (!words.empty() && words[0] == program) commands.push_back(words);
  }
  return commands;
}

// The lines of `yaml`, without their indentation.
std::vector<std::string> TrimmedLines(const std::string& yaml) {
  std::vector<std::string> lines;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" -"));
    lines.push_back(line);
  }
  return lines;
}

class ReadmeTest : public testing::TestWithParam<std::string> {};

TEST_P(ReadmeTest, HasTheSuitesCommand) {
  std::vector<std::string> expected = ReadmeRunArgs();
  expected.insert(expected.begin(), GetParam());
  EXPECT_THAT(CommandsOf(ReadRunfile("README.md"), GetParam()), Contains(expected));
}

TEST_P(ReadmeTest, RunsTheImageOnlyWithTheSuitesFlags) {
  std::vector<std::string> flags = UserRunFlags(privileged::Propagation::kRslave);
  flags.insert(flags.begin(), {GetParam(), "run"});
  flags.push_back(ImageTag());
  for (const std::vector<std::string>& command : CommandsOf(ReadRunfile("README.md"), GetParam())) {
    if (std::find(command.begin(), command.end(), ImageTag()) == command.end()) continue;
    ASSERT_GE(command.size(), flags.size());
    EXPECT_EQ(std::vector<std::string>(command.begin(), command.begin() + flags.size()), flags);
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, ReadmeTest, testing::Values("podman", "docker"));

// What stands for each of the suite's run flags in a DaemonSet; "" where a
// pod needs nothing (Kubernetes removes its pods; a pod has a network
// namespace of its own, which nsenterctl does not use).
std::map<std::string, std::vector<std::string>> KubernetesCounterparts() {
  return {
      {"--rm", {}},
      {"--network=none", {}},
      {"--privileged", {"privileged: true"}},
      {"--pid=host", {"hostPID: true"}},
      {"-v", {}},
      {"/:/rootfs:rslave", {"mountPath: /rootfs", "mountPropagation: HostToContainer", "path: /"}},
  };
}

TEST(DaemonSetTest, HasTheCounterpartOfEverySuiteFlag) {
  const std::vector<std::string> lines =
      TrimmedLines(ReadRunfile("examples/deploy/daemonset.yaml"));
  const std::map<std::string, std::vector<std::string>> counterparts = KubernetesCounterparts();
  for (const std::string& flag : UserRunFlags(privileged::Propagation::kRslave)) {
    const auto found = counterparts.find(flag);
    ASSERT_NE(found, counterparts.end()) << "no Kubernetes counterpart known for " << flag;
    EXPECT_THAT(lines, IsSupersetOf(found->second)) << flag;
  }
}

TEST(DaemonSetTest, RunsTheImageWithAProbeAndLimits) {
  const std::vector<std::string> lines =
      TrimmedLines(ReadRunfile("examples/deploy/daemonset.yaml"));
  EXPECT_THAT(lines, IsSupersetOf<std::vector<std::string>>({
                         "image: " + ImageTag(),
                         "readinessProbe:",
                         "command: [\"nsenterctl\", \"probe\"]",
                         "limits:",
                     }));
}

}  // namespace
}  // namespace nsenter::container
