#include "nsenter/nsenter.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/mock_executor.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/process_executor.h"
#include "nsenter/testing/host_root.h"

namespace nsenter {
namespace {

using fakehost::MockCmd;
using fakehost::MockExecutor;
using fakehost::TempDir;
using testing_support::HostRoot;
using ::testing::_;
using ::testing::ByMove;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Not;
using ::testing::Return;
using ::testing::StrictMock;

Error ExitError(int status, std::string stderr_data) {
  return Error::FromProcess(ErrorCode::kNonZeroExit, "'nsenter' exited with status " +
                                                         std::to_string(status),
                            status, "", std::move(stderr_data));
}

// Over a host root with every required binary, and realpath, in /usr/bin.
class NsenterTest : public ::testing::Test {
 protected:
  NsenterTest() { root_.AddRealpath(); }

  std::unique_ptr<Nsenter> Make(Options options = {}) {
    options.host_root = root_.path();
    options.executor = executor_;
    options.log = [this](int verbosity, std::string_view message) {
      logged_.emplace_back(verbosity, std::string(message));
    };
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_TRUE(ns.ok()) << ns.error().ToString();
    return ns.ok() ? std::move(*ns) : nullptr;
  }

  // Expects one command with exactly `args` and returns its mock.
  MockCmd* ExpectCommand(std::vector<std::string> args) {
    auto cmd = std::make_unique<NiceMock<MockCmd>>();
    MockCmd* raw = cmd.get();
    EXPECT_CALL(*executor_, Command("nsenter", args)).WillOnce(Return(ByMove(std::move(cmd))));
    return raw;
  }

  std::string MountNamespaceFile() const { return root_.path() + "/proc/1/ns/mnt"; }
  std::string Namespace() const { return "--mount=" + MountNamespaceFile(); }

  HostRoot root_;
  std::shared_ptr<StrictMock<MockExecutor>> executor_ =
      std::make_shared<StrictMock<MockExecutor>>();
  std::vector<std::pair<int, std::string>> logged_;
};

TEST_F(NsenterTest, ExecRunsTheDiscoveredHostPathThroughNsenter) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/mount", "-t", "tmpfs"});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("done")));
  Result<std::string> out = ns->Exec("mount", {"-t", "tmpfs"})->Output();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "done");
}

