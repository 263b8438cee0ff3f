// Faults while running host commands, through the Nsenter facade with each
// backend — the real nsenter(1) and setns(2), both entering this process's
// own mount namespace: a missing nsenter program; a host program that is
// missing (nsenter exits 127) or not executable (126); a child killed by a
// signal; one that outlives its deadline with a grandchild; one that closes
// its stdout early; 100 MiB of output; signals interrupting every wait; a
// fork that fails; another thread forking during starts; close_range(2)
// refused by a seccomp filter; and a caller whose 0, 1 and 2 are closed.
// Each is a distinct, clear error, and no child is left behind
// (hostile-inputs.md D4, E4, and section 5, idea 35).
//
// Everything but the missing nsenter program needs root with CAP_SYS_ADMIN;
// elsewhere those tests are skipped.
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/testing/self_backend_test.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using hardening::BackendName;
using hardening::NoChildrenLeft;
using hardening::RunInForkedChild;
using hardening::SelfOptions;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

using Clock = std::chrono::steady_clock;

// D4: the nsenter program is looked up when a command starts, never run
// through a shell; missing, it is kExecFailed naming it, and nothing is left.
TEST(MissingNsenterTest, IsExecFailedNamingTheProgram) {
  for (const std::string program : {"/no/such/nsenter", "no-such-nsenter-xyz"}) {
    Options options = SelfOptions(Backend::kNsenter);
    options.nsenter_program = program;
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();

    Result<std::string> out = (*ns)->Exec("ls", {"/"})->Output();
    ASSERT_FALSE(out.ok()) << program;
    EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed) << out.error().ToString();
    EXPECT_THAT(out.error().message(), HasSubstr(Quote(program)));
    EXPECT_THAT(out.error().message(), HasSubstr("No such file or directory"));

    Result<std::string> resolved = (*ns)->EvalSymlinks("/usr", true);
    ASSERT_FALSE(resolved.ok()) << program;
    EXPECT_EQ(resolved.error().code(), ErrorCode::kExecFailed) << resolved.error().ToString();
    EXPECT_THAT(resolved.error().message(), HasSubstr("'/usr'"));
    EXPECT_THAT(resolved.error().message(), HasSubstr(Quote(program)));
    EXPECT_TRUE(NoChildrenLeft());
  }
}

// Host commands through each backend on this machine.
using FaultTest = testing_support::SelfBackendTest;

// E4: "does not exist" on the host, distinct from nsenter's own failures
// (nsenter exits 127: hostile-inputs.md E5).
TEST_P(FaultTest, AMissingHostProgramIsNotFound) {
  for (const std::string program : {"/no/such/program", "no-such-program-xyz"}) {
    Result<std::string> out = ns_->Exec(program, {})->Output();
    ASSERT_FALSE(out.ok()) << program;
    EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();
    EXPECT_THAT(out.error().message(), HasSubstr(Quote(program)));
    EXPECT_FALSE(out.error().has_exit_status()) << "it never ran, in both backends";
  }
  EXPECT_TRUE(NoChildrenLeft());
}

