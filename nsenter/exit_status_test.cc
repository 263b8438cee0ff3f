// One exit-status story (nsenter.h), on this machine through both backends:
// the same table of commands gives the same codes and statuses through
// nsenter(1) and natively. Also the host PATH, the default environment and
// the working directory, which are host-side in both backends.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/nsenter.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using hardening::BackendName;
using hardening::MissingSetnsPrivilege;
using hardening::RealPath;
using hardening::SelfOptions;
using ::testing::HasSubstr;

// One command and how it must end: ok (code unset), or an error code, with
// the exit status for kNonZeroExit, and a word of the message.
struct StatusRow {
  std::string name;
  std::string program;  // "@FILE" / "@DIR": the row's non-executable file / directory.
  std::vector<std::string> args;
  std::optional<ErrorCode> code;
  int exit_status = -1;
  std::string message;
  std::chrono::milliseconds timeout{0};
  bool stop = false;  // Started, then stopped from another thread.
};

std::vector<StatusRow> StatusTable() {
  using std::chrono::milliseconds;
  return {
      {"Exit0", "/bin/sh", {"-c", "exit 0"}, std::nullopt, -1, ""},
      {"Exit1", "/bin/sh", {"-c", "exit 1"}, ErrorCode::kNonZeroExit, 1, "'/bin/sh' exited with status 1"},
      {"OwnExit126", "/bin/sh", {"-c", "exit 126"}, ErrorCode::kNonZeroExit, 126,
       "'/bin/sh' exited with status 126"},
      {"OwnExit127", "/bin/sh", {"-c", "exit 127"}, ErrorCode::kNonZeroExit, 127,
       "'/bin/sh' exited with status 127"},
      {"OwnExit255", "/bin/sh", {"-c", "exit 255"}, ErrorCode::kNonZeroExit, 255,
       "'/bin/sh' exited with status 255"},
      {"ShellsNotFound", "/bin/sh", {"-c", "no-such-program-xyz"}, ErrorCode::kNonZeroExit, 127,
       "'/bin/sh' exited with status 127"},
      {"BareNameOnTheHostPath", "true", {}, std::nullopt, -1, ""},
      {"MissingPath", "/no/such/program", {}, ErrorCode::kNotFound,
       -1, "host program '/no/such/program' not found"},
      {"MissingBareName", "no-such-program-xyz", {}, ErrorCode::kNotFound,
       -1, "host program 'no-such-program-xyz' not found"},
      {"NotExecutable", "@FILE", {}, ErrorCode::kPermissionDenied, -1, "cannot be executed"},
      {"Directory", "@DIR", {}, ErrorCode::kPermissionDenied, -1, "cannot be executed"},
      // The first "false" on the host PATH is a symlink loop: execvp stops
      // there (ELOOP), it does not go on to /usr/bin/false.
      {"LoopFirstOnThePath", "false", {}, ErrorCode::kExecFailed, -1,
       "Too many levels of symbolic links"},
      {"KilledBySignal", "/bin/sh", {"-c", "kill -9 $$"}, ErrorCode::kSignalled,
       -1, "'/bin/sh' was killed by signal 9"},
      {"Timeout", "sleep", {"30"}, ErrorCode::kTimeout, -1,
       "'sleep' killed after its timeout of 300ms", milliseconds(300)},
      {"Stopped", "/bin/sh", {"-c", "trap '' TERM; sleep 30"}, ErrorCode::kStopped, -1,
       "'/bin/sh' was stopped", milliseconds(0), true},
  };
}

class ExitStatusTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const auto missing = MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
  }

  std::unique_ptr<Nsenter> Make(Options options) const {
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_TRUE(ns.ok()) << ns.error().ToString();
    return ns.ok() ? std::move(*ns) : nullptr;
  }
  std::unique_ptr<Nsenter> Make() const { return Make(SelfOptions(GetParam())); }
};

// How a row's command is run: its output captured (Output), or streamed to
// handlers (Start, Wait).
enum class Streams { kCaptured, kStreamed };

// Runs `row` with `ns` and returns how it ended; the streamed text goes to
// `streamed_stderr`.
Status RunRow(const Nsenter& ns, const StatusRow& row, const std::string& program, Streams streams,
              std::string* streamed_stderr) {
  std::unique_ptr<Cmd> cmd = ns.Exec(program, row.args);
  if (row.timeout.count() > 0) cmd->SetTimeout(row.timeout);
  if (streams == Streams::kStreamed) {
    cmd->SetStdoutHandler([](std::string_view) {});
    cmd->SetStderrHandler([streamed_stderr](std::string_view chunk) { streamed_stderr->append(chunk); });
  }
  if (!row.stop && streams == Streams::kCaptured) {
    Result<std::string> out = cmd->Output();
    if (out.ok()) return {};
    return out.error();
  }
  if (!row.stop) return cmd->Run();
  // It ignores SIGTERM: the grace period ends with SIGKILL.
  cmd->SetStopGracePeriod(std::chrono::milliseconds(200));
  if (Status started = cmd->Start(); !started.ok()) return started;
  std::thread stopper([&cmd] { cmd->Stop(); });
  const Status ended = cmd->Wait();
  stopper.join();
  return ended;
}