// ExecWithSecrets, through nsenter: the argv run holds the secret; the log
// line and every error (here one whose executor quotes the whole argv, and
// the program's output) mask it.
TEST_F(NsenterTest, ExecWithSecretsRunsTheSecretButMasksItInTheLogAndErrors) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd =
      ExpectCommand({Namespace(), "--", "/usr/bin/mount", "-o", "ro,password=hunter2"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(Error::FromProcess(
          ErrorCode::kNonZeroExit, "'nsenter' '-o' 'ro,password=hunter2' exited with status 32", 32,
          "password=hunter2", "mount: bad option password=hunter2\n")));
  Result<std::string> out =
      ns->ExecWithSecrets("mount", {"-o", "ro,password=hunter2"}, {"password=hunter2"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(out.error().exit_status(), 32);
  EXPECT_EQ(out.error().message(), "'/usr/bin/mount' '-o' 'ro,<masked>' exited with status 32");
  EXPECT_EQ(out.error().stdout_data(), "<masked>");
  EXPECT_EQ(out.error().stderr_data(), "mount: bad option <masked>\n");
  EXPECT_THAT(logged_, ElementsAre(std::pair<int, std::string>(
                           5, "running on the host: '/usr/bin/mount' '-o' 'ro,<masked>'")));
}

TEST_F(NsenterTest, ExecWithSecretsRefusesANulInASecretOrArgumentWithoutShowingTheSecret) {
  std::unique_ptr<Nsenter> ns = Make();  // The strict executor: nothing may run.
  const std::string nul_secret("pw\0x", 4);
  Result<std::string> out = ns->ExecWithSecrets("mount", {nul_secret}, {nul_secret})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().message(), "a secret of 'mount' contains a NUL byte");
  const std::string nul_arg("x\0 pw=1", 7);
  out = ns->ExecWithSecrets("mount", {nul_arg}, {"pw=1"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(out.error().message(), HasSubstr("'x\\0 <masked>'"));
  EXPECT_THAT(out.error().message(), Not(HasSubstr("pw=1")));
  EXPECT_TRUE(logged_.empty());
}

TEST_F(NsenterTest, ExecLogsTheCommandAtVerbosityFive) {
  std::unique_ptr<Nsenter> ns = Make();
  ExpectCommand({Namespace(), "--", "/usr/bin/ls", "/"});
  ASSERT_TRUE(ns->Exec("ls", {"/"})->Run().ok());
  ASSERT_EQ(logged_.size(), 1u);
  EXPECT_EQ(logged_[0].first, 5);
  EXPECT_EQ(logged_[0].second, "running on the host: '/usr/bin/ls' '/'");
}

TEST_F(NsenterTest, NsenterIsAnExecutor) {
  std::unique_ptr<Nsenter> ns = Make();
  const Executor& executor = *ns;
  ExpectCommand({Namespace(), "--", "/usr/bin/findmnt", "-J"});
  EXPECT_TRUE(executor.Command("findmnt", {"-J"})->Run().ok());
}

TEST_F(NsenterTest, UndiscoveredCommandIsPassedOnAsGiven) {
  std::unique_ptr<Nsenter> ns = Make();
  ExpectCommand({Namespace(), "--", "systemctl", "status"});
  ASSERT_TRUE(ns->Exec("systemctl", {"status"})->Run().ok());
  EXPECT_EQ(ns->AbsHostPath("systemctl"), "systemctl");
  EXPECT_EQ(ns->AbsHostPath("mount"), "/usr/bin/mount");
}

TEST_F(NsenterTest, CustomProgramAndNamespace) {
  Options options;
  options.nsenter_program = "/usr/bin/nsenter";
  options.namespace_files[NamespaceKind::kMount] = "/host/proc/42/ns/mnt";
  std::unique_ptr<Nsenter> ns = Make(options);
  EXPECT_CALL(*executor_, Command("/usr/bin/nsenter",
                                  ElementsAre("--mount=/host/proc/42/ns/mnt", "--", "/usr/bin/sh")))
      .WillOnce(Return(ByMove(std::make_unique<NiceMock<MockCmd>>())));
  ASSERT_TRUE(ns->Exec("sh", {})->Run().ok());
  EXPECT_EQ(ns->mount_namespace(), "/host/proc/42/ns/mnt");
}

TEST_F(NsenterTest, MoreNamespacesOfAnotherTargetInNsentersOrder) {
  Options options;
  options.namespaces = {NamespaceKind::kMount, NamespaceKind::kNet, NamespaceKind::kUts};
  options.target_pid = 42;
  options.namespace_files[NamespaceKind::kNet] = "/run/netns/host";
  std::unique_ptr<Nsenter> ns = Make(options);
  const std::string proc = root_.path() + "/proc/42/ns/";
  ExpectCommand({"--uts=" + proc + "uts", "--net=/run/netns/host", "--mount=" + proc + "mnt", "--",
                 "/usr/bin/ls"});
  ASSERT_TRUE(ns->Exec("ls", {})->Run().ok());
  EXPECT_EQ(ns->mount_namespace(), proc + "mnt");
}

TEST_F(NsenterTest, ExecRejectsNulBytesAndRunsNothing) {
  std::unique_ptr<Nsenter> ns = Make();
  // The StrictMock executor fails the test on any Command call.
  Status status = ns->Exec("ls", {std::string("/a\0b", 4)})->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  status = ns->Exec("", {})->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
}

// One exit-status story (nsenter.h): nsenter's own "failed to execute" line
// tells a program that could not be started from one that exited 126 or 127
// itself, and messages name the host program.
TEST_F(NsenterTest, ExecErrorsTellNsenterAndHostProgramApart) {
  std::unique_ptr<Nsenter> ns = Make();
  struct Case {
    Error inner;
    ErrorCode want;
    std::string message;
  } cases[] = {
      {ExitError(127, "nsenter: failed to execute frob: No such file or directory\n"),
       ErrorCode::kNotFound, "host program 'frob' not found in the host mount namespace"},
      {ExitError(126, "nsenter: failed to execute frob: Permission denied\n"),
       ErrorCode::kPermissionDenied, "host program 'frob' cannot be executed"},
      {ExitError(126, "nsenter: failed to execute frob: Text file busy\n"),
       ErrorCode::kExecFailed, "cannot start host program 'frob': Text file busy"},
      {ExitError(1, "nsenter: cannot open " + MountNamespaceFile() + ": No such file or directory\n"),
       ErrorCode::kExecFailed,
       "nsenter failed before running 'frob': cannot open " + MountNamespaceFile()},
      // The program's own statuses, whatever they are.
      {ExitError(1, "frob: bad flag\n"), ErrorCode::kNonZeroExit, "'frob' exited with status 1"},
      {ExitError(127, ""), ErrorCode::kNonZeroExit, "'frob' exited with status 127"},
      {ExitError(126, "sh: 1: x: Permission denied\n"), ErrorCode::kNonZeroExit,
       "'frob' exited with status 126"},
      // nsenter's line about another program, or followed by more output.
      {ExitError(127, "nsenter: failed to execute other: No such file or directory\n"),
       ErrorCode::kNonZeroExit, "'frob' exited with status 127"},
      {ExitError(127, "nsenter: failed to execute frob: No such file or directory\nmore\n"),
       ErrorCode::kNonZeroExit, "'frob' exited with status 127"},
      {ExitError(1, "nsenter: one\nnsenter: two\n"), ErrorCode::kNonZeroExit,
       "'frob' exited with status 1"},
      // A line like nsenter's, about no option nsenter was given: the
      // program's own (say, the host's nsenter failing).
      {ExitError(1, "nsenter: cannot open /no/such/ns: No such file or directory\n"),
       ErrorCode::kNonZeroExit, "'frob' exited with status 1"},
      {ExitError(1, "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n"),
       ErrorCode::kNonZeroExit, "'frob' exited with status 1"},
      {Error::FromProcess(ErrorCode::kTimeout, "'nsenter' killed after its timeout of 5ms", -1, "",
                          ""),
       ErrorCode::kTimeout, "'frob' killed after its timeout of 5ms"},
      {Error::FromProcess(ErrorCode::kSignalled, "'nsenter' was killed by signal 9 (Killed)", -1,
                          "", ""),
       ErrorCode::kSignalled, "'frob' was killed by signal 9"},
      {Error(ErrorCode::kExecFailed, "cannot start 'nsenter': No such file or directory"),
       ErrorCode::kExecFailed, "cannot start 'nsenter'"},
  };
  for (const Case& c : cases) {
    MockCmd* cmd = ExpectCommand({Namespace(), "--", "frob"});
    EXPECT_CALL(*cmd, Run()).WillOnce(Return(c.inner));
    const Status status = ns->Exec("frob", {})->Run();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), c.want) << status.error().ToString();
    EXPECT_THAT(status.error().message(), HasSubstr(c.message));
    // Only a program that ran has an exit status (nsenter's is not one).
    EXPECT_EQ(status.error().exit_status(),
              c.want == ErrorCode::kNonZeroExit ? c.inner.exit_status() : -1);
  }
}

// CombinedOutput captures nsenter's stderr with stdout.
TEST_F(NsenterTest, CombinedOutputFindsNsentersMessage) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "frob"});
  EXPECT_CALL(*cmd, CombinedOutput())
      .WillOnce(Return(Error::FromProcess(
          ErrorCode::kNonZeroExit, "'nsenter' exited with status 127", 127,
          "nsenter: failed to execute frob: No such file or directory\n", "")));
  Result<std::string> out = ns->Exec("frob", {})->CombinedOutput();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();
}

