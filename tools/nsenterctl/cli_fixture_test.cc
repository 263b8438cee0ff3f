// nsenterctl over fixture files, run as a user would: a fixture replays in
// the mount namespace it names, a file that is no fixture is refused without
// being read, and each failure is printed once (the library's own log only
// with --verbose).
#include <sys/resource.h>
#include <sys/wait.h>
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
using ::testing::Not;

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

// The "mountinfo" lines of fixture `file`.
std::vector<std::string> RecordedMountInfo(const std::string& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in)["mountinfo"];
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

// The mount table is that of the process the fixture's mount namespace
// belongs to (served, or materialized, as /proc/7/mountinfo), not of PID 1.
TEST(CliFixtureTest, MountsReadsTheTableOfTheFixturesMountNamespace) {
  TempDir dir;
  const std::string file = WithMountNamespace(dir, "/proc/7/ns/mnt");
  std::string expected;
  for (const std::string& line : RecordedMountInfo(Fixture())) expected += line + "\n";
  ASSERT_FALSE(expected.empty());
  for (const char* backend : {"nsenter", "native"}) {
    SCOPED_TRACE(backend);
    const CliResult result = RunCli({"mounts", "--fixture", file, "--backend", backend});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out, expected);
  }
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

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// (The sanitizers' runtimes reserve terabytes of address space: RLIMIT_AS
// cannot bound them.)

