// nsenterctl over fixture files, run as a user would: a fixture replays in
// the mount namespace it names, a file that is no fixture is refused without
// being read, and each failure is printed once (the library's own log only
// with --verbose).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
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

// stdout and stderr of a successful run, interleaved.
std::string RunVerbose(const std::vector<std::string>& args) {
  std::unique_ptr<nsenter::Cmd> cmd =
      nsenter::ProcessExecutor().Command(Runfile("tools/nsenterctl"), args);
  cmd->SetEnv({"PATH=/usr/sbin:/usr/bin:/sbin:/bin"});
  nsenter::Result<std::string> output = cmd->CombinedOutput();
  EXPECT_TRUE(output.ok()) << output.error().ToString();
  return output.ok() ? *output : "";
}

// --verbose shows every command the library runs on the host: those of exec,
// and the host's realpath behind eval-symlinks.
TEST(CliFixtureTest, VerboseLogsEveryCommandRunOnTheHost) {
  const std::string realpath =
      nlohmann::json::parse(RunCli({"probe", "--fixture", Fixture(), "--json"}).out)["realpath"];
  for (const std::string flag : {"-e", "-m"}) {
    std::vector<std::string> args = {"eval-symlinks", "--fixture", Fixture()};
    if (flag == "-e") args.push_back("--must-exist");
    args.push_back("/var/run");
    EXPECT_EQ(RunVerbose(args), "/run\n") << "the log without --verbose";
    args.insert(args.begin() + 1, "--verbose");
    EXPECT_EQ(RunVerbose(args), "nsenterctl: running on the host: '" + realpath + "' '" + flag +
                             "' '--' '/var/run'\n/run\n");
  }
}

// The fixture of a Kubernetes node: its mount table holds volume mounts.
const std::string& NodeFixture() {
  static const std::string file = Runfile("testdata/hosts/debian-12-kubernetes-node.json");
  return file;
}

std::vector<std::string> RecordedMountInfo() {
  std::ifstream in(NodeFixture());
  return nlohmann::json::parse(in)["mountinfo"];
}

// Natively the table is read from the materialized tree's
// proc/1/mountinfo. (Through nsenter the library reads <host root>/proc/1/
// mountinfo from this machine's files, which a replayed fixture is not.)
TEST(CliFixtureTest, MountsPrintsTheRecordedMountTable) {
  const std::vector<std::string> lines = RecordedMountInfo();
  ASSERT_EQ(lines.size(), 4u);
  std::string expected;
  for (const std::string& line : lines) expected += line + "\n";
  CliResult result = RunCli({"mounts", "--fixture", NodeFixture(), "--backend", "native"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, expected);

  result = RunCli({"mounts", "--fixture", NodeFixture(), "--backend", "native", "--json"});
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json mounts = nlohmann::json::parse(result.out);
  ASSERT_EQ(mounts.size(), 4u);
  // "47 66 0:40 /data/disks/ssd1 .../pv-ssd1 rw,relatime shared:1 - tmpfs tmpfs rw,mode=755"
  const nlohmann::json& volume = mounts[2];
  EXPECT_EQ(volume["id"], 47);
  EXPECT_EQ(volume["parent_id"], 66);
  EXPECT_EQ(volume["major"], 0);
  EXPECT_EQ(volume["minor"], 40);
  EXPECT_EQ(volume["root"], "/data/disks/ssd1");
  EXPECT_EQ(volume["mount_point"],
            "/data/kubelet/pods/6f1c8a52-3b0e-4a8e-9a57-1d2b3c4d5e6f/volumes/"
            "kubernetes.io~local-volume/pv-ssd1");
  EXPECT_EQ(volume["mount_options"], nlohmann::json({"rw", "relatime"}));
  EXPECT_EQ(volume["optional_fields"], nlohmann::json({"shared:1"}));
  EXPECT_EQ(volume["fs_type"], "tmpfs");
  EXPECT_EQ(volume["source"], "tmpfs");
  EXPECT_EQ(volume["super_options"], nlohmann::json({"rw", "mode=755"}));
}

// Through nsenter the fake host answers findmnt from the fixture's table.
TEST(CliFixtureTest, IsMountPointAnswersFromTheRecordedMountTable) {
  const std::string pods = "/data/kubelet/pods/6f1c8a52-3b0e-4a8e-9a57-1d2b3c4d5e6f/volumes";
  const std::string volume = pods + "/kubernetes.io~local-volume/pv-ssd1";
  const struct {
    std::string path;
    std::string answer;
  } cases[] = {
      {volume, "yes"},
      {pods + "/kubernetes.io~empty-dir/cache", "yes"},
      {pods + "/kubernetes.io~local-volume", "no"},
      {"/etc", "no"},
  };
  for (const auto& c : cases) {
    const CliResult result = RunCli({"is-mount-point", "--fixture", NodeFixture(), c.path});
    EXPECT_EQ(result.status, 0) << c.path << ": " << result.err;
    EXPECT_EQ(result.out, c.answer + "\n") << c.path;
  }
  CliResult result = RunCli({"is-mount-point", "--fixture", NodeFixture(), "--json", volume});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "{\"path\":\"" + volume + "\",\"mount_point\":true}\n");

  result = RunCli({"is-mount-point", "--fixture", NodeFixture(), "/nonexistent"});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("No such file or directory"));
}

