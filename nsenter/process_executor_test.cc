#include "nsenter/process_executor.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"

namespace nsenter {
namespace {

using std::chrono::milliseconds;

// The helper program built from process_executor_test_child.cc.
std::string ChildPath() {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
         "/nsenter/process_executor_test_child";
}

// True when the test process has no child left to reap.
bool NoChildren() {
  errno = 0;
  return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

class ProcessExecutorTest : public ::testing::Test {
 protected:
  ProcessExecutor executor_;
};

TEST_F(ProcessExecutorTest, OutputReturnsStdoutByteForByte) {
  Result<std::string> out = executor_.Command("/bin/echo", {"-n", "a b\n c "})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "a b\n c ");
  EXPECT_TRUE(NoChildren());
}

TEST_F(ProcessExecutorTest, BareNameIsFoundOnPath) {
  Result<std::string> out = executor_.Command("echo", {"hello"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "hello\n");
}

TEST_F(ProcessExecutorTest, ArgumentsAreNotInterpretedByAShell) {
  Result<std::string> out = executor_.Command("/bin/echo", {"$HOME", "*", "a;b", "`x`"})->Output();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "$HOME * a;b `x`\n");
}

TEST_F(ProcessExecutorTest, NonZeroExitCarriesStatusAndOutput) {
  Result<std::string> out = executor_.Command("/bin/ls", {"--", "/no/such/path"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(out.error().exit_status(), 2);
  EXPECT_NE(out.error().stderr_data().find("/no/such/path"), std::string::npos);
  EXPECT_NE(out.error().message().find("'/bin/ls' exited with status 2"), std::string::npos);
  EXPECT_TRUE(NoChildren());
}

TEST_F(ProcessExecutorTest, RunReportsExitStatus) {
  EXPECT_TRUE(executor_.Command("/bin/true", {})->Run().ok());
  const Status status = executor_.Command(ChildPath(), {"exit", "7"})->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().exit_status(), 7);
}

TEST_F(ProcessExecutorTest, MissingProgramIsExecFailedNamingIt) {
  Result<std::string> out = executor_.Command("/no/such/program", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_EQ(out.error().message(), "cannot start '/no/such/program': No such file or directory");
  EXPECT_TRUE(NoChildren());
}

TEST_F(ProcessExecutorTest, MissingProgramOnPathIsExecFailed) {
  Result<std::string> out = executor_.Command("no-such-program-xyz", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_NE(out.error().message().find("'no-such-program-xyz'"), std::string::npos);
}

TEST_F(ProcessExecutorTest, NonExecutableProgramIsExecFailed) {
  fakehost::TempDir dir;
  const std::string script = dir.WriteFile("script", "#!/bin/sh\necho hi\n", 0644);
  Result<std::string> out = executor_.Command(script, {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_NE(out.error().message().find("Permission denied"), std::string::npos);
}

TEST_F(ProcessExecutorTest, StdinIsFed) {
  std::unique_ptr<Cmd> cmd = executor_.Command("/bin/cat", {});
  const std::string data(3 << 20, 'x');
  cmd->SetStdin(data);
  Result<std::string> out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, data);
}

TEST_F(ProcessExecutorTest, StdinDefaultsToDevNull) {
  Result<std::string> out = executor_.Command("/bin/cat", {})->Output();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "");
}

TEST_F(ProcessExecutorTest, WorkingDirectoryIsSet) {
  fakehost::TempDir dir;
  std::unique_ptr<Cmd> cmd = executor_.Command("/bin/pwd", {"-P"});
  cmd->SetDir(dir.path());
  Result<std::string> out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  char resolved[4096];
  ASSERT_NE(realpath(dir.path().c_str(), resolved), nullptr);
  EXPECT_EQ(*out, std::string(resolved) + "\n");
}

TEST_F(ProcessExecutorTest, MissingWorkingDirectoryIsNamed) {
  std::unique_ptr<Cmd> cmd = executor_.Command("/bin/pwd", {});
  cmd->SetDir("/no/such/dir");
  Result<std::string> out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_NE(out.error().message().find("in directory '/no/such/dir'"), std::string::npos);
}

// A directory that exists but that the caller may not search is named as
// the culprit, not the program. Root may search any directory, so the check
// runs as uid 65534 in a child process, in a directory (mode 0711) that it
// may cross, on a subdirectory of mode 0700 given relative to it.
TEST_F(ProcessExecutorTest, AWorkingDirectoryThatCannotBeSearchedIsNamed) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to change user";
  fakehost::TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0711), 0);
  ASSERT_EQ(chmod(dir.MakeDir("locked").c_str(), 0700), 0);
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(dir.path().c_str()) != 0 || setgroups(0, nullptr) != 0 ||
        setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) {
      _exit(2);
    }
    std::unique_ptr<Cmd> cmd = executor_.Command("/bin/true", {});
    cmd->SetDir("locked");
    const Status status = cmd->Run();
    const std::string text = status.ok() ? "ran" : status.error().ToString();
    _exit(write(report[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()) ? 0 : 3);
  }
  close(report[1]);
  char text[512] = {};
  const ssize_t n = read(report[0], text, sizeof text - 1);
  close(report[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "2: cannot become 65534";
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(text),
            "exec failed: cannot start '/bin/true' in directory 'locked': Permission denied");
}

TEST_F(ProcessExecutorTest, EnvironmentIsExactlyTheGivenOne) {
  std::unique_ptr<Cmd> cmd = executor_.Command("/usr/bin/env", {});
  cmd->SetEnv({"A=1", "B=two words"});
  Result<std::string> out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "A=1\nB=two words\n");
}

TEST_F(ProcessExecutorTest, EnvironmentIsInheritedByDefault) {
  ASSERT_EQ(setenv("NSENTER_TEST_MARKER", "inherited", 1), 0);
  Result<std::string> out = executor_.Command("/usr/bin/env", {})->Output();
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("NSENTER_TEST_MARKER=inherited\n"), std::string::npos);
}

