#include "nsenter/setns_executor.h"

#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using ::testing::HasSubstr;

// A process holding a mount namespace of its own, in which a tmpfs on
// `dir` holds a file `marker` that the test process cannot see.
class OtherMountNamespace {
 public:
  explicit OtherMountNamespace(const std::string& dir) {
    int ready[2];
    if (pipe(ready) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(ready[0]);
      const bool ok = unshare(CLONE_NEWNS) == 0 &&
                      mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
                      mount("tmpfs", dir.c_str(), "tmpfs", 0, nullptr) == 0 &&
                      (std::ofstream(dir + "/marker") << "only in the namespace\n").good() &&
                      mkdir((dir + "/sub").c_str(), 0755) == 0;
      const char status = ok ? 'y' : 'n';
      if (write(ready[1], &status, 1) != 1) _exit(1);
      pause();
      _exit(0);
    }
    close(ready[1]);
    char status = 'n';
    ok_ = read(ready[0], &status, 1) == 1 && status == 'y';
    close(ready[0]);
  }
  ~OtherMountNamespace() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool ok() const { return ok_; }
  std::string ns_file() const { return "/proc/" + std::to_string(pid_) + "/ns/mnt"; }

 private:
  pid_t pid_ = -1;
  bool ok_ = false;
};

class SetnsExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN to create a namespace";
    other_ = std::make_unique<OtherMountNamespace>(dir_.path());
    ASSERT_TRUE(other_->ok()) << "could not create a mount namespace";
    Result<std::shared_ptr<const SetnsExecutor>> executor =
        SetnsExecutor::Open({{NamespaceKind::kMount, other_->ns_file()}});
    ASSERT_TRUE(executor.ok()) << executor.error().ToString();
    executor_ = *executor;
  }

  TempDir dir_;
  std::unique_ptr<OtherMountNamespace> other_;
  std::shared_ptr<const SetnsExecutor> executor_;
};

TEST_F(SetnsExecutorTest, RunsTheProgramInTheNamespace) {
  // Invisible from here ...
  EXPECT_FALSE(std::ifstream(dir_.path() + "/marker").good());
  // ... but there for a command run in the namespace.
  Result<std::string> out = executor_->Command("/bin/cat", {dir_.path() + "/marker"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "only in the namespace\n");
}

TEST_F(SetnsExecutorTest, WorkingDirectoryIsResolvedInTheNamespace) {
  Result<std::string> out = executor_->Command("/bin/pwd", {})->Output();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "/\n");

  std::unique_ptr<Cmd> cmd = executor_->Command("/bin/pwd", {});
  cmd->SetDir(dir_.path() + "/sub");  // Exists only in the namespace.
  out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, dir_.path() + "/sub\n");

  cmd = executor_->Command("/bin/pwd", {});
  cmd->SetDir("/no/such/dir");
  out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(out.error().message(), HasSubstr("in directory '/no/such/dir'"));
}

TEST_F(SetnsExecutorTest, BareNamesAreFoundOnTheCommandsPath) {
  std::unique_ptr<Cmd> cmd = executor_->Command("cat", {dir_.path() + "/marker"});
  cmd->SetEnv({"PATH=/nonexistent:/usr/bin"});
  Result<std::string> out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "only in the namespace\n");
}

