#include "fakehost/fake_executor.h"

#include <unistd.h>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"

namespace nsenter::fakehost {

// Readable failures.
void PrintTo(const Answer& answer, std::ostream* os) {
  *os << "{exit " << answer.exit_code << ", stdout " << ::testing::PrintToString(answer.stdout_data)
      << ", stderr " << ::testing::PrintToString(answer.stderr_data) << "}";
}

namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSource[] = "small-host.json";
constexpr char kNamespace[] = "--mount=/rootfs/proc/1/ns/mnt";

// A merged-/usr host with every binary discovery requires, a few hostile
// names, and some recorded commands.
constexpr char kHost[] = R"({
  "format": "fakehost/v1",
  "host": {"name": "small-host", "recorded_with": "hand-written"},
  "entries": [
    {"path": "/bin", "type": "symlink", "target": "usr/bin"},
    {"path": "/usr/bin/mount", "type": "file", "mode": "4755"},
    {"path": "/usr/bin/umount", "type": "file", "mode": "4755"},
    {"path": "/usr/bin/findmnt", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/stat", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/touch", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/mkdir", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/ls", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/chmod", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/realpath", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/dash", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/sh", "type": "symlink", "target": "dash"},
    {"path": "/opt/broken/realpath", "type": "file", "mode": "0644"},
    {"path": "/var/lib/kubelet/pods", "type": "dir"},
    {"path": "/var/lib/kubelet/sp ", "type": "dir"},
    {"path": "/var/run", "type": "symlink", "target": "/run"},
    {"path": "/run/lock", "type": "dir"},
    {"path": "/loop", "type": "symlink", "target": "loop"}
  ],
  "commands": [
    {"argv": ["/bin/findmnt", "-n", "-o", "TARGET", "--", "/"], "stdout": "/\n"},
    {"argv": ["/bin/mount", "--", "/dev/sdb1", "/mnt"], "exit_code": 32,
     "stdout": "partial\n", "stderr": "mount: /mnt: special device /dev/sdb1 does not exist.\n"},
    {"argv": ["/bin/realpath", "-e", "--", "/var/run"], "stdout": "/run\n"}
  ]
})";

std::shared_ptr<FakeHost> Host() {
  Result<Fixture> fixture = ParseFixture(kHost, kSource);
  EXPECT_TRUE(fixture.ok()) << fixture.error().ToString();
  Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
  EXPECT_TRUE(host.ok()) << host.error().ToString();
  return *host;
}

std::vector<std::string> Through(const std::string& ns, std::vector<std::string> host_argv) {
  host_argv.insert(host_argv.begin(), {ns, "--"});
  return host_argv;
}

// Runs `host_argv` the way Nsenter would, with Output(), and returns what the
// host answered (or fails the test for a run that did not happen).
Answer RunOnHost(const FakeExecutor& executor, std::vector<std::string> host_argv) {
  Result<std::string> out =
      executor.Command("nsenter", Through(kNamespace, std::move(host_argv)))->Output();
  if (out.ok()) return {0, *out, ""};
  EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit) << out.error().ToString();
  return {out.error().exit_status(), out.error().stdout_data(), out.error().stderr_data()};
}

// ---- The shape of the nsenter command ----