// With stderr sent to the caller's descriptor, nsenter's message is not
// seen: 127 stays the status a shell would give (nsenter.h).
TEST_F(NsenterTest, WithStderrToTheCallerStatusesStayAsTheyAre) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "frob"});
  EXPECT_CALL(*cmd, SetStderr(2));
  EXPECT_CALL(*cmd, Run()).WillOnce(Return(ExitError(127, "")));
  std::unique_ptr<Cmd> wrapped = ns->Exec("frob", {});
  wrapped->SetStderr(2);
  const Status status = wrapped->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(status.error().exit_status(), 127);
  EXPECT_EQ(status.error().message(), "'frob' exited with status 127");
}

TEST_F(NsenterTest, CmdSettingsReachTheExecutorsCmd) {
  std::unique_ptr<Nsenter> ns = Make();
  // The directory is a host directory: nsenter's --wdns=, never the
  // directory of nsenter itself.
  MockCmd* cmd = ExpectCommand({Namespace(), "--wdns=/var", "--", "/usr/bin/ls"});
  EXPECT_CALL(*cmd, SetDir(_)).Times(0);
  EXPECT_CALL(*cmd, SetEnv(ElementsAre("A=1")));
  EXPECT_CALL(*cmd, SetStdin("in"));
  EXPECT_CALL(*cmd, SetTimeout(std::chrono::milliseconds(5)));
  EXPECT_CALL(*cmd, CombinedOutput()).WillOnce(Return(std::string("x")));
  std::unique_ptr<Cmd> wrapped = ns->Exec("ls", {});
  wrapped->SetDir("/var");
  wrapped->SetEnv({"A=1"});
  wrapped->SetStdin("in");
  wrapped->SetTimeout(std::chrono::milliseconds(5));
  EXPECT_EQ(*wrapped->CombinedOutput(), "x");

  cmd = ExpectCommand({Namespace(), "--", "/usr/bin/ls"});
  EXPECT_CALL(*cmd, SetStdinFd(0));
  wrapped = ns->Exec("ls", {});
  wrapped->SetStdinFd(0);
  EXPECT_TRUE(wrapped->Run().ok());
}

