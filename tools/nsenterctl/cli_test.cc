// Runs the nsenterctl binary as a user would and checks its contract: exit
// status (0 success, 1 failure, 2 usage), stdout, stderr, --help and --json.
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/discovery.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"
#include "nsenter/testing/host_root.h"

namespace nsenterctl {
namespace {

using nsenter::fakehost::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;  // Known for failed runs only.
};

CliResult RunCli(const std::vector<std::string>& args, std::vector<std::string> env = {}) {
  static const std::string binary = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                                    std::getenv("TEST_WORKSPACE") + "/tools/nsenterctl";
  std::unique_ptr<nsenter::Cmd> cmd = nsenter::ProcessExecutor().Command(binary, args);
  env.push_back("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
  cmd->SetEnv(env);
  nsenter::Result<std::string> out = cmd->Output();
  if (out.ok()) return {0, *out, ""};
  EXPECT_EQ(out.error().code(), nsenter::ErrorCode::kNonZeroExit) << out.error().ToString();
  return {out.error().exit_status(), out.error().stdout_data(), out.error().stderr_data()};
}

// A host root with every binary in /usr/bin and /bin -> usr/bin.
class HostTree : public nsenter::testing_support::HostRoot {
 public:
  HostTree() { Symlink("bin", "usr/bin"); }
};

TEST(CliTest, HelpListsCommandsAndExitsZero) {
  const CliResult result = RunCli({"--help"});
  EXPECT_EQ(result.status, 0);
  EXPECT_THAT(result.out, StartsWith("usage: nsenterctl COMMAND"));
  for (const char* command : {"probe", "eval-symlinks", "kubelet-path", "exec"}) {
    EXPECT_THAT(result.out, HasSubstr(command));
    const CliResult help = RunCli({command, "--help"});
    EXPECT_EQ(help.status, 0) << command;
    EXPECT_THAT(help.out, StartsWith(std::string("usage: nsenterctl ") + command));
  }
}

// "--help" after an option with a separate value was taken for an unknown
// option, while after "--rootfs=/x" it printed the help.
TEST(CliTest, HelpAfterAnOptionsValue) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"probe", "--rootfs", "/x", "--help"},
        std::vector<std::string>{"record", "--probe", "/a", "-h"},
        std::vector<std::string>{"exec", "--timeout", "5s", "--help", "--", "ls"}}) {
    const CliResult result = RunCli(args);
    EXPECT_EQ(result.status, 0) << args[1] << ": " << result.err;
    EXPECT_THAT(result.out, StartsWith("usage: nsenterctl " + args[0]));
  }
  // After "--", "--help" belongs to the host command; as a value, to its option.
  EXPECT_THAT(RunCli({"kubelet-path", "--", "--help"}).err, HasSubstr("'--help' is not absolute"));
  EXPECT_THAT(RunCli({"probe", "--rootfs", "--help"}).err, HasSubstr("/--help': No such file"));
}

TEST(CliTest, UsageErrorsExitTwoWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{}, "usage: nsenterctl"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"probe", "--bogus"}, "unknown option '--bogus'"},
      {{"probe", "extra"}, "unexpected operand 'extra'"},
      {{"probe", "--rootfs"}, "option '--rootfs' needs a value"},
      {{"eval-symlinks"}, "expected exactly one PATH"},
      {{"kubelet-path", "/a", "/b"}, "expected exactly one PATH"},
      {{"exec", "--timeout", "soon", "--", "ls"}, "invalid duration 'soon'"},
      {{"exec"}, "expected a command"},
      {{"probe", "--backend", "fast"}, "unknown backend 'fast' (want nsenter or native)"},
  };
  for (const Case& c : cases) {
    const CliResult result = RunCli(c.args);
    EXPECT_EQ(result.status, 2) << c.message;
    EXPECT_THAT(result.err, HasSubstr(c.message));
    EXPECT_EQ(result.out, "");
  }
}