TEST(FakeExecutorShapeTest, RefusesAProgramOtherThanNsenter) {
  FakeExecutor executor(Host());
  Result<std::string> out =
      executor.Command("/bin/findmnt", {"-n", "-o", "TARGET", "--", "/"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(out.error().message(), HasSubstr("'/bin/findmnt' '-n' '-o' 'TARGET' '--' '/'"));
  EXPECT_THAT(out.error().message(), HasSubstr(kSource));
  EXPECT_THAT(out.error().message(),
              HasSubstr("expected `nsenter --mount=/rootfs/proc/1/ns/mnt [--wdns=DIR] -- CMD [ARGS...]`"));
}

TEST(FakeExecutorShapeTest, TheProgramMayBeAnyPathToNsenter) {
  FakeExecutor executor(Host());
  const std::vector<std::string> findmnt = {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"};
  EXPECT_EQ(*executor.Command("/usr/bin/nsenter", Through(kNamespace, findmnt))->Output(), "/\n");
  EXPECT_EQ(*executor.Command("nsenter", Through(kNamespace, findmnt))->Output(), "/\n");
  for (const std::string program : {"/usr/bin/xnsenter", "nsenter2", "/nsenter/x"}) {
    Result<std::string> out = executor.Command(program, Through(kNamespace, findmnt))->Output();
    ASSERT_FALSE(out.ok()) << program;
    EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed) << program;
  }
}

TEST(FakeExecutorShapeTest, RefusesArgumentsOfAnotherShape) {
  FakeExecutor executor(Host());
  const std::vector<std::vector<std::string>> shapes = {
      {kNamespace, "/bin/findmnt"},                           // No "--".
      {"-m", "/rootfs/proc/1/ns/mnt", "--", "/bin/findmnt"},  // Short option.
      {"--mount", "/rootfs/proc/1/ns/mnt", "--", "/bin/findmnt"},
      {kNamespace, "--net=/rootfs/proc/1/ns/net", "--", "/bin/findmnt"},
      {kNamespace, "--"},  // No command.
      {kNamespace, "--", ""},
      {},
  };
  for (const std::vector<std::string>& args : shapes) {
    Result<std::string> out = executor.Command("nsenter", args)->Output();
    ASSERT_FALSE(out.ok()) << ::testing::PrintToString(args);
    EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
    EXPECT_THAT(out.error().message(), HasSubstr("refuses 'nsenter'"));
  }
}

TEST(FakeExecutorShapeTest, RefusesAnotherMountNamespace) {
  FakeExecutor executor(Host());
  Result<std::string> out =
      executor.Command("nsenter", {"--mount=/proc/1/ns/mnt", "--", "/bin/findmnt"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(out.error().message(), HasSubstr("'/proc/1/ns/mnt'"));
  EXPECT_THAT(out.error().message(), HasSubstr("'/rootfs/proc/1/ns/mnt'"));
}

TEST(FakeExecutorShapeTest, TheExpectedNamespaceFollowsTheHostRoot) {
  EXPECT_EQ(FakeExecutor(Host()).mount_namespace(), "/rootfs/proc/1/ns/mnt");
  EXPECT_EQ(FakeExecutor(Host(), {.host_root = "/tmp/x/"}).mount_namespace(),
            "/tmp/x/proc/1/ns/mnt");
  EXPECT_EQ(
      FakeExecutor(Host(), {.host_root = "/tmp/x", .mount_namespace = "/ns"}).mount_namespace(),
      "/ns");

  FakeExecutor executor(Host(), {.host_root = "/tmp/x"});
  EXPECT_TRUE(executor
                  .Command("nsenter", {"--mount=/tmp/x/proc/1/ns/mnt", "--", "/bin/findmnt", "-n",
                                       "-o", "TARGET", "--", "/"})
                  ->Output()
                  .ok());
}

// ---- Scripted answers ----

TEST(FakeExecutorScriptTest, AnswersFromTheFixture) {
  FakeExecutor executor(Host());
  EXPECT_EQ(RunOnHost(executor, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}),
            (Answer{0, "/\n", ""}));
  EXPECT_EQ(RunOnHost(executor, {"/bin/mount", "--", "/dev/sdb1", "/mnt"}),
            (Answer{32, "partial\n", "mount: /mnt: special device /dev/sdb1 does not exist.\n"}));
  EXPECT_EQ(executor.Calls().back().answered_by, AnswerSource::kScript);
}

TEST(FakeExecutorScriptTest, AScriptWinsOverTheRealpathEmulation) {
  FakeExecutor executor(Host());
  EXPECT_EQ(RunOnHost(executor, {"/bin/realpath", "-e", "--", "/var/run"}),
            (Answer{0, "/run\n", ""}));
  EXPECT_EQ(executor.Calls().back().answered_by, AnswerSource::kScript);
}

TEST(FakeExecutorScriptTest, NonZeroExitFollowsExecH) {
  FakeExecutor executor(Host());
  const std::vector<std::string> mount =
      Through(kNamespace, {"/bin/mount", "--", "/dev/sdb1", "/mnt"});

  Result<std::string> combined = executor.Command("nsenter", mount)->CombinedOutput();
  ASSERT_FALSE(combined.ok());
  EXPECT_EQ(combined.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(combined.error().exit_status(), 32);
  EXPECT_EQ(combined.error().stdout_data(),
            "partial\nmount: /mnt: special device /dev/sdb1 does not exist.\n");
  EXPECT_EQ(combined.error().stderr_data(), "");
  EXPECT_EQ(combined.error().message(), "'nsenter' exited with status 32");

  Status run = executor.Command("nsenter", mount)->Run();
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().exit_status(), 32);
  EXPECT_EQ(run.error().stdout_data(), "");  // Run discards stdout.
  EXPECT_EQ(run.error().stderr_data(), "mount: /mnt: special device /dev/sdb1 does not exist.\n");
}

TEST(FakeExecutorScriptTest, RunWritesToTheGivenDescriptors) {
  FakeExecutor executor(Host());
  int out[2], err[2];
  ASSERT_EQ(pipe(out), 0);
  ASSERT_EQ(pipe(err), 0);
  std::unique_ptr<Cmd> cmd =
      executor.Command("nsenter", Through(kNamespace, {"/bin/mount", "--", "/dev/sdb1", "/mnt"}));
  cmd->SetStdout(out[1]);
  cmd->SetStderr(err[1]);
  Status run = cmd->Run();
  close(out[1]);
  close(err[1]);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().stderr_data(), "");  // Went to the descriptor instead.
  const auto drain = [](int fd) {
    std::string data;
    char buffer[256];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) data.append(buffer, n);
    close(fd);
    return data;
  };
  EXPECT_EQ(drain(out[0]), "partial\n");
  EXPECT_EQ(drain(err[0]), "mount: /mnt: special device /dev/sdb1 does not exist.\n");
}

// ---- realpath computed over the fake host ----

struct RealpathCase {
  std::string name;
  std::vector<std::string> args;
  Answer expected;
};

class FakeExecutorRealpathTest : public ::testing::TestWithParam<RealpathCase> {};

// Expected answers are GNU realpath's on a real host (hostile-inputs.md,
// experiments E1, E3, E4, E5; catalogue B1, B5, B8). Run as /bin/realpath,
// it names itself so in its messages.
TEST_P(FakeExecutorRealpathTest, AnswersAsGnuRealpath) {
  FakeExecutor executor(Host());
  std::vector<std::string> argv = GetParam().args;
  argv.insert(argv.begin(), "/bin/realpath");
  EXPECT_EQ(RunOnHost(executor, argv), GetParam().expected);
  EXPECT_EQ(executor.Calls().back().answered_by, AnswerSource::kRealpathEmulation);
}

INSTANTIATE_TEST_SUITE_P(
    Queries, FakeExecutorRealpathTest,
    ::testing::Values(
        RealpathCase{
            "ThroughASymlinkedDirectory", {"-e", "--", "/bin/mount"}, {0, "/usr/bin/mount\n", ""}},
        RealpathCase{"AbsoluteLink", {"-e", "--", "/var/run/lock"}, {0, "/run/lock\n", ""}},
        RealpathCase{"MissingWithM", {"-m", "--", "/nonexist dir/x"}, {0, "/nonexist dir/x\n", ""}},
        RealpathCase{"MissingWithE",
                     {"-e", "--", "/nonexist dir/x"},
                     {1, "", "/bin/realpath: '/nonexist dir/x': No such file or directory\n"}},
        RealpathCase{"BelowAFile",
                     {"-e", "--", "/usr/bin/mount/x"},
                     {1, "", "/bin/realpath: /usr/bin/mount/x: Not a directory\n"}},
        RealpathCase{"LoopWithE",
                     {"-e", "--", "/loop"},
                     {1, "", "/bin/realpath: /loop: Too many levels of symbolic links\n"}},
        RealpathCase{"LoopWithM", {"-m", "--", "/loop/foo"}, {0, "/loop/foo\n", ""}},
        RealpathCase{"TrailingBlankKeptWithZ",
                     {"-ez", "/var/lib/kubelet/sp "},
                     {0, std::string("/var/lib/kubelet/sp \0", 21), ""}},
        RealpathCase{
            "EmptyName", {"-e", "--", ""}, {1, "", "/bin/realpath: '': No such file or directory\n"}},
        RealpathCase{"RelativeNameFromTheHostRoot", {"-m", "--", "etc/../usr"}, {0, "/usr\n", ""}},
        RealpathCase{"DashNameAfterDoubleDash",
                     {"-e", "--", "-x"},
                     {1, "", "/bin/realpath: -x: No such file or directory\n"}},
        RealpathCase{"LongOptionAndPermutedOrder",
                     {"/var/run", "--canonicalize-missing"},
                     {0, "/run\n", ""}},
        RealpathCase{"LastModeWins",
                     {"-m", "-e", "--", "/nope"},
                     {1, "", "/bin/realpath: /nope: No such file or directory\n"}},
        RealpathCase{
            "SeveralNames",
            {"-e", "--", "/bin/sh", "/nope", "/bin/ls"},
            {1, "/usr/bin/dash\n/usr/bin/ls\n", "/bin/realpath: /nope: No such file or directory\n"}}),
    [](const ::testing::TestParamInfo<RealpathCase>& info) { return info.param.name; });

TEST(FakeExecutorRealpathProgramTest, NsenterFailsForAProgramTheHostDoesNotHave) {
  FakeExecutor executor(Host());
  // As nsenter(1) reports it (hostile-inputs.md, E5).
  EXPECT_EQ(
      RunOnHost(executor, {"/usr/local/bin/realpath", "-e", "--", "/"}),
      (Answer{127, "",
              "nsenter: failed to execute /usr/local/bin/realpath: No such file or directory\n"}));
  EXPECT_EQ(
      RunOnHost(executor, {"/opt/broken/realpath", "-e", "--", "/"}),
      (Answer{126, "", "nsenter: failed to execute /opt/broken/realpath: Permission denied\n"}));
  // A bare name is looked up on the host's PATH, which the fake does not model.
  EXPECT_EQ(RunOnHost(executor, {"realpath", "-e", "--", "/"}), (Answer{0, "/\n", ""}));
}

TEST(FakeExecutorRealpathProgramTest, InvocationsOutsideTheEmulatedSubsetAreUnscripted) {
  FakeExecutor executor(Host());
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--relative-to=/tmp", "-e", "/bin"},
                                             {"/bin"},  // No mode: realpath's default.
                                             {"-e"},    // No name.
                                             {"-e", "-q", "/bin"}}) {
    std::vector<std::string> argv = args;
    argv.insert(argv.begin(), "/bin/realpath");
    Result<std::string> out = executor.Command("nsenter", Through(kNamespace, argv))->Output();
    ASSERT_FALSE(out.ok()) << ::testing::PrintToString(args);
    EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  }
}