// nsenterctl `args` run with its address space limited to `bytes`.
CliResult RunCliWithAddressSpace(const std::vector<std::string>& args, rlim_t bytes) {
  const std::string program = Runfile("tools/nsenterctl");
  std::vector<char*> argv = {const_cast<char*>(program.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  int err_pipe[2];
  EXPECT_EQ(pipe(err_pipe), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    const struct rlimit limit = {bytes, bytes};
    if (setrlimit(RLIMIT_AS, &limit) != 0 || dup2(err_pipe[1], 2) != 2) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(err_pipe[1]);
  CliResult result;
  char buffer[4096];
  for (ssize_t n; (n = read(err_pipe[0], buffer, sizeof buffer)) > 0;) result.err.append(buffer, n);
  close(err_pipe[0]);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Files whose JSON documents would take hundreds of MiB (a 2-byte "[" or
// "0," costs dozens of bytes as a value) are refused with one line in a
// fraction of that, not by std::bad_alloc's abort (exit 134).
TEST(CliFixtureTest, RefusesDocumentsPastTheLimitsInLittleMemory) {
  TempDir dir;
  constexpr size_t kFileBytes = size_t{8} << 20;
  std::string zeros = "{\"a\":[0";
  while (zeros.size() + 4 < kFileBytes) zeros += ",0";
  const struct {
    std::string file;
    std::string message;
  } cases[] = {
      {dir.WriteFile("deep.json", "{\"a\":" + std::string(kFileBytes / 2, '[') +
                                      std::string(kFileBytes / 2, ']') + "}"),
       "the document has arrays and objects nested more than 32 deep, past the limit"},
      {dir.WriteFile("zeros.json", zeros + "]}"),
       "the document has more than 100000 values, past the limit"},
  };
  for (const auto& c : cases) {
    const CliResult result = RunCliWithAddressSpace({"probe", "--fixture", c.file}, 128 << 20);
    EXPECT_EQ(result.status, 1) << result.err;
    EXPECT_EQ(result.err, "nsenterctl: " + c.file + ": " + c.message + "\n");
  }
}
#endif

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

// `result`, of `mounts --json` on NodeFixture(), holds every field of its table.
void ExpectMountsJson(const CliResult& result) {
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

// Through nsenter the fake host serves the table as the host's
// /proc/1/mountinfo; natively the materialized tree holds it there.
TEST(CliFixtureTest, MountsPrintsTheRecordedMountTableThroughBothBackends) {
  const std::vector<std::string> lines = RecordedMountInfo(NodeFixture());
  ASSERT_EQ(lines.size(), 4u);
  std::string expected;
  for (const std::string& line : lines) expected += line + "\n";
  for (const char* backend : {"nsenter", "native"}) {
    SCOPED_TRACE(backend);
    CliResult result = RunCli({"mounts", "--fixture", NodeFixture(), "--backend", backend});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out, expected);
    ASSERT_NO_FATAL_FAILURE(ExpectMountsJson(
        RunCli({"mounts", "--fixture", NodeFixture(), "--backend", backend, "--json"})));
  }
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

// Natively a fixture's files are written to a temporary directory, which holds
// neither programs nor mounts: exec would run this machine's program, and
// is-mount-point would see none of the recorded mounts. Both are refused as
// bad usage before anything runs, and the message points to the nsenter
// backend, which replays the fixture.
TEST(CliFixtureTest, TheNativeBackendRefusesWhatTheFixturesFilesCannotAnswer) {
  const TempDir dir;
  const std::string proof = dir.path() + "/proof";
  CliResult result = RunCli(
      {"exec", "--fixture", Fixture(), "--backend", "native", "--", "/usr/bin/touch", proof});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("exec with --fixture and --backend native would run a "
                                    "program on this machine"));
  EXPECT_THAT(result.err, HasSubstr("use --backend nsenter"));
  EXPECT_NE(access(proof.c_str(), F_OK), 0) << "exec ran touch on this machine";

  result = RunCli({"is-mount-point", "--fixture", NodeFixture(), "--backend", "native", "/"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("is-mount-point with --fixture and --backend native cannot "
                                    "answer"));
  EXPECT_THAT(result.err, HasSubstr("none of the recorded host's mounts"));
  EXPECT_THAT(result.err, HasSubstr("use --backend nsenter"));
  // Through nsenter the recorded table answers.
  result = RunCli({"is-mount-point", "--fixture", NodeFixture(), "/"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "yes\n");

  // mount and umount would run this machine's mount(8) on its own paths.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"mount", "--fixture", NodeFixture(), "--backend", "native", "-t",
                                 "tmpfs", "tmpfs", "/etc"},
        std::vector<std::string>{"umount", "--fixture", NodeFixture(), "--backend", "native",
                                 "/data/kubelet"}}) {
    SCOPED_TRACE(args.front());
    result = RunCli(args);
    EXPECT_EQ(result.status, 2);
    EXPECT_THAT(result.err, HasSubstr(args.front() + " with --fixture and --backend native would "
                                                     "run a program on this machine"));
  }
}

// SafeMakeDir works on the host's files themselves: through nsenter over a
// fixture they would be this machine's files under the fixture's root.
TEST(CliFixtureTest, MkdirSafeUnderThroughNsenterRefusesAFixture) {
  const CliResult result = RunCli({"mkdir", "--fixture", NodeFixture(), "--safe-under",
                                   "/data/kubelet", "/data/kubelet/made"});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("use --backend native"));
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

// --sensitive-options reach mount(8) after -o's, and no message shows them:
// neither --verbose's lines of a mount that succeeds nor the error of one
// that fails.
TEST(CliFixtureTest, MountPassesSensitiveOptionsButNeverShowsThem) {
  const std::string mount =
      nlohmann::json::parse(RunCli({"probe", "--fixture", NodeFixture(), "--json"}).out)["binaries"]["mount"];
  EXPECT_EQ(RunVerbose({"mount", "--verbose", "--fixture", NodeFixture(), "-t", "tmpfs", "-o",
                        "size=8m", "--sensitive-options", "password=hunter2", "--", "tmpfs",
                        "/etc"}),
            "nsenterctl: running on the host: '" + mount +
                "' '-t' 'tmpfs' '-o' 'size=8m,<masked>' '--' 'tmpfs' '/etc'\n");
  const CliResult failed =
      RunCli({"mount", "--verbose", "--fixture", NodeFixture(), "-t", "tmpfs",
              "--sensitive-options", "password=hunter2", "--", "tmpfs", "/nonexistent"});
  EXPECT_EQ(failed.status, 1);
  EXPECT_THAT(failed.err, HasSubstr("mount point does not exist"));
  EXPECT_THAT(failed.err, HasSubstr("<masked>"));
  EXPECT_THAT(failed.err, Not(HasSubstr("hunter2")));
  const CliResult refused = RunCli({"mount", "--fixture", NodeFixture(), "--sensitive-options",
                                    "password=a\"b", "--", "tmpfs", "/etc"});
  EXPECT_EQ(refused.status, 2);
  EXPECT_THAT(refused.err, HasSubstr("sensitive option #1"));
  EXPECT_THAT(refused.err, Not(HasSubstr("password")));
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
