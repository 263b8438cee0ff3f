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
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/container/user_command.h"

namespace nsenter::container {
namespace {

using ::testing::Contains;
using ::testing::IsSupersetOf;

std::string ReadRunfile(const std::string &path) {
  const std::string full =
      std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") + "/" + path;
  std::ifstream file(full);
  EXPECT_TRUE(file) << "cannot read " << full;
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::vector<std::string> Words(const std::string &line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The shell commands in `markdown` that start with `program`, as words, with
// "\"-continued lines joined.
std::vector<std::vector<std::string>> CommandsOf(const std::string &markdown,
                                                 const std::string &program) {
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
std::vector<std::string> TrimmedLines(const std::string &yaml) {
  std::vector<std::string> lines;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" -"));
    lines.push_back(line);
  }
  return lines;
}

// The items of the YAML block list under the first line `key:` of `yaml`, each
// as its "k: v" pairs, nested keys joined with '.' (e.g. "hostPath.path").
// Enough YAML for the DaemonSet: block mappings and lists, no flow style.
std::vector<std::map<std::string, std::string>> BlockListItems(const std::string &yaml,
                                                               const std::string &key) {
  std::vector<std::map<std::string, std::string>> items;
  std::vector<std::pair<size_t, std::string>> parents;  // (column, key) of open mappings
  std::istringstream in(yaml);
  size_t key_column = std::string::npos;
  for (std::string line; std::getline(in, line);) {
    size_t column = line.find_first_not_of(' ');
    if (column == std::string::npos || line[column] == '#') continue;
    std::string text = line.substr(column);
    if (key_column == std::string::npos) {
      if (text == key + ":") key_column = column;
      continue;
    }
    const bool item = text.rfind("- ", 0) == 0;
    if (column < key_column || (column == key_column && !item)) break;
    if (item) {
      items.emplace_back();
      parents.clear();
      column += 2;
      text = text.substr(2);
    }
    if (items.empty()) break;
    const size_t colon = text.find(':');
    if (colon == std::string::npos) continue;
    while (!parents.empty() && parents.back().first >= column) parents.pop_back();
    std::string name;
    for (const auto &[parent_column, parent] : parents) name += parent + ".";
    name += text.substr(0, colon);
    const size_t value = text.find_first_not_of(' ', colon + 1);
    if (value == std::string::npos) {
      parents.emplace_back(column, text.substr(0, colon));
    } else {
      items.back()[name] = text.substr(value);
    }
  }
  return items;
}

// What is wrong with how `yaml` mounts the host's / at /rootfs, or "": a
// volumeMount at /rootfs with HostToContainer propagation must name a volume
// whose hostPath is /.
std::string RootfsMountProblem(const std::string &yaml) {
  const auto volumes = BlockListItems(yaml, "volumes");
  for (const auto &mount : BlockListItems(yaml, "volumeMounts")) {
    if (mount.count("mountPath") == 0 || mount.at("mountPath") != "/rootfs") continue;
    if (mount.count("mountPropagation") == 0 || mount.at("mountPropagation") != "HostToContainer") {
      return "the /rootfs mount does not have mountPropagation: "
             "HostToContainer";
    }
    for (const auto &volume : volumes) {
      if (volume.count("name") && mount.count("name") && volume.at("name") == mount.at("name")) {
        const auto path = volume.find("hostPath.path");
        if (path != volume.end() && path->second == "/") return "";
        return "volume " + volume.at("name") + " is not hostPath /";
      }
    }
    return "the /rootfs mount names no volume";
  }
  return "no volumeMount at /rootfs";
}

std::string Replaced(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
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
  for (const std::vector<std::string> &command : CommandsOf(ReadRunfile("README.md"), GetParam())) {
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
      // Checked as a structure by MountsTheHostsRootAtRootfs.
      {"/:/rootfs:rslave", {}},
  };
}

TEST(DaemonSetTest, HasTheCounterpartOfEverySuiteFlag) {
  const std::vector<std::string> lines =
      TrimmedLines(ReadRunfile("examples/deploy/daemonset.yaml"));
  const std::map<std::string, std::vector<std::string>> counterparts = KubernetesCounterparts();
  for (const std::string &flag : UserRunFlags(privileged::Propagation::kRslave)) {
    const auto found = counterparts.find(flag);
    ASSERT_NE(found, counterparts.end()) << "no Kubernetes counterpart known for " << flag;
    EXPECT_THAT(lines, IsSupersetOf(found->second)) << flag;
  }
}

TEST(DaemonSetTest, MountsTheHostsRootAtRootfs) {
  EXPECT_EQ(RootfsMountProblem(ReadRunfile("examples/deploy/daemonset.yaml")), "");
}

TEST(DaemonSetTest, RootfsMountCheckCatchesBrokenTies) {
  const std::string yaml = ReadRunfile("examples/deploy/daemonset.yaml");
  EXPECT_EQ(RootfsMountProblem(Replaced(yaml, "- name: host-root\n          hostPath",
                                        "- name: renamed\n          hostPath")),
            "the /rootfs mount names no volume");
  EXPECT_EQ(RootfsMountProblem(Replaced(yaml, "path: /\n", "path: /var\n")),
            "volume host-root is not hostPath /");
  EXPECT_EQ(RootfsMountProblem(Replaced(yaml, "mountPropagation: HostToContainer", "")),
            "the /rootfs mount does not have mountPropagation: HostToContainer");
  EXPECT_EQ(RootfsMountProblem(Replaced(yaml, "mountPath: /rootfs", "mountPath: /host")),
            "no volumeMount at /rootfs");
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