// ---- Unscripted commands and the default answer ----

TEST(FakeExecutorUnscriptedTest, IsAnErrorNamingTheCommandAndTheFixture) {
  FakeExecutor executor(Host());
  Result<std::string> out =
      executor.Command("nsenter", Through(kNamespace, {"/bin/ls", "-l", "/"}))->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(out.error().message(), HasSubstr(kSource));
  EXPECT_THAT(out.error().message(),
              HasSubstr(" refuses 'nsenter' '" + std::string(kNamespace) +
                        "' '--' '/bin/ls' '-l' '/': no answer is scripted for this host command"));
  // The command once: it may be long.
  EXPECT_EQ(out.error().message().find("'/bin/ls'"), out.error().message().rfind("'/bin/ls'"));
  const FakeCall call = executor.Calls().back();
  EXPECT_EQ(call.answered_by, AnswerSource::kRefused);
  EXPECT_THAT(call.host_argv, ElementsAre("/bin/ls", "-l", "/"));
}

TEST(FakeExecutorUnscriptedTest, TheDefaultAnswerIsOptIn) {
  FakeExecutor executor(Host());
  executor.SetDefaultAnswer({3, "out\n", "err\n"});
  EXPECT_EQ(RunOnHost(executor, {"/bin/ls", "-l", "/"}), (Answer{3, "out\n", "err\n"}));
  EXPECT_EQ(executor.Calls().back().answered_by, AnswerSource::kDefaultAnswer);
  // Scripts and the realpath emulation still come first.
  EXPECT_EQ(RunOnHost(executor, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}),
            (Answer{0, "/\n", ""}));
  EXPECT_EQ(RunOnHost(executor, {"/bin/realpath", "-m", "--", "/x"}), (Answer{0, "/x\n", ""}));
  EXPECT_EQ(executor.Calls().back().answered_by, AnswerSource::kRealpathEmulation);
}