// E4: "cannot be executed" (nsenter exits 126: hostile-inputs.md E5): a file
// without an exec bit, and a directory.
TEST_P(FaultTest, AHostProgramThatCannotBeExecutedIsPermissionDenied) {
  TempDir dir;
  const std::string script = hardening::RealPath(dir.WriteFile("script", "#!/bin/sh\n", 0644));
  for (const std::string& program : {script, hardening::RealPath(dir.path())}) {
    Result<std::string> out = ns_->Exec(program, {})->Output();
    ASSERT_FALSE(out.ok()) << program;
    EXPECT_EQ(out.error().code(), ErrorCode::kPermissionDenied) << out.error().ToString();
    EXPECT_THAT(out.error().message(), HasSubstr(Quote(program)));
    EXPECT_FALSE(out.error().has_exit_status()) << "it never ran, in both backends";
  }
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_P(FaultTest, AChildKilledByASignalIsSignalled) {
  Result<std::string> out = Child({"kill-self"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kSignalled) << out.error().ToString();
  EXPECT_THAT(out.error().message(), HasSubstr("signal 9"));
  EXPECT_TRUE(NoChildrenLeft());
}

// A child that outlives its deadline is killed with its process group: its
// grandchild too. Orphans come to this process (a subreaper), so both can be
// seen reaped.
TEST_P(FaultTest, AChildPastItsDeadlineIsKilledWithItsProcessGroup) {
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  std::unique_ptr<Cmd> cmd = Child({"pid-then-hang"});
  cmd->SetTimeout(milliseconds(300));
  const auto start = Clock::now();
  Result<std::string> out = cmd->Output();
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout) << out.error().ToString();
  EXPECT_THAT(out.error().message(), HasSubstr("300ms"));
  EXPECT_LT(elapsed, std::chrono::seconds(5));

  // The grandchild is the one child left, killed by SIGKILL.
  const pid_t group = std::stoi(out.error().stdout_data());
  int status = 0;
  const pid_t reaped = waitpid(-1, &status, 0);
  EXPECT_GT(reaped, 0);
  EXPECT_NE(reaped, group);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(kill(-group, 0), -1);
  EXPECT_TRUE(NoChildrenLeft());
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

// The end of stdout is not the end of the run: the child is waited for, its
// status and stderr kept, and its deadline still applies.
TEST_P(FaultTest, AChildThatClosesItsStdoutEarlyIsWaitedFor) {
  auto start = Clock::now();
  Result<std::string> out = Child({"close-stdout", "200", "0"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "open\n");
  EXPECT_GE(Clock::now() - start, milliseconds(200));

  out = Child({"close-stdout", "200", "3"})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(out.error().exit_status(), 3);
  EXPECT_EQ(out.error().stdout_data(), "open\n");
  EXPECT_EQ(out.error().stderr_data(), "closed\n");

  std::unique_ptr<Cmd> cmd = Child({"close-stdout", "60000", "0"});
  cmd->SetTimeout(milliseconds(300));
  start = Clock::now();
  out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout) << out.error().ToString();
  EXPECT_EQ(out.error().stdout_data(), "open\n");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(NoChildrenLeft());
}

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer checks every byte copied (10 MB/s here): 16 MiB still
// spans hundreds of pipe buffers.
constexpr size_t kLargeOutput = size_t{16} << 20;
#else
constexpr size_t kLargeOutput = size_t{100} << 20;
#endif

// 100 MiB on stdout arrive whole, and quickly.
TEST_P(FaultTest, ALargeOutputIsCapturedWhole) {
  const auto start = Clock::now();
  Result<std::string> out = Child({"write", std::to_string(kLargeOutput), "0"})->Output();
  const auto elapsed = Clock::now() - start;
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->size(), kLargeOutput);
  EXPECT_EQ(out->find_first_not_of('o'), std::string::npos);
  // Pipes move gigabytes per second; seconds would mean a quadratic copy.
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  RecordProperty("milliseconds",
                 static_cast<int>(std::chrono::duration_cast<milliseconds>(elapsed).count()));
}

std::atomic<int> interruptions{0};
void CountInterruption(int) { ++interruptions; }

// Signals without SA_RESTART make every blocking call of the waiting thread
// fail with EINTR, over and over, while the child sleeps 300 ms.
TEST_P(FaultTest, SignalsInterruptingTheWaitsDoNotFailTheRun) {
  struct sigaction action = {};
  action.sa_handler = CountInterruption;  // No SA_RESTART.
  struct sigaction previous = {};
  ASSERT_EQ(sigaction(SIGUSR1, &action, &previous), 0);
  interruptions = 0;
  const pthread_t waiter = pthread_self();
  std::atomic<bool> running{true};
  std::thread interrupter([&] {
    while (running) {
      pthread_kill(waiter, SIGUSR1);
      std::this_thread::sleep_for(milliseconds(1));
    }
  });

  std::unique_ptr<Cmd> cmd = Child({"sleep", "300"});
  cmd->SetStdin("input");
  cmd->SetTimeout(std::chrono::seconds(30));
  Result<std::string> out = cmd->Output();

  running = false;
  interrupter.join();
  sigaction(SIGUSR1, &previous, nullptr);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "slept\n");
  EXPECT_GT(interruptions.load(), 0);
  EXPECT_TRUE(NoChildrenLeft());
}