TEST_F(NsenterTest, ADirectoryWithANulByteRunsNothing) {
  std::unique_ptr<Nsenter> ns = Make();
  std::unique_ptr<Cmd> cmd = ns->Exec("ls", {});  // The StrictMock executor is never called.
  cmd->SetDir(std::string("/a\0b", 4));
  const Status status = cmd->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(status.error().message(), HasSubstr("working directory"));
}

// By default a host program gets the host PATH and nothing else; SetEnv
// replaces that environment.
TEST_F(NsenterTest, HostProgramsGetAMinimalHostEnvironment) {
  Options options;
  options.host_path = "/opt/bin:/usr/bin";
  std::unique_ptr<Nsenter> ns = Make(options);
  EXPECT_THAT(ns->HostEnvironment(), ElementsAre("PATH=/opt/bin:/usr/bin"));
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "frob"});
  EXPECT_CALL(*cmd, SetEnv(ElementsAre("PATH=/opt/bin:/usr/bin")));
  EXPECT_TRUE(ns->Exec("frob", {})->Run().ok());

  Options defaults;
  EXPECT_THAT(Make(defaults)->HostEnvironment(),
              ElementsAre("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
}

TEST_F(NsenterTest, LookPathSearchesTheHostPath) {
  root_.WriteFile("opt/bin/tool", "", 0755);
  root_.WriteFile("usr/local/bin/tool", "", 0755);
  root_.WriteFile("opt/bin/data", "", 0644);
  root_.MakeDir("opt/bin/subdir");
  root_.Symlink("opt/bin/link", "/usr/bin/mount");  // Resolved in the host root.
  Options options;
  options.host_path = "relative::/opt/bin:/usr/local/bin";
  std::unique_ptr<Nsenter> ns = Make(options);
  EXPECT_EQ(*ns->LookPath("tool"), "/opt/bin/tool");
  EXPECT_EQ(*ns->LookPath("link"), "/opt/bin/link");
  EXPECT_EQ(*ns->LookPath("/usr/bin/ls"), "/usr/bin/ls");
  // Not on this PATH, but discovered: what Exec("ls") runs.
  EXPECT_EQ(*ns->LookPath("ls"), "/usr/bin/ls");

  struct Case {
    std::string name;
    ErrorCode code;
    std::string message;
  } cases[] = {
      {"data", ErrorCode::kNotFound,
       "executable file 'data' not found in the host PATH '/opt/bin:/usr/local/bin'"},
      {"subdir", ErrorCode::kNotFound, "executable file 'subdir' not found"},
      {"/opt/bin/missing", ErrorCode::kNotFound, "'/opt/bin/missing' does not exist on the host"},
      {"/opt/bin/data", ErrorCode::kPermissionDenied, "is not an executable regular file"},
      {"/opt/bin/subdir", ErrorCode::kPermissionDenied, "is not an executable regular file"},
      {"bin/tool", ErrorCode::kInvalidArgument, "neither absolute nor a bare name"},
      {"", ErrorCode::kInvalidArgument, "is empty or has a NUL byte"},
      {std::string("to\0ol", 5), ErrorCode::kInvalidArgument, "is empty or has a NUL byte"},
  };
  for (const Case& c : cases) {
    Result<std::string> found = ns->LookPath(c.name);
    ASSERT_FALSE(found.ok()) << c.name;
    EXPECT_EQ(found.error().code(), c.code) << found.error().ToString();
    EXPECT_THAT(found.error().message(), HasSubstr(c.message));
  }
}

TEST_F(NsenterTest, SupportsSystemd) {
  std::unique_ptr<Nsenter> without = Make();
  EXPECT_FALSE(without->SupportsSystemd().found);
  EXPECT_EQ(without->SupportsSystemd().path, "systemd-run");

  root_.WriteFile("bin/systemd-run", "", 0755);
  std::unique_ptr<Nsenter> with = Make();
  EXPECT_TRUE(with->SupportsSystemd().found);
  EXPECT_EQ(with->SupportsSystemd().path, "/bin/systemd-run");
}

TEST_F(NsenterTest, CreateFailsLikeTheOriginalWhenABinaryIsMissing) {
  TempDir empty;
  Options options;
  options.host_root = empty.path();
  options.executor = executor_;
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ns.error().message(), "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " +
                                      empty.path() + ")");
}