TEST(CliTest, RecordRefusesANameThatIsNotUtf8) {
  const CliResult result = RunCli({"record", "--name", "host\xff"});
  EXPECT_EQ(result.status, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, StartsWith("nsenterctl record: --name " + nsenter::Quote("host\xff") +
                                     " is not UTF-8 text"));
}

TEST(CliTest, ProbeJson) {
  HostTree host;
  host.AddMountNamespace();
  const CliResult result = RunCli({"probe", "--rootfs", host.path(), "--json"});
  ASSERT_EQ(result.status, 0) << result.err;
  const nlohmann::json probe = nlohmann::json::parse(result.out);
  EXPECT_EQ(probe["root"], host.path());
  // /bin is searched before /usr/bin, and /bin -> usr/bin has them all.
  EXPECT_EQ(probe["binaries"]["mount"], "/bin/mount");
  EXPECT_EQ(probe["binaries"].size(), nsenter::DefaultRequiredBinaries().size());
  EXPECT_TRUE(probe["systemd_run"].is_null());
  EXPECT_TRUE(probe["realpath"].is_null());
}

TEST(CliTest, ProbeText) {
  HostTree host;
  host.AddMountNamespace();
  const CliResult result = RunCli({"probe", "--rootfs", host.path()});
  ASSERT_EQ(result.status, 0);
  EXPECT_THAT(result.out, HasSubstr("mount /bin/mount\n"));
  EXPECT_THAT(result.out, HasSubstr("systemd-run (not found)\n"));
}

TEST(CliTest, ProbeOfAnEmptyRootFailsWithTheOriginalsMessage) {
  TempDir empty;
  const CliResult result = RunCli({"probe", "--rootfs", empty.path()});
  EXPECT_EQ(result.status, 1);
  EXPECT_THAT(result.err, HasSubstr("nsenterctl: unable to find mount (searched /, /bin"));
  EXPECT_EQ(result.out, "");
}

TEST(CliTest, RelativeRootfsResolvesAgainstTheUsersDirectory) {
  HostTree host;
  host.AddMountNamespace();
  const std::string parent = host.path().substr(0, host.path().rfind('/'));
  const std::string name = host.path().substr(parent.size() + 1);
  const CliResult result =
      RunCli({"probe", "--rootfs", name, "--json"}, {"BUILD_WORKING_DIRECTORY=" + parent});
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out)["root"], host.path());
}

TEST(CliTest, KubeletPath) {
  CliResult result = RunCli({"kubelet-path", "--rootfs", "/rootfs/", "--", "//var/lib/../../../etc"});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, "/rootfs/etc\n");

  result = RunCli({"kubelet-path", "--json", "/var/lib"});
  EXPECT_EQ(nlohmann::json::parse(result.out)["kubelet_path"], "/rootfs/var/lib");

  result = RunCli({"kubelet-path", "--", "relative"});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("host path 'relative' is not absolute"));
}

TEST(CliTest, EvalSymlinksRejectsARelativePathAsBadUsage) {
  HostTree host;
  const CliResult result = RunCli({"eval-symlinks", "--rootfs", host.path(), "--", "-x"});
  EXPECT_EQ(result.status, 2);
  EXPECT_THAT(result.err, HasSubstr("path '-x' is not absolute"));
}

TEST(CliTest, ExecReportsAMissingNamespaceFile) {
  // The tree has no proc/1/ns/mnt: nsenter itself fails, and nsenterctl
  // says so, once.
  HostTree host;
  const CliResult result = RunCli({"exec", "--rootfs", host.path(), "--", "ls", "/"});
  EXPECT_EQ(result.status, 1);
  EXPECT_EQ(result.err, "nsenterctl: nsenter failed before running '/bin/ls': cannot open " +
                            host.path() + "/proc/1/ns/mnt: No such file or directory\n");
}

}  // namespace
}  // namespace nsenterctl
