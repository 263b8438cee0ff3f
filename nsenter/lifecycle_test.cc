// The lifecycle of a host command (exec.h): Start, Wait, Stop, streamed
// output and cancellation from another thread, with each backend. Both enter
// this process's own mount namespace, which needs root with CAP_SYS_ADMIN;
// elsewhere the tests are skipped.
//
// Deadlines here only guard against hangs; they are far longer than any of
// these commands needs.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/nsenter.h"
#include "nsenter/testing/self_backend_test.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using hardening::BackendName;
using hardening::NoChildrenLeft;
using hardening::RealPath;
using hardening::SelfOptions;
using ::testing::HasSubstr;

using Clock = std::chrono::steady_clock;

// A guard against hangs, never a measure of speed.
constexpr auto kHangGuard = std::chrono::seconds(30);

// The text a command streams, and a way to wait for some of it.
class StreamedText {
 public:
  OutputHandler Handler() {
    return [this](std::string_view chunk) {
      std::lock_guard<std::mutex> lock(mutex_);
      text_.append(chunk);
      changed_.notify_all();
    };
  }
  // Waits until the text holds a complete line; returns it, or "" after the guard.
  std::string AwaitLine() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, kHangGuard, [this] { return text_.find('\n') != std::string::npos; });
    const size_t end = text_.find('\n');
    return end == std::string::npos ? "" : text_.substr(0, end);
  }
  std::string text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
};

// True when no process `pid` exists (it was reaped).
bool Gone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

class LifecycleTest : public testing_support::SelfBackendTest {
 protected:
  TempDir dir_;
};

TEST_P(LifecycleTest, StreamedLineArrivesBeforeTheProgramEnds) {
  // The program ends only once the handler, having seen its first line,
  // creates the file it waits for: without streaming, Wait would never end
  // (the timeout would then fail the test).
  const std::string release = RealPath(dir_.path()) + "/release";
  std::unique_ptr<Cmd> cmd = Child({"line-then-await", release});
  cmd->SetTimeout(kHangGuard);
  std::string streamed;
  cmd->SetStdoutHandler([&](std::string_view chunk) {
    if (streamed.empty()) {
      EXPECT_EQ(chunk, "line\n");
      std::ofstream(release) << "go\n";
    }
    streamed.append(chunk);
  });
  ASSERT_TRUE(cmd->Start().ok());
  const Status ended = cmd->Wait();
  EXPECT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(streamed, "line\nend\n");
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, StderrStreamsToItsHandler) {
  std::unique_ptr<Cmd> cmd = Child({"write", "3", "2", "4"});
  std::string out, err;
  cmd->SetStdoutHandler([&](std::string_view chunk) { out.append(chunk); });
  cmd->SetStderrHandler([&](std::string_view chunk) { err.append(chunk); });
  const Status status = cmd->Run();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(status.error().exit_status(), 4);
  EXPECT_EQ(out, "ooo");
  EXPECT_EQ(err, "ee");
  EXPECT_EQ(status.error().stderr_data(), "") << "a streamed stream is not also captured";
}