TEST_F(NsenterTest, CreateRejectsBadOptions) {
  const auto create_error = [this](Options options) {
    if (options.host_root.empty()) options.host_root = root_.path();
    options.executor = executor_;
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_FALSE(ns.ok());
    return ns.ok() ? Error(ErrorCode::kInternal, "") : ns.error();
  };
  Options relative_root;
  relative_root.host_root = "rootfs";
  EXPECT_THAT(create_error(relative_root).message(), HasSubstr("host root 'rootfs' is not absolute"));

  Options relative_ns;
  relative_ns.namespace_files[NamespaceKind::kMount] = "proc/1/ns/mnt";
  EXPECT_THAT(create_error(relative_ns).message(),
              HasSubstr("mount namespace file 'proc/1/ns/mnt' is not absolute"));

  // A file for a namespace that is not entered was dropped silently, and
  // commands ran in the container's network namespace.
  Options file_not_entered;
  file_not_entered.namespace_files[NamespaceKind::kNet] = "/run/netns/host";
  EXPECT_THAT(create_error(file_not_entered).message(),
              HasSubstr("names the network namespace file '/run/netns/host', but namespaces does "
                        "not include the network namespace"));
  EXPECT_EQ(create_error(file_not_entered).code(), ErrorCode::kInvalidArgument);

  Options no_mount;
  no_mount.namespaces = {NamespaceKind::kNet};
  EXPECT_THAT(create_error(no_mount).message(), HasSubstr("must include the mount namespace"));

  Options bad_pid;
  bad_pid.target_pid = 0;
  EXPECT_THAT(create_error(bad_pid).message(), HasSubstr("target_pid must be positive"));

  Options no_program;
  no_program.nsenter_program = "";
  EXPECT_THAT(create_error(no_program).message(), HasSubstr("nsenter program"));

  Options no_host_path;
  no_host_path.host_path = "";
  EXPECT_THAT(create_error(no_host_path).message(), HasSubstr("host_path '' is empty"));

  Options zero_timeout;
  zero_timeout.eval_symlinks_timeout = std::chrono::milliseconds(0);
  EXPECT_THAT(create_error(zero_timeout).message(), HasSubstr("eval_symlinks_timeout"));
  EXPECT_EQ(create_error(zero_timeout).code(), ErrorCode::kInvalidArgument);
}

