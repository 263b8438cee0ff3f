#include "nsenter/privileged/sandbox.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

#include "nsenter/privileged/pipe_io.h"
#include "nsenter/privileged/test_report.h"
#include "nsenter/process_executor.h"

namespace nsenter::privileged {
namespace {

// The sandbox's directory, relative to its temporary directory.
constexpr char kRootfs[] = "rootfs";
constexpr char kHostOnly[] = "host-only";
constexpr char kSymlink[] = "link";
constexpr char kScratch[] = "scratch";
constexpr char kWorkdir[] = "work";

int Check(int result, const std::string& what) {
  if (result < 0) throw std::system_error(errno, std::generic_category(), what);
  return result;
}

int WaitForChild(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  return status;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

// Output buffered before a fork would otherwise be written twice.
void FlushOutput() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
}

void ReportHarnessFailure(int report, const std::string& message) {
  WriteAll(report, EncodeResults({testing::TestPartResult(testing::TestPartResult::kFatalFailure,
                                                          __FILE__, __LINE__,
                                                          ("sandbox: " + message).c_str())}));
}

// The exit code of a child that ended with `status`; a child killed by a
// signal could not say why, so that is reported here.
int ExitCode(int status, const std::string& role, int report) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  ReportHarnessFailure(report, role + " ended with " + DescribeStatus(status));
  return 1;
}

// Runs `main` as the whole life of a forked process: it never returns. The
// exit code is what `main` returns; an exception is reported to the test.
[[noreturn]] void RunProcess(const std::string& role, int report,
                             const std::function<int()>& main) {
  int code = 1;
  try {
    code = main();
  } catch (const std::exception& error) {
    try {
      ReportHarnessFailure(report, role + ": " + error.what());
    } catch (const std::exception&) {
      // The test is gone: nobody is left to tell.
    }
  }
  FlushOutput();
  _exit(code);
}

// The processes below the test end when their parent does, so that a killed
// test leaves nothing behind.
void DieWithParent() { Check(prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl(PR_SET_PDEATHSIG)"); }

// As PID 1, the host inherits the orphans of its PID namespace: it reaps
// them all until `container` ends, and returns the container's wait status.
int ReapUntilExit(pid_t container) {
  for (;;) {
    int status = 0;
    const pid_t pid = wait(&status);
    if (pid < 0 && errno == EINTR) continue;
    Check(pid, "wait");
    if (pid == container) return status;
  }
}

void AddHostOnlyFacts(const Container& container, const fakehost::TempDir& temp) {
  const std::string mount = std::string(kHostOnly) + "/";
  MountTmpfs(container.host_only_mount);
  temp.WriteFile(mount + "marker", "host only\n");
  temp.WriteFile(mount + "real/file", "host only\n");
  temp.Symlink(mount + "data", container.host_only_mount + "/real");
  temp.WriteFile(mount + "bin/host-tool", "#!/bin/sh\necho host-tool ran on the host\n", 0755);
}

// The body's process: in the container, or on the host when `on_host`.
int RunBody(const Container& container, bool on_host, int report, const ContainerBody& body,
            int ready, int go) {
  DieWithParent();
  if (getppid() != 1) return 1;  // The host is already gone.
  if (!on_host) SetUpContainerMountNamespace(container.rootfs, container.propagation);
  SendGo(ready);
  if (!ReceiveGo(go)) return 1;  // The host failed, and reported why.
  WriteAll(report, EncodeResults(CaptureResults([&] { body(container); })));
  return 0;
}

int RunHost(const Container& container, bool on_host, const fakehost::TempDir& temp, int report,
            const ContainerBody& body) {
  DieWithParent();
  SetUpHostMountNamespace();
  Pipe ready = MakePipe();
  Pipe go = MakePipe();
  const std::string role = on_host ? "the body on the host" : "the container";
  const pid_t child = Check(fork(), "fork " + role);
  if (child == 0) {
    ready.read_end.Reset();
    go.write_end.Reset();
    RunProcess(role, report, [&] {
      return RunBody(container, on_host, report, body, ready.write_end.get(), go.read_end.get());
    });
  }
  ready.write_end.Reset();
  go.read_end.Reset();
  // Without a go the body gives up; it reports its own failure.
  if (ReceiveGo(ready.read_end.get())) {
    AddHostOnlyFacts(container, temp);
    SendGo(go.write_end.get());
  }
  go.write_end.Reset();
  return ExitCode(ReapUntilExit(child), role, report);
}

int OwnNamespaces(const Container& container, bool on_host, const fakehost::TempDir& temp,
                  int report, const ContainerBody& body, pid_t test) {
  DieWithParent();
  if (getppid() != test) return 1;  // The test is already gone.
  Check(setpgid(0, 0), "setpgid");
  Check(unshare(CLONE_NEWPID | CLONE_NEWNS), "unshare a PID and a mount namespace");
  const pid_t host = Check(fork(), "fork the host");
  if (host == 0) {
    RunProcess("the host", report,
               [&] { return RunHost(container, on_host, temp, report, body); });
  }
  return ExitCode(WaitForChild(host), "the host", report);
}

}  // namespace

Sandbox::Sandbox(Propagation propagation, ContainerBody body)
    : Sandbox(propagation, /*on_host=*/false, std::move(body)) {}

Sandbox::Sandbox(HostBody body)
    : Sandbox(Propagation::kRslave, /*on_host=*/true,
              [body = std::move(body)](const Container& container) { body(container); }) {}

Sandbox::Sandbox(Propagation propagation, bool on_host, ContainerBody body) {
  const std::string root = std::filesystem::canonical(temp_.path()).string() + "/";
  container_.propagation = propagation;
  container_.rootfs = root + kRootfs;
  container_.host_only_mount = root + kHostOnly;
  container_.symlink = root + kSymlink;
  container_.scratch = root + kScratch;
  container_.workdir = root + kWorkdir;
  temp_.MakeDir(kRootfs);
  temp_.MakeDir(kHostOnly);
  temp_.MakeDir(kScratch);
  temp_.MakeDir(kWorkdir);
  temp_.Symlink(kSymlink, container_.host_only_mount + "/data");

  Pipe report = MakePipe();
  const pid_t test = getpid();
  FlushOutput();
  pid_ = Check(fork(), "fork the namespace owner");
  if (pid_ == 0) {
    report.read_end.Reset();
    RunProcess("the namespace owner", report.write_end.get(), [&] {
      return OwnNamespaces(container_, on_host, temp_, report.write_end.get(), body, test);
    });
  }
  // Set on both sides, so that ~Sandbox can kill the group at any time.
  setpgid(pid_, pid_);
  report_ = std::move(report.read_end);
}

Sandbox::~Sandbox() {
  if (pid_ < 0) return;
  // The owner's process group holds the host, whose end takes every other
  // process of its PID namespace with it.
  kill(-pid_, SIGKILL);
  int status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void Sandbox::Wait() {
  if (pid_ < 0) {
    ADD_FAILURE() << "Sandbox::Wait called twice";
    return;
  }
  const std::string report = ReadAll(report_.get());
  report_.Reset();
  const int status = WaitForChild(std::exchange(pid_, -1));
  ReplayResults(DecodeResults(report));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << "the sandbox ended with " << DescribeStatus(status);
  }
}

void RunInContainer(Propagation propagation, const ContainerBody& body) {
  Sandbox sandbox(propagation, body);
  sandbox.Wait();
}

void RunOnHost(const HostBody& body) {
  Sandbox sandbox(body);
  sandbox.Wait();
}

nsenter::Options NsenterOptions(const Container& container, Backend backend) {
  nsenter::Options options;
  options.host_root = container.rootfs;
  options.backend = backend;
  options.nsenter_program = "/usr/bin/nsenter";
  options.executor = std::make_shared<ProcessExecutor>();
  return options;
}

}  // namespace nsenter::privileged