TEST_P(ExitStatusTest, TheTableEndsAlikeInBothBackends) {
  TempDir dir;
  dir.MakeDir("path");
  const std::string path_dir = RealPath(dir.path()) + "/path";
  dir.Symlink("path/false", path_dir + "/false");
  Options options = SelfOptions(GetParam());
  options.host_path = path_dir + ":" + options.host_path;
  std::unique_ptr<Nsenter> ns = Make(options);
  ASSERT_NE(ns, nullptr);
  const std::string file = RealPath(dir.WriteFile("script", "#!/bin/sh\n", 0644));
  const std::string directory = RealPath(dir.MakeDir("dir"));
  for (const Streams streams : {Streams::kCaptured, Streams::kStreamed}) {
    for (const StatusRow& row : StatusTable()) {
      SCOPED_TRACE(row.name + (streams == Streams::kStreamed ? " streamed" : " captured"));
      const std::string program =
          row.program == "@FILE" ? file : row.program == "@DIR" ? directory : row.program;
      std::string streamed_stderr;
      const Status out = RunRow(*ns, row, program, streams, &streamed_stderr);
      if (!row.code) {
        EXPECT_TRUE(out.ok()) << out.error().ToString();
        continue;
      }
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.error().code(), *row.code) << out.error().ToString();
      EXPECT_THAT(out.error().message(), HasSubstr(row.message));
      // A program that never ran has no status of its own, in both backends.
      EXPECT_EQ(out.error().exit_status(), row.exit_status) << out.error().ToString();
      EXPECT_EQ(out.error().signal_number(), *row.code == ErrorCode::kSignalled ? 9 : 0);
      if (*row.code == ErrorCode::kNotFound || *row.code == ErrorCode::kPermissionDenied) {
        EXPECT_EQ(streamed_stderr, "") << "nsenter's message is said by the error alone";
      }
    }
  }
  EXPECT_TRUE(hardening::NoChildrenLeft());
}

// A host program's stderr that begins as nsenter's message would is passed
// on whole: held back only until it is clearly the program's own.
TEST_P(ExitStatusTest, StreamedStderrLikeNsentersMessageIsPassedOn) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  // (It names another program: a line naming this one would be nsenter's.)
  const std::string line = "nsenter: failed to execute /bin/other: No such file or directory\n";
  for (const std::string& script :
       {"printf '" + line + "' >&2; exit 127", "printf '" + line + "more\n' >&2; exit 127",
        std::string("printf 'nsen' >&2; exit 0")}) {
    SCOPED_TRACE(script);
    std::unique_ptr<Cmd> cmd = ns->Exec("/bin/sh", {"-c", script});
    std::string streamed;
    cmd->SetStderrHandler([&streamed](std::string_view chunk) { streamed.append(chunk); });
    const Status status = cmd->Run();
    if (script.ends_with("exit 0")) {
      EXPECT_TRUE(status.ok()) << status.error().ToString();
      EXPECT_EQ(streamed, "nsen");
      continue;
    }
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), ErrorCode::kNonZeroExit) << status.error().ToString();
    EXPECT_EQ(status.error().exit_status(), 127);
    EXPECT_THAT(streamed, ::testing::StartsWith(line));
  }
}

// The path of `name` in the absolute directories of this process's PATH,
// or "" if none has it.
std::string OnPath(const std::string& name) {
  const char* path = getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const size_t colon = std::min(dirs.find(':'), dirs.size());
    const std::string candidate = std::string(dirs.substr(0, colon)) + "/" + name;
    if (candidate.starts_with("/") && access(candidate.c_str(), X_OK) == 0) return candidate;
    dirs.remove_prefix(std::min(colon + 1, dirs.size()));
  }
  return "";
}

// Through nsenter, "could not be started" is told from the program's own
// status by nsenter's message; these programs print what looks like one and
// must end as they do natively.
TEST_P(ExitStatusTest, OutputLikeNsentersMessagesIsTheProgramsOwn) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  const std::string nsenter = OnPath("nsenter");
  ASSERT_NE(nsenter, "");
  const struct {
    std::string name;
    std::string program;
    std::vector<std::string> args;
    int exit_status;
  } cases[] = {
      // The host's own nsenter, failing before it runs anything: its message
      // names a namespace file that this Nsenter never gave.
      {"HostNsenter", nsenter, {"--mount=/no/such/ns", "--", "true"}, 1},
      {"OwnFailureLookalike", "/bin/sh",
       {"-c", "echo 'nsenter: cannot open /no/such/ns: No such file or directory' >&2; exit 1"}, 1},
      // A program that wrote to stdout ran.
      {"ExecFailureLookalikeAfterOutput", "/bin/sh",
       {"-c", "echo ran; echo \"nsenter: failed to execute /bin/sh: No such file or directory\" >&2; "
              "exit 127"},
       127},
  };
  for (const auto& [name, program, args, exit_status] : cases) {
    SCOPED_TRACE(name);
    const Result<std::string> out = ns->Exec(program, args)->Output();
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit) << out.error().ToString();
    EXPECT_EQ(out.error().exit_status(), exit_status);
  }
}