TEST_F(NsenterTest, EvalSymlinksRunsRealpathWithDoubleDashInTheCLocale) {
  Options options;
  options.eval_symlinks_timeout = std::chrono::milliseconds(1234);
  std::unique_ptr<Nsenter> ns = Make(options);
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/-x"});
  EXPECT_CALL(*cmd, SetEnv(ElementsAre(
                         "LC_ALL=C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")));
  EXPECT_CALL(*cmd, SetTimeout(std::chrono::milliseconds(1234)));
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/-x\n")));
  EXPECT_EQ(*ns->EvalSymlinks("/-x", true), "/-x");

  cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-m", "--", "/a"});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/b\n")));
  EXPECT_EQ(*ns->EvalSymlinks("/a", false), "/b");
}

TEST_F(NsenterTest, EvalSymlinksLogsTheRealpathRunAtVerbosityFive) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/a"});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/b\n")));
  ASSERT_TRUE(ns->EvalSymlinks("/a", true).ok());
  ASSERT_EQ(logged_.size(), 1u);
  EXPECT_EQ(logged_[0].first, 5);
  EXPECT_EQ(logged_[0].second, "running on the host: '/usr/bin/realpath' '-e' '--' '/a'");
}

TEST_F(NsenterTest, EvalSymlinksUsesTheBareNameWhenRealpathWasNotFound) {
  ASSERT_EQ(unlink((root_.path() + "/usr/bin/realpath").c_str()), 0);
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "realpath", "-m", "--", "/a"});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/a\n")));
  EXPECT_EQ(*ns->EvalSymlinks("/a", false), "/a");
}

TEST_F(NsenterTest, EvalSymlinksKeepsBlanksAndNewlinesOfNames) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/sp "});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/tmp/sp \n")));
  EXPECT_EQ(*ns->EvalSymlinks("/sp ", true), "/tmp/sp ");

  cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/nl\n"});
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("/tmp/nl\n\n")));
  EXPECT_EQ(*ns->EvalSymlinks("/nl\n", true), "/tmp/nl\n");
}

TEST_F(NsenterTest, EvalSymlinksRejectsBadPathsAndRunsNothing) {
  std::unique_ptr<Nsenter> ns = Make();
  for (const std::string& bad : {std::string(""), std::string("var/lib"), std::string("-x"),
                                 std::string("/var\0/../etc", 11)}) {
    for (const bool must_exist : {true, false}) {
      Result<std::string> resolved = ns->EvalSymlinks(bad, must_exist);
      ASSERT_FALSE(resolved.ok());
      EXPECT_EQ(resolved.error().code(), ErrorCode::kInvalidArgument);
      EXPECT_THAT(resolved.error().message(), HasSubstr("path"));
    }
  }
}