TEST_F(SetnsExecutorTest, StartFailuresAreDistinct) {
  Result<std::string> out = executor_->Command("/no/such/program", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(out.error().message(), HasSubstr("'/no/such/program' not found"));

  out = executor_->Command("no-such-program-xyz", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound);

  TempDir outside;  // Not under the namespace's tmpfs, so visible there too.
  const std::string script = outside.WriteFile("script", "#!/bin/sh\n", 0644);
  out = executor_->Command(script, {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kPermissionDenied);
}

// As execvp does for nsenter(1): a script without "#!" runs through /bin/sh.
TEST_F(SetnsExecutorTest, AFileWithoutAnExecutableFormatRunsThroughTheShell) {
  TempDir outside;  // Not under the namespace's tmpfs, so visible there too.
  const std::string script = outside.WriteFile("script", "echo \"$0 $1\"\n", 0755);
  Result<std::string> out = executor_->Command(script, {"arg"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, script + " arg\n");
}

TEST_F(SetnsExecutorTest, ChildSeesOnlyStandardDescriptors) {
  const int leaked = dup2(STDIN_FILENO, 250);  // Inheritable, as a careless caller has.
  ASSERT_EQ(leaked, 250);
  Result<std::string> out = executor_->Command("/bin/ls", {"/proc/self/fd"})->Output();
  close(leaked);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  // ls itself opens one descriptor (3) to read the directory.
  EXPECT_EQ(*out, "0\n1\n2\n3\n");
}

TEST_F(SetnsExecutorTest, WorksFromAMultithreadedCaller) {
  // setns(CLONE_NEWNS) fails with EINVAL in a multithreaded process; the
  // executor calls it only in its single-threaded child.
  std::vector<std::thread> threads;
  std::atomic<int> successes{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        Result<std::string> out =
            executor_->Command("/bin/cat", {dir_.path() + "/marker"})->Output();
        if (out.ok() && *out == "only in the namespace\n") ++successes;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(successes.load(), 80);
}

TEST_F(SetnsExecutorTest, WithoutCapSysAdminTheNamespaceIsRefused) {
  const pid_t child = fork();
  if (child == 0) {
    // Drop CAP_SYS_ADMIN from the effective set of this single process.
    __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &header, data) != 0) _exit(3);
    data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
    if (syscall(SYS_capset, &header, data) != 0) _exit(3);
    Result<std::string> out = executor_->Command("/bin/true", {})->Output();
    const bool refused = !out.ok() && out.error().code() == ErrorCode::kExecFailed &&
                         out.error().message().find("CAP_SYS_ADMIN") != std::string::npos;
    _exit(refused ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "setns without CAP_SYS_ADMIN was not reported as kExecFailed";
}

TEST(SetnsExecutorOpenTest, RejectsWhatIsNotAMountNamespace) {
  Result<std::shared_ptr<const SetnsExecutor>> missing =
      SetnsExecutor::Open({{NamespaceKind::kMount, "/no/such/ns"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("'/no/such/ns'"));

  TempDir dir;
  const std::string file = dir.WriteFile("mnt");
  Result<std::shared_ptr<const SetnsExecutor>> regular =
      SetnsExecutor::Open({{NamespaceKind::kMount, file}});
  ASSERT_FALSE(regular.ok());
  EXPECT_EQ(regular.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(regular.error().message(), HasSubstr("is not a mount namespace"));

  Result<std::shared_ptr<const SetnsExecutor>> network =
      SetnsExecutor::Open({{NamespaceKind::kMount, "/proc/self/ns/net"}});
  ASSERT_FALSE(network.ok());
  EXPECT_THAT(network.error().message(), HasSubstr("'/proc/self/ns/net' is not a mount namespace"));

  Result<std::shared_ptr<const SetnsExecutor>> pid =
      SetnsExecutor::Open({{NamespaceKind::kPid, "/proc/self/ns/pid"}});
  ASSERT_FALSE(pid.ok());
  EXPECT_THAT(pid.error().message(), HasSubstr("use the nsenter backend"));
}

TEST(SetnsExecutorOpenTest, EntersOtherKindsToo) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  // This process's own UTS namespace: entering it changes nothing visible,
  // but proves the kind is accepted and entered.
  Result<std::shared_ptr<const SetnsExecutor>> executor =
      SetnsExecutor::Open({{NamespaceKind::kUts, "/proc/self/ns/uts"},
                           {NamespaceKind::kNet, "/proc/self/ns/net"}});
  ASSERT_TRUE(executor.ok()) << executor.error().ToString();
  Result<std::string> out = (*executor)->Command("/bin/echo", {"ok"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "ok\n");
}

}  // namespace
}  // namespace nsenter
