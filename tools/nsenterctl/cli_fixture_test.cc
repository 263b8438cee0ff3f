// nsenterctl over fixture files, run as a user would: a fixture replays in
// the mount namespace it names, a file that is no fixture is refused without
// being read, and each failure is printed once (the library's own log only
// with --verbose).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/process_executor.h"

namespace nsenterctl {
namespace {

using nsenter::fakehost::TempDir;
using ::testing::HasSubstr;

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;  // Known for failed runs only.
};

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") + "/" + path;
}

CliResult RunCli(const std::vector<std::string>& args) {
  std::unique_ptr<nsenter::Cmd> cmd =
      nsenter::ProcessExecutor().Command(Runfile("tools/nsenterctl"), args);
  cmd->SetEnv({"PATH=/usr/sbin:/usr/bin:/sbin:/bin"});
  nsenter::Result<std::string> out = cmd->Output();
  if (out.ok()) return {0, *out, ""};
  EXPECT_EQ(out.error().code(), nsenter::ErrorCode::kNonZeroExit) << out.error().ToString();
  return {out.error().exit_status(), out.error().stdout_data(), out.error().stderr_data()};
}

const std::string& Fixture() {
  static const std::string file = Runfile("testdata/hosts/debian-12-this-machine.json");
  return file;
}

// The fixture named this machine's with its mount_namespace replaced.
std::string WithMountNamespace(const TempDir& dir, const std::string& mount_namespace) {
  std::ifstream in(Fixture());
  nlohmann::ordered_json fixture = nlohmann::ordered_json::parse(in);
  fixture["mount_namespace"] = mount_namespace;
  return dir.WriteFile("host.json", fixture.dump());
}

TEST(CliFixtureTest, ReplaysTheFixturesMountNamespace) {
  TempDir dir;
  const std::string file = WithMountNamespace(dir, "/proc/7/ns/mnt");
  const CliResult result = RunCli({"eval-symlinks", "--fixture", file, "--must-exist", "/var/run"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "/run\n");
}

TEST(CliFixtureTest, RefusesFilesThatAreNoFixtureWithoutReadingThem) {
  TempDir dir;
  const std::string huge = dir.WriteFile("huge.json", "");
  ASSERT_EQ(truncate(huge.c_str(), (off_t{64} << 20) + 1), 0);  // Sparse.
  const struct {
    std::string file;
    std::string message;
  } cases[] = {
      {"/dev/zero", "nsenterctl: cannot read fixture '/dev/zero': not a regular file\n"},
      {dir.path(), "nsenterctl: cannot read fixture '" + dir.path() + "': not a regular file\n"},
      {huge, "nsenterctl: cannot read fixture '" + huge +
                 "': it is larger than 64 MiB, the limit of a fixture file\n"},
  };
  for (const auto& c : cases) {
    const CliResult result = RunCli({"probe", "--fixture", c.file});
    EXPECT_EQ(result.status, 1) << c.file;
    EXPECT_EQ(result.err, c.message);
    EXPECT_EQ(result.out, "");
  }
}

TEST(CliFixtureTest, AFailureIsPrintedOnceAndTheLibrarysLogOnlyWithVerbose) {
  const std::vector<std::string> args = {"eval-symlinks", "--fixture", Fixture(), "--must-exist",
                                         "/nonexistent/" + std::string(5000, 'x')};
  CliResult result = RunCli(args);
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("No such file or directory"));

  result = RunCli({"eval-symlinks", "--verbose", "--fixture", Fixture(), "--must-exist", "/x/y"});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("nsenterctl: failed to resolve symbolic links on '/x/y'"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 3) << result.err;
}

// --verbose shows every command the library runs on the host: those of exec,
// and the host's realpath behind eval-symlinks.
TEST(CliFixtureTest, VerboseLogsEveryCommandRunOnTheHost) {
  const std::string realpath =
      nlohmann::json::parse(RunCli({"probe", "--fixture", Fixture(), "--json"}).out)["realpath"];
  // stdout and stderr of a successful run, interleaved.
  const auto run = [](const std::vector<std::string>& args) {
    std::unique_ptr<nsenter::Cmd> cmd =
        nsenter::ProcessExecutor().Command(Runfile("tools/nsenterctl"), args);
    cmd->SetEnv({"PATH=/usr/sbin:/usr/bin:/sbin:/bin"});
    nsenter::Result<std::string> output = cmd->CombinedOutput();
    EXPECT_TRUE(output.ok()) << output.error().ToString();
    return output.ok() ? *output : "";
  };
  for (const std::string flag : {"-e", "-m"}) {
    std::vector<std::string> args = {"eval-symlinks", "--fixture", Fixture()};
    if (flag == "-e") args.push_back("--must-exist");
    args.push_back("/var/run");
    EXPECT_EQ(run(args), "/run\n") << "the log without --verbose";
    args.insert(args.begin() + 1, "--verbose");
    EXPECT_EQ(run(args), "nsenterctl: running on the host: '" + realpath + "' '" + flag +
                             "' '--' '/var/run'\n/run\n");
  }
}

}  // namespace
}  // namespace nsenterctl