TEST_P(LifecycleTest, StopFromAnotherThreadEndsABlockedWait) {
  std::unique_ptr<Cmd> cmd = Child({"pid-then-hang"});
  StreamedText pid;
  cmd->SetStdoutHandler(pid.Handler());
  ASSERT_TRUE(cmd->Start().ok());
  Status ended;
  std::thread waiter([&] { ended = cmd->Wait(); });
  // The pid is streamed by Wait's loop: Wait is running, blocked on a
  // program that never ends by itself.
  const std::string line = pid.AwaitLine();
  ASSERT_NE(line, "");
  cmd->Stop();
  waiter.join();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped) << ended.error().ToString();
  // Through nsenter too, the stopped program is the host program.
  EXPECT_THAT(ended.error().message(), HasSubstr("process_executor_test_child"));
  EXPECT_TRUE(Gone(std::stoi(line)));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, StopKillsAProgramThatIgnoresSigtermAfterTheGracePeriod) {
  std::unique_ptr<Cmd> cmd = Child({"ignore-term"});
  StreamedText pid;
  cmd->SetStdoutHandler(pid.Handler());
  cmd->SetStopGracePeriod(std::chrono::milliseconds(100));
  ASSERT_TRUE(cmd->Start().ok());
  Status ended;
  std::thread waiter([&] { ended = cmd->Wait(); });
  const std::string line = pid.AwaitLine();  // SIGTERM is ignored from now on.
  ASSERT_NE(line, "");
  const Clock::time_point stop = Clock::now();
  cmd->Stop();
  EXPECT_LT(Clock::now() - stop, kHangGuard);
  waiter.join();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped) << ended.error().ToString();
  EXPECT_TRUE(Gone(std::stoi(line))) << "Stop returns once the program is reaped";
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, StopWithoutWaitSendsSigtermFirstAndReaps) {
  const std::string ready = RealPath(dir_.path()) + "/ready";
  std::unique_ptr<Cmd> cmd = ns_->Exec(
      "/bin/sh", {"-c", "trap 'echo term >&2; exit 0' TERM; touch \"$0\"; "
                        "while :; do sleep 1; done",
                  ready});
  cmd->SetStopGracePeriod(kHangGuard);
  ASSERT_TRUE(cmd->Start().ok());
  const Clock::time_point start = Clock::now();
  while (!std::ifstream(ready).good() && Clock::now() - start < kHangGuard) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // The trap is set. Nobody waits: Stop itself supervises the program,
  // which ends on SIGTERM, and reaps it.
  cmd->Stop();
  EXPECT_TRUE(NoChildrenLeft());
  const Status ended = cmd->Wait();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  // The shell may first report its `sleep` ended by the same SIGTERM.
  EXPECT_THAT(ended.error().stderr_data(), ::testing::EndsWith("term\n"));
  EXPECT_EQ(cmd->Wait().error().code(), ErrorCode::kInvalidArgument) << "Wait twice";
  cmd->Stop();  // Nothing left to stop: a no-op.
}

TEST_P(LifecycleTest, StopFromAHandlerEndsTheProgram) {
  std::unique_ptr<Cmd> cmd = Child({"pid-then-hang"});
  Cmd* const raw = cmd.get();
  cmd->SetStdoutHandler([raw](std::string_view) { raw->Stop(); });
  const Status ended = cmd->Run();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, StopBeforeStartRunsNothing) {
  const std::string marker = RealPath(dir_.path()) + "/ran";
  std::unique_ptr<Cmd> cmd = ns_->Exec("/bin/touch", {marker});
  cmd->Stop();
  const Status started = cmd->Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code(), ErrorCode::kStopped);
  EXPECT_THAT(started.error().message(), HasSubstr("nothing ran"));
  // Through nsenter too, the message names the host program.
  EXPECT_THAT(started.error().message(), HasSubstr("'/bin/touch' was stopped before it started"));
  EXPECT_FALSE(std::ifstream(marker).good());
  EXPECT_EQ(cmd->Wait().error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(LifecycleTest, MisuseIsAnErrorThatLeavesTheCommandAlone) {
  std::unique_ptr<Cmd> cmd = Child({"exit", "3"});
  const Status early = cmd->Wait();
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(early.error().message(), HasSubstr("was not started"));

  ASSERT_TRUE(cmd->Start().ok());
  const Status twice = cmd->Start();
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(twice.error().message(), HasSubstr("already started"));
  EXPECT_EQ(cmd->Run().error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cmd->Output().error().code(), ErrorCode::kInvalidArgument);

  const Status ended = cmd->Wait();  // The first Start's program, undisturbed.
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(ended.error().exit_status(), 3);
  const Status again = cmd->Wait();
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.error().message(),
              HasSubstr("process_executor_test_child' was already waited for"));
}