TEST(FakeExecutorTest, TimeoutsOutOfRangeAreRefusedAsByRealCommands) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> zero = executor.Command("mount", {});
  zero->SetTimeout(std::chrono::milliseconds(0));
  const Status zero_started = zero->Start();
  ASSERT_FALSE(zero_started.ok());
  EXPECT_EQ(zero_started.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(zero_started.error().message(), HasSubstr("'mount'"));

  std::unique_ptr<Cmd> negative = executor.Command("mount", {});
  negative->SetStopGracePeriod(std::chrono::milliseconds(-1));
  EXPECT_EQ(negative->Run().error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(executor.Calls().empty()) << "nothing ran";
}

// ---- The call log ----

TEST(FakeExecutorCallsTest, RecordsEveryRunWithItsSettings) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = executor.Command(
      "nsenter", Through(kNamespace, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}));
  cmd->SetDir("/tmp");
  cmd->SetEnv({"LC_ALL=C"});
  cmd->SetStdin("input");
  cmd->SetTimeout(std::chrono::milliseconds(1500));
  ASSERT_TRUE(cmd->Output().ok());
  EXPECT_FALSE(executor.Command("mount", {})->Output().ok());

  const std::vector<FakeCall> calls = executor.Calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].program, "nsenter");
  EXPECT_EQ(calls[0].args, Through(kNamespace, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}));
  EXPECT_THAT(calls[0].host_argv, ElementsAre("/bin/findmnt", "-n", "-o", "TARGET", "--", "/"));
  EXPECT_EQ(calls[0].dir, "/tmp");
  EXPECT_EQ(calls[0].env, std::vector<std::string>{"LC_ALL=C"});
  EXPECT_EQ(calls[0].stdin_data, "input");
  EXPECT_EQ(calls[0].timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(calls[0].answered_by, AnswerSource::kScript);
  EXPECT_EQ(calls[1].program, "mount");
  EXPECT_TRUE(calls[1].host_argv.empty());
  EXPECT_EQ(calls[1].answered_by, AnswerSource::kRefused);
  EXPECT_FALSE(calls[1].dir.has_value());
}