// With no process left to the user (RLIMIT_NPROC 0, as uid 65534, which the
// limit binds, unlike root), the child cannot be created: kExecFailed naming
// the program that was to start and the reason.
TEST_P(FaultTest, AFailedForkIsExecFailedNamingTheProgram) {
  const std::string report = RunInForkedChild([this] {
    if (setresuid(65534, 65534, 65534) != 0) return std::string("setresuid: ") + strerror(errno);
    const rlimit none = {0, 0};
    if (setrlimit(RLIMIT_NPROC, &none) != 0) return std::string("setrlimit: ") + strerror(errno);
    const Status status = ns_->Exec("/bin/true", {})->Run();
    if (status.ok()) return std::string("ran");
    return std::string(ErrorCodeName(status.error().code())) + ": " + status.error().message();
  });
  // Through nsenter, the program that cannot start is nsenter itself.
  const std::string program = ThroughNsenter() ? "nsenter" : "/bin/true";
  EXPECT_THAT(report, ::testing::StartsWith(std::string(ErrorCodeName(ErrorCode::kExecFailed))));
  EXPECT_THAT(report, HasSubstr(Quote(program)));
  EXPECT_THAT(report, HasSubstr("Resource temporarily unavailable"));
  EXPECT_TRUE(NoChildrenLeft());
}

// A thread of the caller that forks children living `life` each, one every
// millisecond, until destroyed (at most 300 of them); it then kills and
// reaps them. A fork inherits every descriptor the caller has at that
// moment, including any a command start holds open.
class ConcurrentForker {
 public:
  explicit ConcurrentForker(std::chrono::seconds life)
      : thread_([this, life] {
          const timespec sleep_for = {static_cast<time_t>(life.count()), 0};
          while (!stop_ && children_.size() < 300) {
            const pid_t pid = fork();
            if (pid == 0) {
              nanosleep(&sleep_for, nullptr);
              _exit(0);
            }
            if (pid > 0) children_.push_back(pid);
            std::this_thread::sleep_for(milliseconds(1));
          }
        }) {}
  ~ConcurrentForker() {
    stop_ = true;
    thread_.join();
    for (const pid_t pid : children_) {
      kill(pid, SIGKILL);
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<pid_t> children_;
  std::thread thread_;
};

// Starting a command does not wait for children that another thread forked
// meanwhile: nothing of the start (such as a pipe's write end) may live on
// in them. Each of those children lives 5 s, so a start that waited for one
// would take seconds; a start takes milliseconds.
TEST_P(FaultTest, AStartDoesNotWaitForChildrenForkedByAnotherThread) {
  constexpr auto kChildLife = std::chrono::seconds(5);
  Clock::duration slowest{};
  {
    ConcurrentForker forker(kChildLife);
    for (int i = 0; i < 40 && slowest < kChildLife / 2; ++i) {
      const auto start = Clock::now();
      const Status status = ns_->Exec("/bin/true", {})->Run();
      slowest = std::max(slowest, Clock::now() - start);
      ASSERT_TRUE(status.ok()) << status.error().ToString();
    }
  }
  EXPECT_LT(slowest, kChildLife / 2)
      << "slowest start: "
      << std::chrono::duration_cast<milliseconds>(slowest).count() << " ms";
  EXPECT_TRUE(NoChildrenLeft());
}

// Daemons often start with 0, 1 and 2 closed; descriptors then opened, the
// caller's and the library's own, take those numbers. Commands still get
// the right standard descriptors, and a start failure is still reported
// as such, never written into a descriptor of the caller.
TEST_P(FaultTest, CommandsRunWithTheCallersStandardDescriptorsClosed) {
  TempDir dir;
  const std::string path = dir.path() + "/output";
  const std::string report = RunInForkedChild([this, &path] {
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
    close(STDERR_FILENO);
    std::string failures;
    std::unique_ptr<Cmd> cat = ns_->Exec("/bin/cat", {});
    cat->SetStdin("fed\n");
    Result<std::string> out = cat->Output();
    if (!out.ok() || *out != "fed\n") {
      failures += "cat: " + (out.ok() ? Quote(*out) : out.error().ToString()) + "\n";
    }

    const int file = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);  // Takes 0.
    std::unique_ptr<Cmd> echo = ns_->Exec("/bin/echo", {"to the file"});
    echo->SetStdout(file);
    if (const Status status = echo->Run(); !status.ok()) {
      failures += "echo: " + status.error().ToString() + "\n";
    }
    std::unique_ptr<Cmd> missing = ns_->Exec("/no/such/program", {});
    missing->SetStdout(file);
    missing->SetStderr(file);
    const Status status = missing->Run();
    // With stderr sent to the caller's descriptor, nsenter's message is not
    // seen, and its 127 stays as a shell would report it (nsenter.h).
    const bool as_documented =
        !status.ok() && (ThroughNsenter() ? status.error().code() == ErrorCode::kNonZeroExit &&
                                                status.error().exit_status() == 127
                                          : status.error().code() == ErrorCode::kNotFound);
    if (!as_documented) {
      failures += "missing: " + (status.ok() ? std::string("ran") : status.error().ToString()) + "\n";
    }
    char contents[256] = {};
    if (pread(file, contents, sizeof contents - 1, 0) < 0) failures += "pread failed\n";
    return failures + "file: " + contents;
  });
  // nsenter(1) writes its own message about the missing program to the
  // command's stderr; the native backend writes nothing there.
  const std::string after_echo = "file: to the file\n";
  if (ThroughNsenter()) {
    EXPECT_THAT(report, ::testing::StartsWith(after_echo));
  } else {
    EXPECT_EQ(report, after_echo);
  }
}

// The architecture seccomp reports for this program's system calls.
#if defined(__x86_64__)
constexpr uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#endif

// Makes close_range(2) fail with `error` in this process and its children,
// as a kernel before 5.9 (ENOSYS), 5.9-5.10 (EINVAL for CLOSE_RANGE_CLOEXEC)
// or a container's seccomp profile does. Returns what failed, if anything.
std::string RefuseCloseRange(int error) {
#if defined(__x86_64__) || defined(__aarch64__)
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_close_range, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<uint32_t>(error) & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  const sock_fprog program = {static_cast<unsigned short>(std::size(filter)), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return std::string("no_new_privs: ") + strerror(errno);
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
    return std::string("seccomp: ") + strerror(errno);
  }
  if (syscall(__NR_close_range, 1000, 1000, 0) == 0 || errno != error) return "close_range not refused";
  return "";
#else
  return "no seccomp filter for this architecture";
#endif
}

// Where close_range(2) is refused, the caller's inheritable descriptors still
// do not reach the host program: it sees 0, 1 and 2 only.
TEST_P(FaultTest, ARefusedCloseRangeLeaksNoDescriptor) {
  for (const int error : {ENOSYS, EINVAL}) {
    const std::string report = RunInForkedChild([this, error] {
      if (const std::string failed = RefuseCloseRange(error); !failed.empty()) return failed;
      if (dup2(STDIN_FILENO, 250) != 250) return std::string("dup2: ") + strerror(errno);
      Result<std::string> out = Child({"fds"})->Output();
      return out.ok() ? *out : out.error().ToString();
    });
    EXPECT_EQ(report, "0\n1\n2\n") << "close_range failing with " << strerrorname_np(error);
  }
}

// Where close_range(2) is refused and /proc/self/fd cannot be read either,
// no descriptor can be closed safely: nothing runs (through nsenter, not
// even nsenter(1)).
TEST_P(FaultTest, WithNoWayToCloseDescriptorsNothingRuns) {
  TempDir dir;
  const std::string marker = dir.path() + "/ran";
  const std::string report = RunInForkedChild([this, &marker] {
    // An empty /proc, in a mount namespace of this child's own.
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", "/proc", "tmpfs", 0, nullptr) != 0) {
      return std::string("cannot hide /proc: ") + strerror(errno);
    }
    if (const std::string failed = RefuseCloseRange(ENOSYS); !failed.empty()) return failed;
    const Status status = ns_->Exec("/usr/bin/touch", {marker})->Run();
    if (status.ok()) return std::string("ran");
    return std::string(ErrorCodeName(status.error().code())) + ": " + status.error().message();
  });
  EXPECT_THAT(report, ::testing::StartsWith(std::string(ErrorCodeName(ErrorCode::kExecFailed))));
  EXPECT_THAT(report, HasSubstr("cannot close the caller's other descriptors"));
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the program ran";
  EXPECT_TRUE(NoChildrenLeft());
}