TEST_P(LifecycleTest, AFailedStartCannotBeWaitedFor) {
  std::unique_ptr<Cmd> cmd = Child({"exit", "0"});
  cmd->SetDir(std::string("/a\0b", 4));
  const Status started = cmd->Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code(), ErrorCode::kInvalidArgument) << started.error().ToString();
  const Status waited = cmd->Wait();
  ASSERT_FALSE(waited.ok());
  EXPECT_THAT(waited.error().message(), HasSubstr("was not started"));
  cmd->Stop();
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, DestroyingAStartedCommandStopsAndReapsIt) {
  std::unique_ptr<Cmd> cmd = Child({"pid-then-hang"});
  ASSERT_TRUE(cmd->Start().ok());
  cmd.reset();
  EXPECT_TRUE(NoChildrenLeft());
}

// Issue: only the child's process group was signalled, and the child was
// then waited for without bound: a child that left its group ran on.
TEST_P(LifecycleTest, TimeoutKillsAChildThatLeftItsProcessGroup) {
  std::unique_ptr<Cmd> cmd = Child({"leave-group", "20000"});
  cmd->SetTimeout(std::chrono::milliseconds(300));
  const Clock::time_point start = Clock::now();
  const Result<std::string> out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout) << out.error().ToString();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(15)) << "the child ran to its own end";
  EXPECT_THAT(out.error().stdout_data(), ::testing::Not(HasSubstr("slept")));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(LifecycleTest, StopKillsAChildThatLeftItsProcessGroup) {
  std::unique_ptr<Cmd> cmd = Child({"leave-group", "20000"});
  StreamedText pid;
  cmd->SetStdoutHandler(pid.Handler());
  ASSERT_TRUE(cmd->Start().ok());
  std::thread stopper([&] {
    if (pid.AwaitLine().empty()) ADD_FAILURE() << "no pid printed";
    cmd->Stop();
  });
  const Clock::time_point start = Clock::now();
  const Status ended = cmd->Wait();
  stopper.join();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(15)) << "the child ran to its own end";
  EXPECT_THAT(pid.text(), ::testing::Not(HasSubstr("slept")));
  EXPECT_TRUE(NoChildrenLeft());
}

// Whether process `pid` has ended: gone, or a zombie left to its new parent.
bool Ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t name_end = line.rfind(')');
  return name_end != std::string::npos && line.compare(name_end, 4, ") Z ") == 0;
}

// Issue: through nsenter with a PID namespace, nsenter forks and the host
// program is its child in the same process group. Stop's SIGTERM ended
// nsenter, Stop returned, and a program that ignores SIGTERM ran on,
// re-parented. Stop now ends the whole group.
TEST_P(LifecycleTest, StopEndsTheProgramThatNsenterForked) {
  if (GetParam() == Backend::kNative) GTEST_SKIP() << "natively, no PID namespace is entered";
  Options options = hardening::SelfOptions(Backend::kNsenter);
  options.namespaces = {NamespaceKind::kMount, NamespaceKind::kPid};
  options.namespace_files[NamespaceKind::kPid] = "/proc/self/ns/pid";  // nsenter then forks.
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  std::unique_ptr<Cmd> cmd =
      (*ns)->Exec("/bin/sh", {"-c", "trap '' TERM INT; echo $$; exec sleep 60"});
  StreamedText pid;
  cmd->SetStdoutHandler(pid.Handler());
  cmd->SetStopGracePeriod(std::chrono::milliseconds(300));
  ASSERT_TRUE(cmd->Start().ok());
  Status ended;
  std::thread waiter([&] { ended = cmd->Wait(); });
  const std::string line = pid.AwaitLine();
  cmd->Stop();
  waiter.join();
  ASSERT_NE(line, "");
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped) << ended.error().ToString();
  // SIGKILL is delivered, not awaited: give the kernel a moment.
  const pid_t program = std::stoi(line);
  const Clock::time_point stopped = Clock::now();
  while (!Ended(program) && Clock::now() - stopped < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(Ended(program)) << "the program nsenter forked outlived Stop";
  if (!Ended(program)) kill(program, SIGKILL);
  EXPECT_TRUE(NoChildrenLeft());
}