TEST(FakeExecutorCallsTest, ACmdRunsOnceAndRefusesNulBytes) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = executor.Command(
      "nsenter", Through(kNamespace, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}));
  ASSERT_TRUE(cmd->Output().ok());
  Result<std::string> again = cmd->Output();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kInvalidArgument);

  Result<std::string> nul =
      executor
          .Command("nsenter",
                   Through(kNamespace, {"/bin/realpath", "-m", "--", std::string("/a\0b", 4)}))
          ->Output();
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(executor.Calls().size(), 2u);
}

// ---- Start, Wait and Stop ----

std::unique_ptr<Cmd> MountCommand(const FakeExecutor& executor) {
  return executor.Command("nsenter", Through(kNamespace, {"/bin/mount", "--", "/dev/sdb1", "/mnt"}));
}

TEST(FakeExecutorLifecycleTest, WaitStreamsTheAnswerToTheHandlers) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = MountCommand(executor);
  std::string out, err;
  cmd->SetStdoutHandler([&](std::string_view chunk) { out.append(chunk); });
  cmd->SetStderrHandler([&](std::string_view chunk) { err.append(chunk); });
  cmd->SetStopGracePeriod(std::chrono::milliseconds(250));
  ASSERT_TRUE(cmd->Start().ok());
  EXPECT_EQ(executor.Calls().size(), 1u) << "answered and recorded at Start";
  EXPECT_EQ(out, "") << "delivered at Wait";
  const Status ended = cmd->Wait();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().exit_status(), 32);
  EXPECT_EQ(ended.error().stderr_data(), "");
  EXPECT_EQ(out, "partial\n");
  EXPECT_EQ(err, "mount: /mnt: special device /dev/sdb1 does not exist.\n");
  EXPECT_EQ(executor.Calls()[0].stop_grace_period, std::chrono::milliseconds(250));
}