// Every directory and file the fixture records, through both backends: its
// type and mode as recorded, owned by root (a fixture records no owners).
TEST(CliFixtureTest, StatShowsTheRecordedTypeAndModeThroughBothBackends) {
  std::ifstream in(NodeFixture());
  const nlohmann::json entries = nlohmann::json::parse(in)["entries"];
  int checked = 0;
  for (const std::string backend : {"nsenter", "native"}) {
    for (const nlohmann::json& entry : entries) {
      const std::string type = entry["type"];
      if (type == "symlink" || !entry.contains("mode")) continue;
      const std::string path = entry["path"];
      const CliResult result =
          RunCli({"stat", "--fixture", NodeFixture(), "--backend", backend, path});
      EXPECT_EQ(result.status, 0) << backend << " " << path << ": " << result.err;
      EXPECT_EQ(result.out, (type == "dir" ? "Directory " : "File ") +
                                entry["mode"].get<std::string>() + " 0 0\n")
          << backend << " " << path;
      ++checked;
    }
    // A symlink is followed: /var/run -> /run.
    CliResult result =
        RunCli({"stat", "--fixture", NodeFixture(), "--backend", backend, "--json", "/var/run"});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out,
              "{\"path\":\"/var/run\",\"type\":\"Directory\",\"mode\":\"0755\",\"uid\":0,"
              "\"gid\":0}\n");
    result = RunCli({"stat", "--fixture", NodeFixture(), "--backend", backend, "/nonexistent"});
    EXPECT_EQ(result.status, 1);
    EXPECT_THAT(result.err, HasSubstr("'/nonexistent'"));
    EXPECT_THAT(result.err, HasSubstr("No such file or directory"));
  }
  EXPECT_GT(checked, 40);
}

// Each run replays a fresh fake host: a change lasts for that run only, so
// each row shows one operation's answer (the fake host's mount, check and
// unmount in one process: fakehost/fixture_suite_test.cc).
TEST(CliFixtureTest, MountAndUmountRunTheHostsToolsOnTheRecordedTable) {
  const std::string volume =
      "/data/kubelet/pods/6f1c8a52-3b0e-4a8e-9a57-1d2b3c4d5e6f/volumes/"
      "kubernetes.io~local-volume/pv-ssd1";
  const struct {
    std::vector<std::string> args;  // After --fixture FILE.
    int status;
    std::string err;  // A part of stderr.
  } rows[] = {
      {{"mount", "-t", "tmpfs", "-o", "size=8m,nosuid", "--", "tmpfs", "/etc"}, 0, ""},
      {{"mount", "--type=tmpfs", "--", "tmpfs", "/etc"}, 0, ""},
      {{"mount", "-o", "bind,ro", "--", "/etc", "/var"}, 0, ""},
      {{"mount", "-t", "tmpfs", "--", "tmpfs", "/nonexistent"}, 1,
       "mount: /nonexistent: mount point does not exist."},
      {{"umount", volume}, 0, ""},
      {{"umount", "--", "/etc"}, 1,
       "nsenterctl: '/etc' is not mounted on the host: 'umount: /etc: not mounted.'\n"},
  };
  for (const auto& row : rows) {
    std::vector<std::string> args = {row.args.front(), "--fixture", NodeFixture()};
    args.insert(args.end(), row.args.begin() + 1, row.args.end());
    const CliResult result = RunCli(args);
    EXPECT_EQ(result.status, row.status) << ::testing::PrintToString(row.args) << result.err;
    EXPECT_THAT(result.err, HasSubstr(row.err)) << ::testing::PrintToString(row.args);
    EXPECT_EQ(result.out, "");
  }
}