// Stop's signal is the one the caller gives: an interrupt passed on arrives
// as SIGINT, not SIGTERM.
TEST_P(LifecycleTest, StopSendsTheSignalGivenFirst) {
  const std::string ready = RealPath(dir_.path()) + "/ready";
  std::unique_ptr<Cmd> cmd = ns_->Exec(
      "/bin/sh", {"-c", "trap 'echo INT; exit 0' INT; trap 'echo TERM; exit 0' TERM; "
                        "touch \"$0\"; while :; do sleep 1; done",
                  ready});
  StreamedText out;
  cmd->SetStdoutHandler(out.Handler());
  cmd->SetStopGracePeriod(kHangGuard);
  ASSERT_TRUE(cmd->Start().ok());
  const Clock::time_point start = Clock::now();
  while (!std::ifstream(ready).good() && Clock::now() - start < kHangGuard) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  cmd->Stop(SIGINT);
  cmd->Stop(SIGTERM);  // Only the first counts.
  const Status ended = cmd->Wait();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  EXPECT_EQ(out.text(), "INT\n");
  EXPECT_TRUE(NoChildrenLeft());
}

// A program reading the terminal it was given as stdin gets the terminal's
// foreground (it was stopped by SIGTTIN, and the run hung until its
// timeout), and the caller has the terminal back afterwards.
TEST_P(LifecycleTest, AProgramReadsTheCallersTerminal) {
  int terminal = -1;
  const pid_t child = forkpty(&terminal, nullptr, nullptr, nullptr);
  ASSERT_GE(child, 0) << "forkpty: " << std::strerror(errno);
  if (child == 0) {  // A session whose controlling terminal is stdin.
    std::unique_ptr<Cmd> cmd = ns_->Exec("/bin/sh", {"-c", "read line && echo \"got $line\""});
    cmd->SetStdinFd(STDIN_FILENO);
    cmd->SetStdout(STDOUT_FILENO);
    cmd->SetTimeout(std::chrono::seconds(20));
    const Status status = cmd->Run();
    if (!status.ok()) _exit(1);
    _exit(tcgetpgrp(STDIN_FILENO) == getpgrp() ? 0 : 2);
  }
  const std::string line = "hello\n";
  ASSERT_EQ(write(terminal, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  std::string seen;
  const Clock::time_point start = Clock::now();
  while (seen.find("got hello") == std::string::npos && Clock::now() - start < kHangGuard) {
    pollfd ready = {terminal, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    char buffer[256];
    const ssize_t n = read(terminal, buffer, sizeof buffer);
    if (n <= 0) break;
    seen.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  close(terminal);
  EXPECT_THAT(seen, HasSubstr("got hello"));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the run failed; 2: the terminal was not given back";
}

// Issue: a process that ignored SIGCHLD had its children reaped by the
// kernel, and every run came back OK: an exit 3, a missing program, a kill.
TEST_P(LifecycleTest, IgnoredSigchldIsRefusedNotReportedAsSuccess) {
  const std::string marker = RealPath(dir_.path()) + "/ran";
  struct sigaction ignore = {}, no_wait = {}, saved;
  ignore.sa_handler = SIG_IGN;
  no_wait.sa_handler = SIG_DFL;
  no_wait.sa_flags = SA_NOCLDWAIT;
  for (const struct sigaction& action : {ignore, no_wait}) {
    ASSERT_EQ(sigaction(SIGCHLD, &action, &saved), 0);
    const Status status = ns_->Exec("/bin/sh", {"-c", "touch \"$0\"; exit 3", marker})->Run();
    ASSERT_EQ(sigaction(SIGCHLD, &saved, nullptr), 0);
    ASSERT_FALSE(status.ok()) << "an exit 3 became success";
    EXPECT_EQ(status.error().code(), ErrorCode::kExecFailed) << status.error().ToString();
    EXPECT_THAT(status.error().message(), HasSubstr("cannot start '/bin/sh'"));
    EXPECT_THAT(status.error().message(), HasSubstr("ignores SIGCHLD"));
    EXPECT_FALSE(std::ifstream(marker).good()) << "nothing runs";
  }
}

TEST_P(LifecycleTest, SigchldIgnoredWhileAProgramRunsLosesItsStatusAndSaysSo) {
  const std::string release = RealPath(dir_.path()) + "/release";
  std::unique_ptr<Cmd> cmd = Child({"line-then-await", release});
  StreamedText line;
  cmd->SetStdoutHandler(line.Handler());
  cmd->SetTimeout(kHangGuard);
  ASSERT_TRUE(cmd->Start().ok());
  Status ended;
  std::thread waiter([&] { ended = cmd->Wait(); });
  ASSERT_NE(line.AwaitLine(), "");
  struct sigaction ignore = {}, saved;
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGCHLD, &ignore, &saved), 0);
  std::ofstream(release) << "go\n";  // The program exits 0; the kernel reaps it.
  waiter.join();
  ASSERT_EQ(sigaction(SIGCHLD, &saved, nullptr), 0);
  ASSERT_FALSE(ended.ok()) << "a status never collected is not success";
  EXPECT_EQ(ended.error().code(), ErrorCode::kInternal) << ended.error().ToString();
  EXPECT_THAT(ended.error().message(), HasSubstr("exit status was lost"));
  EXPECT_THAT(ended.error().message(), HasSubstr("process_executor_test_child"));
}

// Issue: poll(2) takes an int of milliseconds; a longer wait wrapped around
// (2^32 + 200 ms fired after 0.2 s).
TEST_P(LifecycleTest, TimeoutsLongerThanPollCanWaitDoNotWrap) {
  for (const std::chrono::milliseconds timeout :
       {std::chrono::milliseconds((int64_t{1} << 32) + 200), std::chrono::milliseconds::max()}) {
    std::unique_ptr<Cmd> cmd = ns_->Exec("/bin/sleep", {"0.5"});
    cmd->SetTimeout(timeout);
    const Status status = cmd->Run();
    EXPECT_TRUE(status.ok()) << timeout.count() << "ms: " << status.error().ToString();
  }
}

TEST_P(LifecycleTest, GracePeriodsLongerThanPollCanWaitDoNotWrap) {
  // On SIGTERM the shell takes a while, then leaves a mark: a SIGKILL that
  // came early (2^32 + 100 ms wrapped to 100 ms) would leave none.
  const std::string ready = RealPath(dir_.path()) + "/ready";
  const std::string done = RealPath(dir_.path()) + "/done";
  std::unique_ptr<Cmd> cmd = ns_->Exec(
      "/bin/sh", {"-c", "trap 'sleep 1; touch \"$1\"; exit 7' TERM; touch \"$0\"; "
                        "while :; do sleep 0.1; done",
                  ready, done});
  cmd->SetStopGracePeriod(std::chrono::milliseconds((int64_t{1} << 32) + 100));
  ASSERT_TRUE(cmd->Start().ok());
  const Clock::time_point start = Clock::now();
  while (!std::ifstream(ready).good() && Clock::now() - start < kHangGuard) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  cmd->Stop();
  EXPECT_TRUE(std::ifstream(done).good()) << "SIGKILL came before the grace period ended";
  EXPECT_EQ(cmd->Wait().error().code(), ErrorCode::kStopped);
}

TEST_P(LifecycleTest, NonPositiveTimeoutsAndNegativeGracePeriodsAreRefused) {
  const std::string marker = RealPath(dir_.path()) + "/ran";
  using std::chrono::milliseconds;
  const struct {
    std::optional<milliseconds> timeout;
    milliseconds grace_period;
    std::string message;
  } cases[] = {
      {milliseconds(0), kDefaultStopGracePeriod, "the timeout of '/bin/touch', 0ms, is not positive"},
      {milliseconds(-5), kDefaultStopGracePeriod, "the timeout of '/bin/touch', -5ms, is not positive"},
      {std::nullopt, milliseconds(-1), "the stop grace period of '/bin/touch', -1ms, is negative"},
  };
  for (const auto& [timeout, grace_period, message] : cases) {
    std::unique_ptr<Cmd> cmd = ns_->Exec("/bin/touch", {marker});
    if (timeout) cmd->SetTimeout(*timeout);
    cmd->SetStopGracePeriod(grace_period);
    const Status started = cmd->Start();
    ASSERT_FALSE(started.ok()) << message;
    EXPECT_EQ(started.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(started.error().message(), message);
    EXPECT_FALSE(std::ifstream(marker).good()) << "nothing runs";
  }
}

TEST_P(LifecycleTest, AZeroGracePeriodKillsRightAfterSigterm) {
  std::unique_ptr<Cmd> cmd = Child({"ignore-term"});
  StreamedText pid;
  cmd->SetStdoutHandler(pid.Handler());
  cmd->SetStopGracePeriod(std::chrono::milliseconds(0));
  ASSERT_TRUE(cmd->Start().ok());
  std::thread stopper([&] {
    if (pid.AwaitLine().empty()) ADD_FAILURE() << "no pid printed";
    cmd->Stop();
  });
  const Status ended = cmd->Wait();
  stopper.join();
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().code(), ErrorCode::kStopped);
  EXPECT_TRUE(NoChildrenLeft());
}

// Issue: a throwing handler left Wait with the program running and
// unreaped, and the Cmd's destructor then returned at once.
TEST_P(LifecycleTest, AThrowingHandlerLeavesNoProgramBehind) {
  std::unique_ptr<Cmd> cmd = Child({"pid-then-hang"});
  std::string pid;
  cmd->SetStdoutHandler([&](std::string_view chunk) {
    pid.append(chunk);
    throw std::runtime_error("handler failed");
  });
  EXPECT_THROW((void)cmd->Run(), std::runtime_error);
  ASSERT_FALSE(pid.empty());
  EXPECT_TRUE(Gone(std::stoi(pid))) << "killed and reaped during the unwinding";
  EXPECT_TRUE(NoChildrenLeft());
  cmd.reset();
  EXPECT_TRUE(NoChildrenLeft());
}

// Issue: through nsenter, an unusable descriptor was "cannot start 'nsenter'".
TEST_P(LifecycleTest, ADescriptorThatIsNotOpenIsRefusedNamingTheHostProgram) {
  const std::string marker = RealPath(dir_.path()) + "/ran";
  const int closed = dup(STDERR_FILENO);
  ASSERT_GE(closed, 0);
  ASSERT_EQ(close(closed), 0);
  const struct {
    void (Cmd::*set)(int);
    std::string stream;
  } streams[] = {{&Cmd::SetStdinFd, "standard input"},
                 {&Cmd::SetStdout, "standard output"},
                 {&Cmd::SetStderr, "standard error"}};
  for (const auto& [set, stream] : streams) {
    std::unique_ptr<Cmd> cmd = ns_->Exec("/bin/touch", {marker});
    ((*cmd).*set)(closed);
    const Status status = cmd->Run();
    ASSERT_FALSE(status.ok()) << stream;
    EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument) << status.error().ToString();
    EXPECT_EQ(status.error().message(), "cannot start '/bin/touch': its " + stream +
                                            ", descriptor " + std::to_string(closed) +
                                            ", is not open");
    EXPECT_FALSE(std::ifstream(marker).good()) << "nothing runs";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LifecycleTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace nsenter