TEST_F(ProcessExecutorTest, LargeOutputOnBothStreamsDoesNotDeadlock) {
  constexpr long kOut = 6 << 20;
  constexpr long kErr = 5 << 20;
  Result<std::string> out =
      executor_.Command(ChildPath(), {"write", std::to_string(kOut), std::to_string(kErr)})
          ->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->size(), static_cast<size_t>(kOut));
  EXPECT_EQ(out->find_first_not_of('o'), std::string::npos);
}

TEST_F(ProcessExecutorTest, LargeOutputIsKeptInTheErrorOfAFailedRun) {
  constexpr long kOut = 2 << 20;
  constexpr long kErr = 4 << 20;
  Result<std::string> out =
      executor_.Command(ChildPath(), {"write", std::to_string(kOut), std::to_string(kErr), "3"})
          ->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().exit_status(), 3);
  EXPECT_EQ(out.error().stdout_data().size(), static_cast<size_t>(kOut));
  EXPECT_EQ(out.error().stderr_data().size(), static_cast<size_t>(kErr));
  EXPECT_EQ(out.error().stderr_data().find_first_not_of('e'), std::string::npos);
}

TEST_F(ProcessExecutorTest, CombinedOutputHasBothStreams) {
  Result<std::string> out = executor_.Command(ChildPath(), {"write", "3", "2"})->CombinedOutput();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "oooee");
}

TEST_F(ProcessExecutorTest, RunSendsOutputToGivenDescriptors) {
  fakehost::TempDir dir;
  const std::string path = dir.path() + "/out";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  std::unique_ptr<Cmd> cmd = executor_.Command(ChildPath(), {"write", "4", "2"});
  cmd->SetStdout(fd);
  cmd->SetStderr(fd);
  ASSERT_TRUE(cmd->Run().ok());
  close(fd);
  Result<std::string> contents = executor_.Command("/bin/cat", {path})->Output();
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, "ooooee");
}

TEST_F(ProcessExecutorTest, ChildSeesOnlyStandardDescriptors) {
  // An inheritable descriptor of the caller, as a careless application has.
  const int leaked = open("/dev/null", O_RDONLY);
  ASSERT_GE(leaked, 0);
  const int high = dup2(leaked, 251);
  ASSERT_EQ(high, 251);
  Result<std::string> out = executor_.Command(ChildPath(), {"fds"})->Output();
  close(leaked);
  close(high);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "0\n1\n2\n");
}

// With the caller's 0, 1 and 2 closed, the descriptors it and the executor
// open take those numbers; the child still gets each where it belongs. The
// child process reports through its exit status.
TEST_F(ProcessExecutorTest, StandardDescriptorsOfTheCallerMayBeClosed) {
  fakehost::TempDir dir;
  const std::string path = dir.path() + "/out";
  const pid_t child = fork();
  if (child == 0) {
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
    close(STDERR_FILENO);
    std::unique_ptr<Cmd> cat = executor_.Command("/bin/cat", {});
    cat->SetStdin("fed");
    Result<std::string> out = cat->Output();
    if (!out.ok() || *out != "fed") _exit(1);
    const int file = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);  // Takes 0.
    std::unique_ptr<Cmd> echo = executor_.Command("/bin/echo", {"in the file"});
    echo->SetStdout(file);
    if (!echo->Run().ok()) _exit(2);
    char contents[32] = {};
    _exit(pread(file, contents, sizeof contents - 1, 0) >= 0 &&
                  std::string(contents) == "in the file\n"
              ? 0
              : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: stdin not fed, 2: echo failed, 3: not in the file";
}

TEST_F(ProcessExecutorTest, SignalledChildIsReported) {
  Result<std::string> out = executor_.Command(ChildPath(), {"kill-self"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kSignalled);
  EXPECT_NE(out.error().message().find("signal 9"), std::string::npos);
}

TEST_F(ProcessExecutorTest, TimeoutKillsTheWholeProcessGroup) {
  // Orphaned grandchildren come to this process, so they can be reaped here.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  std::unique_ptr<Cmd> cmd = executor_.Command(ChildPath(), {"pid-then-hang"});
  cmd->SetTimeout(milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> out = cmd->Output();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout);
  EXPECT_NE(out.error().message().find("300ms"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(10));

  // The grandchild was killed too: it is the one child left, dead by SIGKILL.
  const pid_t group = std::stoi(out.error().stdout_data());
  int status = 0;
  const pid_t reaped = waitpid(-1, &status, 0);
  ASSERT_GT(reaped, 0);
  EXPECT_NE(reaped, group);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(kill(-group, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_TRUE(NoChildren());
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

TEST_F(ProcessExecutorTest, ACmdRunsOnce) {
  std::unique_ptr<Cmd> cmd = executor_.Command("/bin/true", {});
  ASSERT_TRUE(cmd->Run().ok());
  const Status again = cmd->Run();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ProcessExecutorTest, NulBytesAreRejectedBeforeRunning) {
  fakehost::TempDir dir;
  const std::string marker = dir.path() + "/created";
  Result<std::string> out =
      executor_.Command("/usr/bin/touch", {std::string("--\0x", 4), marker})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "touch ran although its argv had a NUL byte";
}

}  // namespace
}  // namespace nsenter
