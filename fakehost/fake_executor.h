// FakeExecutor: an Executor that plays the nsenter program for a FakeHost.
//
// Give it to `nsenter::Nsenter::Create` as Options::executor: every command
// the Nsenter runs arrives here as
//   nsenter --mount=<namespace> [--wdns=DIR] -- CMD ARGS...
// and is answered as the fixture's host would answer it, without running
// anything:
//   1. the fixture's scripted command whose argv is exactly CMD ARGS...;
//   2. else, for `realpath -e|-m [-z] [--] NAME...` (CMD "realpath" or a path
//      ending in "/realpath"), the answer GNU realpath gives on the fake host
//      (realpath_emulation.h); for the findmnt, mount (also in a systemd-run
//      scope), umount, stat, mkdir
//      and touch forms that nsenter::HostMounter builds (host_commands.h),
//      the answer computed from the fake host's tree and mount table, which
//      mount, umount, mkdir and touch change (host_command_emulation.h; a
//      form it does not model fails the run with kExecFailed saying so);
//      in both cases nsenter's own failure (exit 127 "nsenter: failed to
//      execute CMD: No such file or directory", or 126) when CMD is a path
//      (it has a slash; a relative one is taken from the host's "/") that is
//      not an executable file of the fake host;
//   3. else the default answer, if one was set;
//   4. else the run fails with kExecFailed naming the argv and the fixture:
//      an unscripted command is never a silent success.
// A program that is not "nsenter" (or a path ending in "/nsenter"), arguments
// not of the shape above, or a --mount path other than the expected one fail
// the run with kExecFailed naming the argv: the code under test built a
// command that nsenter on the real host would not run as intended.
//
// The expected --mount path is the fixture's `mount_namespace` under the host
// root the Nsenter was created with. By default that root is the fixture's
// `root`; after `FakeHost::Materialize(dir)` with `Options::host_root = dir`,
// pass `{.host_root = dir}`.
//
// Runs follow exec.h: a non-zero exit status is kNonZeroExit
// (Error::FromProcess, with exit status and output), so Nsenter's
// classification (127 → kNotFound, ...) works on top. CombinedOutput gives
// stdout followed by stderr. Run (Start, then Wait) discards stdout and
// captures stderr, or gives them, in one piece each, to the descriptors or
// handlers given to SetStdout / SetStderr / SetStdoutHandler /
// SetStderrHandler; a descriptor whose reader is gone (EPIPE) makes Wait
// kSignalled by SIGPIPE, as a real program is ended. A Cmd starts once; argv or environment with a NUL byte
// is kInvalidArgument; Start twice, Wait without a successful Start or twice
// are kInvalidArgument. The command is answered at Start (and recorded
// then), its output delivered at Wait: a Stop (whatever its signal, which
// nothing receives) between Start and Wait makes
// Wait return kStopped with no output; a Stop before Start makes Start return
// kStopped, recording nothing. Timeouts and grace periods are recorded, never
// reached: answers take no time; out of range (exec.h), Start refuses them.
//
// Every run is recorded (argv, dir, env, stdin, timeout, and what answered
// it) for assertions.
//
// Example:
//   auto host = *FakeHost::Create(*LoadFixture(file));
//   TempDir root;
//   ASSERT_TRUE(host->Materialize(root.path()).ok());
//   auto executor =
//       std::make_shared<FakeExecutor>(host, FakeExecutorOptions{.host_root = root.path()});
//   nsenter::Options options;
//   options.host_root = root.path();
//   // The fixture's mount_namespace, which need not be /proc/1/ns/mnt.
//   options.namespace_files[nsenter::NamespaceKind::kMount] = executor->mount_namespace();
//   options.executor = executor;
//   auto ns = nsenter::Nsenter::Create(options);
//   nsenter::Result<std::string> dir = (*ns)->EvalSymlinks("/var/lib/kubelet", true);
//   EXPECT_EQ(executor->Calls().back().answered_by, AnswerSource::kScript);
//
// Thread-safety: Command, Calls and SetDefaultAnswer may be called from many
// threads at once; Cmds made by one executor may run concurrently (their
// changes of the host are atomic each, as FakeHost's). A Cmd
// belongs to one thread, except Stop, which any thread may call at any time. Cmds keep what they need alive: they may outlive
// the executor.
#ifndef FAKEHOST_FAKE_EXECUTOR_H_
#define FAKEHOST_FAKE_EXECUTOR_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "nsenter/exec.h"

namespace nsenter::fakehost {

struct FakeExecutorOptions {
  // The host root of the Nsenter under test; empty means the fixture's root.
  std::string host_root = "";
  // The expected --mount path; empty means <host_root><fixture's
  // mount_namespace>, e.g. "/rootfs/proc/1/ns/mnt".
  std::string mount_namespace = "";
};

// What answered a run.
enum class AnswerSource {
  kScript,             // A scripted command of the fixture.
  kRealpathEmulation,  // realpath computed over the fake host.
  kHostEmulation,      // findmnt, mount, umount, stat, mkdir or touch computed over it.
  kDefaultAnswer,      // The answer set with SetDefaultAnswer.
  kRefused,            // Nothing: the run failed (bad shape, unscripted, ...).
};

// One run of a command made by the executor.
struct FakeCall {
  std::string program;                 // As given to Command, e.g. "nsenter".
  std::vector<std::string> args;       // Everything after the program.
  std::vector<std::string> host_argv;  // The command after "--"; empty if refused for its shape.
  std::optional<std::string> dir;       // SetDir of the nsenter command (in the container).
  std::optional<std::string> host_dir;  // nsenter's --wdns=DIR: the host directory.
  std::optional<std::vector<std::string>> env;
  std::optional<std::string> stdin_data;
  std::optional<int> stdin_fd;          // SetStdinFd's descriptor (never read).
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> stop_grace_period;
  AnswerSource answered_by = AnswerSource::kRefused;
};

class FakeExecutor final : public Executor {
 public:
  explicit FakeExecutor(std::shared_ptr<FakeHost> host, FakeExecutorOptions options = {});

  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const override;

  // Answers every command that nothing else answers with `answer`.
  void SetDefaultAnswer(Answer answer);

  // Every run so far, in the order the runs started.
  std::vector<FakeCall> Calls() const;

  // The --mount path commands must carry.
  const std::string& mount_namespace() const;

 private:
  // What the executor and its Cmds share: the host, the scripts, the default
  // answer and the call log.
  class State;

  std::shared_ptr<State> state_;
};

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_FAKE_EXECUTOR_H_