TEST_F(NsenterTest, EvalSymlinksErrorsComeFromRealpathsMessage) {
  std::unique_ptr<Nsenter> ns = Make();
  const std::pair<std::string, ErrorCode> cases[] = {
      {"realpath: /x: No such file or directory\n", ErrorCode::kNotFound},
      {"realpath: /x: Not a directory\n", ErrorCode::kNotADirectory},
      {"realpath: /x: Too many levels of symbolic links\n", ErrorCode::kLoop},
      {"realpath: /x: Permission denied\n", ErrorCode::kPermissionDenied},
      {"realpath: /x: File name too long\n", ErrorCode::kNameTooLong},
      {"realpath: /x: Input/output error\n", ErrorCode::kNonZeroExit},
  };
  for (const auto& [stderr_text, code] : cases) {
    MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/x"});
    EXPECT_CALL(*cmd, Output()).WillOnce(Return(ExitError(1, stderr_text)));
    Result<std::string> resolved = ns->EvalSymlinks("/x", true);
    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().code(), code) << stderr_text;
    EXPECT_THAT(resolved.error().message(), HasSubstr("realpath -e of '/x' on the host"));
    EXPECT_EQ(resolved.error().stderr_data(), stderr_text);
  }
  // Each failure is logged at verbosity 0.
  ASSERT_FALSE(logged_.empty());
  EXPECT_EQ(logged_.back().first, 0);
  EXPECT_THAT(logged_.back().second, HasSubstr("failed to resolve symbolic links on '/x'"));
}

// Without a sink the failure is in the Result only: a library that printed
// it too made every caller's failure appear twice.
TEST_F(NsenterTest, WithoutALogSinkNothingIsWrittenToStderr) {
  Options options;
  options.host_root = root_.path();
  options.executor = executor_;
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/x"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(ExitError(1, "realpath: /x: No such file or directory\n")));
  ::testing::internal::CaptureStderr();
  Result<std::string> resolved = (*ns)->EvalSymlinks("/x", true);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kNotFound);
}

TEST_F(NsenterTest, EvalSymlinksTimeoutAndNsenterFailuresKeepTheirCodes) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-m", "--", "/g/x"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(Error(ErrorCode::kTimeout, "'nsenter' killed after its timeout")));
  Result<std::string> resolved = ns->EvalSymlinks("/g/x", false);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kTimeout);
  EXPECT_THAT(resolved.error().message(), HasSubstr("'/g/x'"));

  cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-m", "--", "/a"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(ExitError(
          1, "nsenter: cannot open " + MountNamespaceFile() + ": No such file or directory\n")));
  resolved = ns->EvalSymlinks("/a", false);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kExecFailed)
      << "a missing namespace file must not look like a missing path";
}

// busybox's realpath has no options: it takes -e and -- for file names
// (bazel-offline.md records its output).
TEST_F(NsenterTest, EvalSymlinksRecognisesARealpathWithoutGnuOptions) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-e", "--", "/usr"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(Error::FromProcess(
          ErrorCode::kNonZeroExit, "exited 1", 1, "/usr\n",
          "realpath: -e: No such file or directory\nrealpath: --: No such file or directory\n")));
  Result<std::string> resolved = ns->EvalSymlinks("/usr", true);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(resolved.error().message(), HasSubstr("not GNU coreutils' realpath"));
}

TEST_F(NsenterTest, EvalSymlinksRejectsOutputThatIsNotAPath) {
  std::unique_ptr<Nsenter> ns = Make();
  MockCmd* cmd = ExpectCommand({Namespace(), "--", "/usr/bin/realpath", "-m", "--", "/a"});
  EXPECT_CALL(*cmd, Output())
      .WillOnce(Return(std::string("Usage: realpath [OPTION]... FILE...\n")));
  Result<std::string> resolved = ns->EvalSymlinks("/a", false);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kInternal);
  EXPECT_THAT(resolved.error().message(), HasSubstr("unexpected output from realpath"));
}