TEST(CliFixtureTest, MountSplitsOptsIntoOptionsAndBindsThenRemounts) {
  const std::string mount =
      nlohmann::json::parse(RunCli({"probe", "--fixture", NodeFixture(), "--json"}).out)["binaries"]["mount"];
  EXPECT_EQ(RunVerbose({"mount", "--verbose", "--fixture", NodeFixture(), "-o", "bind,ro,nodev",
                        "--", "/etc", "/var"}),
            "nsenterctl: running on the host: '" + mount + "' '-o' 'bind' '--' '/etc' '/var'\n" +
                "nsenterctl: running on the host: '" + mount +
                "' '-o' 'bind,remount,ro,nodev' '--' '/etc' '/var'\n");
}

TEST(CliFixtureTest, MkdirRunsTheHostsMkdirWithItsOptions) {
  const std::string mkdir =
      nlohmann::json::parse(RunCli({"probe", "--fixture", NodeFixture(), "--json"}).out)["binaries"]["mkdir"];
  const struct {
    std::vector<std::string> options;
    std::string argv;  // As logged, after the program.
  } rows[] = {
      {{}, "'--' '/etc/new'"},
      {{"-p"}, "'-p' '--' '/etc/new'"},
      {{"--parents", "--mode", "750"}, "'-p' '-m' '0750' '--' '/etc/new'"},
      {{"-m", "2775"}, "'-m' '2775' '--' '/etc/new'"},
  };
  for (const auto& row : rows) {
    std::vector<std::string> args = {"mkdir", "--verbose", "--fixture", NodeFixture()};
    args.insert(args.end(), row.options.begin(), row.options.end());
    args.push_back("/etc/new");
    EXPECT_EQ(RunVerbose(args),
              "nsenterctl: running on the host: '" + mkdir + "' " + row.argv + "\n");
  }
}

struct MkdirRow {
  std::vector<std::string> args;  // After the host options.
  int status;
  std::string err;  // A part of stderr.
};

void ExpectMkdirRows(const std::string& backend, const std::vector<MkdirRow>& rows) {
  for (const MkdirRow& row : rows) {
    std::vector<std::string> args = {"mkdir", "--fixture", NodeFixture(), "--backend", backend};
    args.insert(args.end(), row.args.begin(), row.args.end());
    const CliResult result = RunCli(args);
    const std::string trace = backend + " " + ::testing::PrintToString(row.args);
    EXPECT_EQ(result.status, row.status) << trace << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(row.err)) << trace;
    EXPECT_EQ(result.out, "") << trace;
  }
}

// The same answers through both backends: the fake host's mkdir through
// nsenter, mkdirat(2) in the materialized tree natively.
TEST(CliFixtureTest, MkdirAnswersAlikeThroughBothBackends) {
  for (const std::string backend : {"nsenter", "native"}) {
    ExpectMkdirRows(backend, {
      {{"/etc/new"}, 0, ""},
      {{"-p", "/etc/new/a/b"}, 0, ""},
      {{"-p", "-m", "0700", "/var/run/new"}, 0, ""},
      {{"-p", "/etc"}, 0, ""},
      {{"/etc"}, 1, "File exists"},
      {{"/etc/no/new"}, 1, "No such file or directory"},
      {{"-p", "/etc/containerd/config.toml"}, 1, "File exists"},
    });
  }
}

// SafeMakeDir walks descriptors of the host's "/": natively the
// materialized tree's. (Through nsenter that is the host root of this
// machine, which a replayed fixture is not.)
TEST(CliFixtureTest, MkdirSafeUnderRefusesSymlinksBelowTheBase) {
  ExpectMkdirRows("native", {
      {{"--safe-under", "/var/lib", "/var/lib/sub/dir"}, 0, ""},
      {{"--safe-under", "/var/lib", "-m", "0750", "/var/lib/./sub/../dir"}, 0, ""},
      {{"--safe-under", "/nonexistent", "/nonexistent/dir"}, 1, "'/nonexistent'"},
      // /var/run is a symlink: resolved in BASE, refused below it.
      {{"--safe-under", "/var/run", "/var/run/x"}, 0, ""},
      {{"--safe-under", "/var", "/var/run/x"}, 1, "'/var/run' is a symlink; refusing to follow it"},
  });
}

}  // namespace
}  // namespace nsenterctl