// util-linux prefixes its messages with the name it was invoked by: an
// nsenter installed under another name is understood all the same.
TEST_P(ExitStatusTest, AnNsenterUnderAnotherNameIsUnderstood) {
  const std::string nsenter = OnPath("nsenter");
  ASSERT_NE(nsenter, "");
  TempDir dir;
  Options options = SelfOptions(GetParam());
  options.nsenter_program = dir.Symlink("nsenter-util-linux", nsenter);
  std::unique_ptr<Nsenter> ns = Make(options);
  ASSERT_NE(ns, nullptr);

  Result<std::string> out = ns->Exec("/no/such/program", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();

  std::unique_ptr<Cmd> cmd = ns->Exec("/bin/true", {});
  cmd->SetDir("/no/such/dir");
  out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed) << out.error().ToString();
  EXPECT_THAT(out.error().message(), HasSubstr("/no/such/dir"));
}

// Bare names are looked up with the host PATH option, never this process's
// PATH, in both backends; LookPath gives the same answer.
TEST_P(ExitStatusTest, BareNamesUseTheHostPath) {
  TempDir host_bin, container_bin;
  host_bin.WriteFile("host-only-tool", "#!/bin/sh\necho host tool\n", 0755);
  container_bin.WriteFile("container-only-tool", "#!/bin/sh\necho container tool\n", 0755);
  const std::string host_dir = RealPath(host_bin.path());
  const char* saved = getenv("PATH");
  const std::string container_path = RealPath(container_bin.path()) + ":" + (saved ? saved : "");
  ASSERT_EQ(setenv("PATH", container_path.c_str(), 1), 0);
  Options options = SelfOptions(GetParam());
  options.host_path = host_dir + ":/usr/bin:/bin";
  std::unique_ptr<Nsenter> ns = Make(options);
  ASSERT_NE(ns, nullptr);

  EXPECT_EQ(*ns->LookPath("host-only-tool"), host_dir + "/host-only-tool");
  // A discovered name is what Exec runs, the host PATH notwithstanding, and
  // LookPath names it.
  host_bin.WriteFile("sh", "#!/bin/sh\necho host PATH sh\n", 0755);
  Result<std::string> sh = ns->LookPath("sh");
  ASSERT_TRUE(sh.ok()) << sh.error().ToString();
  EXPECT_NE(*sh, host_dir + "/sh");
  Result<std::string> ran = ns->Exec("sh", {"-c", "echo $0"})->Output();
  ASSERT_TRUE(ran.ok()) << ran.error().ToString();
  EXPECT_EQ(*ran, *sh + "\n");
  Result<std::string> out = ns->Exec("host-only-tool", {})->Output();
  EXPECT_TRUE(out.ok()) << out.error().ToString();
  if (out.ok()) {
    EXPECT_EQ(*out, "host tool\n");
  }

  Result<std::string> missing = ns->LookPath("container-only-tool");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  out = ns->Exec("container-only-tool", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();
  ASSERT_EQ(setenv("PATH", saved ? saved : "", 1), 0);
}

// The container's environment never reaches a host program; SetEnv passes
// exactly what the caller chooses.
TEST_P(ExitStatusTest, HostProgramsGetOnlyTheHostPath) {
  ASSERT_EQ(setenv("NSENTER_TEST_SECRET", "token", 1), 0);
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  Result<std::string> out = ns->Exec("env", {})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");

  std::unique_ptr<Cmd> cmd = ns->Exec("/usr/bin/env", {});
  cmd->SetEnv({"A=1"});
  out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "A=1\n");
  unsetenv("NSENTER_TEST_SECRET");
}

// SetDir is a host directory in both backends (through nsenter, --wdns=).
TEST_P(ExitStatusTest, TheWorkingDirectoryIsAHostDirectory) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  std::unique_ptr<Cmd> cmd = ns->Exec("pwd", {});
  cmd->SetDir("/usr/share");
  Result<std::string> out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "/usr/share\n");

  cmd = ns->Exec("pwd", {});
  out = cmd->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "/\n");

  cmd = ns->Exec("pwd", {});
  cmd->SetDir("/no/such/dir");
  out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed) << out.error().ToString();
  EXPECT_THAT(out.error().ToString(), HasSubstr("/no/such/dir"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ExitStatusTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace nsenter