TEST_F(NsenterTest, KubeletPathJoinsUnderTheHostRoot) {
  std::unique_ptr<Nsenter> ns = Make();
  EXPECT_EQ(*ns->KubeletPath("//var/lib/kubelet"), root_.path() + "/var/lib/kubelet");
  EXPECT_EQ(*ns->KubeletPath("/../../etc"), root_.path() + "/etc");
  EXPECT_FALSE(ns->KubeletPath("etc").ok());
}

// Runs the command after "nsenter --mount=NS --" directly, in the caller's
// own namespace, so that the real realpath resolves a real tree: the
// approach of k8s.io/utils/nsenter's own tests.
class DirectExecutor final : public Executor {
 public:
  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const override {
    EXPECT_EQ(path, "nsenter");
    EXPECT_GE(args.size(), 3u);
    EXPECT_EQ(args[1], "--");
    return real_.Command(args[2], std::vector<std::string>(args.begin() + 3, args.end()));
  }

 private:
  ProcessExecutor real_;
};

// The symlink cases of k8s.io/utils/nsenter's TestEvalSymlinks, against the
// real realpath of this machine.
class EvalSymlinksOnRealTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.host_root = "/";
    options.executor = std::make_shared<DirectExecutor>();
    options.log = [](int, std::string_view) {};
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
    char resolved[4096];
    ASSERT_NE(realpath(tmp_.path().c_str(), resolved), nullptr);
    base_ = resolved;
  }

  std::unique_ptr<Nsenter> ns_;
  TempDir tmp_;
  std::string base_;
};

TEST_F(EvalSymlinksOnRealTreeTest, SimpleFile) {
  tmp_.WriteFile("file");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/file", true), base_ + "/file");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/file", false), base_ + "/file");
}

TEST_F(EvalSymlinksOnRealTreeTest, MissingFile) {
  Result<std::string> must = ns_->EvalSymlinks(base_ + "/missing", true);
  ASSERT_FALSE(must.ok());
  EXPECT_EQ(must.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/missing", false), base_ + "/missing");
}

TEST_F(EvalSymlinksOnRealTreeTest, ExistingDirsWithMissingLeaf) {
  tmp_.MakeDir("a/b");
  EXPECT_FALSE(ns_->EvalSymlinks(base_ + "/a/b/missing", true).ok());
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/a/b/missing", false), base_ + "/a/b/missing");
}

TEST_F(EvalSymlinksOnRealTreeTest, FileSymlink) {
  tmp_.WriteFile("target");
  tmp_.Symlink("link", "target");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/link", true), base_ + "/target");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/link", false), base_ + "/target");
}

TEST_F(EvalSymlinksOnRealTreeTest, DanglingSymlink) {
  tmp_.Symlink("dangling", "nowhere");
  Result<std::string> must = ns_->EvalSymlinks(base_ + "/dangling", true);
  ASSERT_FALSE(must.ok());
  EXPECT_EQ(must.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/dangling", false), base_ + "/nowhere");
}

TEST_F(EvalSymlinksOnRealTreeTest, SymlinkedDirectoryWithItsTarget) {
  tmp_.WriteFile("dir/file");
  tmp_.Symlink("dirlink", "dir");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/dirlink/file", true), base_ + "/dir/file");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/dirlink/missing", false), base_ + "/dir/missing");
}

TEST_F(EvalSymlinksOnRealTreeTest, SymlinkedDirectoryWithoutItsTarget) {
  tmp_.Symlink("dirlink", "gone");
  Result<std::string> must = ns_->EvalSymlinks(base_ + "/dirlink/file", true);
  ASSERT_FALSE(must.ok());
  EXPECT_EQ(must.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/dirlink/file", false), base_ + "/gone/file");
}

TEST_F(EvalSymlinksOnRealTreeTest, NameEndingInABlank) {
  tmp_.WriteFile("sp ");
  EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/sp ", true), base_ + "/sp ");
}

}  // namespace
}  // namespace nsenter