// Where close_range(2) is refused and /proc is not procfs (here a tmpfs with
// an empty self/fd, which lists no descriptor), the listing cannot be
// trusted: nothing runs, and no descriptor reaches a program. Through
// nsenter, the namespace file is on a real procfs mounted elsewhere (as
// <host_root>/proc is), so that nsenter(1) itself could run.
TEST_P(FaultTest, WithAForgedProcNothingRuns) {
  TempDir dir;
  const std::string marker = dir.path() + "/ran";
  const std::string real_proc = dir.MakeDir("proc");
  const std::string report = RunInForkedChild([this, &marker, &real_proc] {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("proc", real_proc.c_str(), "proc", 0, nullptr) != 0 ||
        mount("tmpfs", "/proc", "tmpfs", 0, nullptr) != 0 || mkdir("/proc/self", 0755) != 0 ||
        mkdir("/proc/self/fd", 0755) != 0) {
      return std::string("cannot forge /proc: ") + strerror(errno);
    }
    if (const std::string failed = RefuseCloseRange(ENOSYS); !failed.empty()) return failed;
    if (dup2(STDIN_FILENO, 250) != 250) return std::string("dup2: ") + strerror(errno);
    Options options = SelfOptions(GetParam());
    options.namespace_files[NamespaceKind::kMount] = real_proc + "/self/ns/mnt";
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    if (!ns.ok()) return "create: " + ns.error().ToString();
    const Status status = (*ns)->Exec("/usr/bin/touch", {marker})->Run();
    if (status.ok()) return std::string("ran");
    return std::string(ErrorCodeName(status.error().code())) + ": " + status.error().message();
  });
  EXPECT_THAT(report, ::testing::StartsWith(std::string(ErrorCodeName(ErrorCode::kExecFailed))));
  EXPECT_THAT(report, HasSubstr("cannot close the caller's other descriptors"));
  EXPECT_THAT(report, HasSubstr("/proc/self/fd is not on procfs"));
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the program ran";
  EXPECT_TRUE(NoChildrenLeft());
}