TEST(FakeExecutorLifecycleTest, StopBetweenStartAndWaitEndsWithKStopped) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = MountCommand(executor);
  std::string out;
  cmd->SetStdoutHandler([&](std::string_view chunk) { out.append(chunk); });
  ASSERT_TRUE(cmd->Start().ok());
  std::thread([&] { cmd->Stop(); }).join();
  const Status ended = cmd->Wait();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  EXPECT_EQ(out, "");
}

TEST(FakeExecutorLifecycleTest, StopBeforeStartRecordsNothing) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = MountCommand(executor);
  cmd->Stop();
  const Status started = cmd->Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code(), ErrorCode::kStopped);
  EXPECT_TRUE(executor.Calls().empty());
}

TEST(FakeExecutorLifecycleTest, MisuseIsKInvalidArgument) {
  FakeExecutor executor(Host());
  std::unique_ptr<Cmd> cmd = MountCommand(executor);
  EXPECT_THAT(cmd->Wait().error().message(), HasSubstr("was not started"));
  ASSERT_TRUE(cmd->Start().ok());
  EXPECT_THAT(cmd->Start().error().message(), HasSubstr("already started"));
  EXPECT_EQ(cmd->Wait().error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(cmd->Wait().error().message(), HasSubstr("already waited for"));
  EXPECT_EQ(executor.Calls().size(), 1u);
}

TEST(FakeExecutorCallsTest, ConcurrentRunsAreAllRecorded) {
  auto executor = std::make_shared<FakeExecutor>(Host());
  constexpr int kThreads = 8, kRunsPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([executor] {
      for (int i = 0; i < kRunsPerThread; ++i) {
        Result<std::string> out =
            executor
                ->Command("nsenter", Through(kNamespace, {"/bin/realpath", "-e", "--", "/bin/ls"}))
                ->Output();
        EXPECT_EQ(*out, "/usr/bin/ls\n");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(executor->Calls().size(), static_cast<size_t>(kThreads * kRunsPerThread));
}

TEST(FakeExecutorCallsTest, ACmdMayOutliveItsExecutor) {
  std::unique_ptr<Cmd> cmd;
  {
    FakeExecutor executor(Host());
    cmd = executor.Command("nsenter",
                           Through(kNamespace, {"/bin/findmnt", "-n", "-o", "TARGET", "--", "/"}));
  }
  EXPECT_EQ(*cmd->Output(), "/\n");
}

// ---- An Nsenter over a materialized fake host ----

class FakeExecutorNsenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::shared_ptr<FakeHost> host = Host();
    ASSERT_TRUE(host->Materialize(root_.path()).ok());
    executor_ =
        std::make_shared<FakeExecutor>(host, FakeExecutorOptions{.host_root = root_.path()});
    Options options;
    options.host_root = root_.path();
    options.executor = executor_;
    options.log = [](int, std::string_view) {};
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
  }

  ErrorCode EvalError(const std::string& path, bool must_exist) const {
    Result<std::string> resolved = ns_->EvalSymlinks(path, must_exist);
    EXPECT_FALSE(resolved.ok()) << path << " -> " << (resolved.ok() ? *resolved : "");
    return resolved.ok() ? ErrorCode::kInternal : resolved.error().code();
  }

  TempDir root_;
  std::shared_ptr<FakeExecutor> executor_;
  std::unique_ptr<Nsenter> ns_;
};

TEST_F(FakeExecutorNsenterTest, DiscoveryRunsOnTheMaterializedTree) {
  EXPECT_EQ(ns_->AbsHostPath("mount"), "/bin/mount");
  EXPECT_EQ(ns_->AbsHostPath("sh"), "/bin/sh");
  EXPECT_EQ(ns_->AbsHostPath("realpath"), "/bin/realpath");
  EXPECT_FALSE(ns_->SupportsSystemd().found);
}

TEST_F(FakeExecutorNsenterTest, EvalSymlinksResultsAndErrors) {
  EXPECT_EQ(*ns_->EvalSymlinks("/bin/mount", true), "/usr/bin/mount");
  EXPECT_EQ(*ns_->EvalSymlinks("/var/run", true), "/run");  // Scripted.
  EXPECT_EQ(*ns_->EvalSymlinks("/var/lib/kubelet/sp ", true), "/var/lib/kubelet/sp ");
  EXPECT_EQ(*ns_->EvalSymlinks("/nonexist dir/x", false), "/nonexist dir/x");
  EXPECT_EQ(*ns_->EvalSymlinks("/loop/foo", false), "/loop/foo");
  EXPECT_EQ(EvalError("/nonexist dir/x", true), ErrorCode::kNotFound);
  EXPECT_EQ(EvalError("/usr/bin/mount/x", true), ErrorCode::kNotADirectory);
  EXPECT_EQ(EvalError("/loop", true), ErrorCode::kLoop);
}

TEST_F(FakeExecutorNsenterTest, EvalSymlinksRunsRealpathThroughNsenter) {
  ASSERT_TRUE(ns_->EvalSymlinks("/var/lib/kubelet/sp ", true).ok());
  const FakeCall call = executor_->Calls().back();
  EXPECT_EQ(call.program, "nsenter");
  EXPECT_THAT(call.args, ElementsAre("--mount=" + root_.path() + "/proc/1/ns/mnt", "--",
                                     "/bin/realpath", "-e", "--", "/var/lib/kubelet/sp "));
  ASSERT_TRUE(call.env.has_value());
  EXPECT_THAT(*call.env, Contains("LC_ALL=C"));
  EXPECT_EQ(call.answered_by, AnswerSource::kRealpathEmulation);
}

TEST_F(FakeExecutorNsenterTest, ExecGetsScriptedAnswersAndNsenterErrorClassification) {
  EXPECT_EQ(*ns_->Exec("findmnt", {"-n", "-o", "TARGET", "--", "/"})->Output(), "/\n");
  Result<std::string> mount = ns_->Exec("mount", {"--", "/dev/sdb1", "/mnt"})->Output();
  ASSERT_FALSE(mount.ok());
  EXPECT_EQ(mount.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(mount.error().exit_status(), 32);

  Result<std::string> ls = ns_->Exec("ls", {"-l"})->Output();
  ASSERT_FALSE(ls.ok());
  EXPECT_EQ(ls.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(ls.error().message(), HasSubstr("'/bin/ls' '-l'"));
}

}  // namespace
}  // namespace nsenter::fakehost