// Whether process `pid` has ended: it is gone, or a zombie.
bool Ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  const size_t name_end = text.rfind(')');
  return name_end != std::string::npos && text.compare(name_end, 3, ") Z") == 0;
}

// Waits up to 10 s (a guard against a hang) for process `pid` to end.
bool EndsSoon(pid_t pid) {
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (!Ended(pid) && Clock::now() < give_up) std::this_thread::sleep_for(milliseconds(20));
  return Ended(pid);
}

// Through nsenter entering a PID namespace, nsenter forks and the host
// program is its child: a program that leaves nsenter's process group and
// session (setsid) is still ended by a timeout, and by a stop whose grace
// period it ignores, in the same way as the command. ($$ is the program's
// pid here: the namespace is this process's own.)
class PidNamespaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::optional<std::string> missing = hardening::MissingSetnsPrivilege()) {
      GTEST_SKIP() << *missing;
    }
    Options options = SelfOptions(Backend::kNsenter);
    options.namespaces = {NamespaceKind::kMount, NamespaceKind::kPid};
    options.namespace_files[NamespaceKind::kPid] = "/proc/self/ns/pid";
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
  }

  // A program in a session of its own that prints its pid, then sleeps,
  // ignoring SIGTERM.
  std::unique_ptr<Cmd> SessionLeader() const {
    return ns_->Exec("/usr/bin/setsid",
                     {"/bin/sh", "-c", "trap '' TERM; echo $$; exec sleep 60"});
  }

  std::unique_ptr<Nsenter> ns_;
};

TEST_F(PidNamespaceTest, ATimeoutEndsAProgramThatLeftTheSession) {
  std::unique_ptr<Cmd> cmd = SessionLeader();
  cmd->SetTimeout(milliseconds(500));
  Result<std::string> out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout) << out.error().ToString();
  const pid_t program = std::atoi(out.error().stdout_data().c_str());
  ASSERT_GT(program, 0) << out.error().ToString();
  EXPECT_TRUE(EndsSoon(program)) << "the program outlived its timeout";
  if (!Ended(program)) kill(program, SIGKILL);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_F(PidNamespaceTest, AStopEndsAProgramThatLeftTheSession) {
  std::unique_ptr<Cmd> cmd = SessionLeader();
  std::mutex mutex;
  std::string printed;
  cmd->SetStdoutHandler([&](std::string_view chunk) {
    std::lock_guard<std::mutex> lock(mutex);
    printed.append(chunk);
  });
  cmd->SetStopGracePeriod(milliseconds(300));
  ASSERT_TRUE(cmd->Start().ok());
  pid_t program = 0;
  Status waited;
  std::thread waiter([&cmd, &waited] { waited = cmd->Wait(); });
  for (const auto give_up = Clock::now() + std::chrono::seconds(10);
       program == 0 && Clock::now() < give_up; std::this_thread::sleep_for(milliseconds(20))) {
    std::lock_guard<std::mutex> lock(mutex);
    if (printed.find('\n') != std::string::npos) program = std::atoi(printed.c_str());
  }
  cmd->Stop(SIGTERM);
  waiter.join();
  ASSERT_GT(program, 0) << "the program printed no pid";
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code(), ErrorCode::kStopped) << waited.error().ToString();
  EXPECT_TRUE(EndsSoon(program)) << "the program outlived its stop";
  if (!Ended(program)) kill(program, SIGKILL);
  EXPECT_TRUE(NoChildrenLeft());
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace nsenter
