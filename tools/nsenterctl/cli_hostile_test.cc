// Bad input and hostile situations through the nsenterctl binary, one row per
// applicable entry of sections A, D and E of the design's catalogue
// (hostile-inputs.md), named after its id, with each backend. A refused
// input exits 2 (bad usage) with a message that names it (as nsenter::Quote
// shows it), prints nothing on stdout, and runs nothing: a spy nsenter(1),
// first on PATH, records any run. (Natively nsenter is never run; that nothing else
// runs either is checked by the library's table with a spy of its own.)
//
// Catalogue entries without a row here, and why:
//   A1   A NUL byte cannot reach a program through argv.
//   A9   The CLI prints the library's message; parsing realpath's quoted
//        messages is the library's A9 row.
//   C*   Races and escapes of the native resolver: nsenter/escape_test.cc.
//   D1   Binaries behind absolute symlinks: nsenter/discovery_test.cc.
//   D4   The CLI always uses "nsenter" from PATH, as the library's default;
//        a missing one: nsenter/fault_test.cc.
//   D5   The recorded busybox host has no findmnt, so `--fixture` stops at
//        discovery, and the CLI has no option for the required binaries;
//        the library's D5 row replays it.
//   E1, E4, E6 to E10: library behaviour the CLI passes through (see the
//        library's table).
// Rows beyond the catalogue: MountOptions_* (OPTS that would smuggle in an
// option the caller did not pass: decision 14) and BadMode_* (mkdir's MODE
// is octal only).
// Where the code deliberately differs from the catalogue: as listed in
// nsenter/hostile_input_test.cc (A2, A6, A10, E3).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/testing/host_root.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"

namespace nsenterctl {
namespace {

using nsenter::Backend;
using nsenter::Quote;
using nsenter::fakehost::TempDir;
using nsenter::hardening::BackendName;
using nsenter::hardening::MissingSetnsPrivilege;
using nsenter::hardening::RealPath;
using ::testing::HasSubstr;

constexpr char kSystemPath[] = "/usr/sbin:/usr/bin:/sbin:/bin";

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;  // Known for failed runs only.
};

// Runs `argv` (nsenterctl, or a wrapper such as setpriv that runs it) with
// PATH and `env` in its environment, and `stdin_data` on its stdin.
CliRun RunCli(const std::vector<std::string>& argv, const std::string& path,
              const std::string& stdin_data = "", std::vector<std::string> env = {}) {
  std::unique_ptr<nsenter::Cmd> cmd = nsenter::ProcessExecutor().Command(
      argv.front(), std::vector<std::string>(argv.begin() + 1, argv.end()));
  env.push_back("PATH=" + path);
  cmd->SetEnv(env);
  cmd->SetStdin(stdin_data);
  nsenter::Result<std::string> out = cmd->Output();
  if (out.ok()) return {0, *out, ""};
  EXPECT_EQ(out.error().code(), nsenter::ErrorCode::kNonZeroExit) << out.error().ToString();
  return {out.error().exit_status(), out.error().stdout_data(), out.error().stderr_data()};
}

std::string Nsenterctl() {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
         "/tools/nsenterctl";
}

// A host root for the CLI: the binaries discovery requires (and realpath) in
// usr/bin; proc/1/ns/mnt a symlink to `namespace_file` (none if empty), which
// is by default this process's own mount namespace, so that root can enter
// it; and proc/1/root a symlink to "/", so that natively symlinks are
// resolved on this machine, as its realpath resolves them through nsenter.
class CliRoot : public nsenter::testing_support::HostRoot {
 public:
  explicit CliRoot(const std::string& namespace_file = "/proc/self/ns/mnt") {
    AddRealpath();
    if (!namespace_file.empty()) AddMountNamespace(namespace_file);
    Symlink("proc/1/root", "/");
  }
};

// An nsenter that records that it ran, first on PATH.
class SpyNsenter {
 public:
  SpyNsenter() {
    dir_.WriteFile("nsenter", "#!/bin/sh\necho \"$@\" >> \"$0.calls\"\nexit 1\n", 0755);
  }
  std::string path() const { return dir_.path() + ":" + kSystemPath; }
  bool Ran() const { return access((dir_.path() + "/nsenter.calls").c_str(), F_OK) == 0; }

 private:
  TempDir dir_;
};

// ------------------------------------------------------------ Refusals.

struct RefusalRow {
  std::string id;
  std::string command;                // A subcommand that acts on the host.
  std::vector<std::string> operands;  // After "--".
  std::string names;                  // What the message must contain.
  std::vector<std::string> options = {};  // Before "--".
};

void PrintTo(const RefusalRow& row, std::ostream* os) { *os << row.id; }

std::vector<RefusalRow> RefusalRows() {
  return {
      {"A2_EmptyPath", "eval-symlinks", {""}, "path is empty"},
      {"A2_EmptyKubeletPath", "kubelet-path", {""}, "host path is empty"},
      {"A2_EmptyCommand", "exec", {""}, "CMD is empty"},
      // E1: `realpath -m --help` prints its usage, `-m -e` "missing operand".
      {"A3_HelpOptionAsPath",
       "eval-symlinks",
       {"--help"},
       "path " + Quote("--help") + " is not absolute"},
      {"A3_ModeOptionAsPath", "eval-symlinks", {"-e"}, "path " + Quote("-e") + " is not absolute"},
      {"A5_RelativePath",
       "eval-symlinks",
       {"etc/../usr"},
       "path " + Quote("etc/../usr") + " is not absolute"},
      {"A5_RelativeKubeletPath",
       "kubelet-path",
       {"var/lib/kubelet"},
       "host path " + Quote("var/lib/kubelet") + " is not absolute"},
      // mount, umount and mkdir: the library's checks (mount_args.h), made
      // before the host is opened.
      {"A2_EmptyMountTarget", "mount", {"tmpfs", ""}, "mount target is empty"},
      {"A2_EmptyMountSource", "mount", {"", "/mnt"}, "mount source is empty"},
      {"A2_EmptyUmountTarget", "umount", {""}, "unmount target is empty"},
      {"A2_EmptyMkdirPath", "mkdir", {""}, "path is empty"},
      {"A4_MountSourceAsOption",
       "mount",
       {"--bind", "/mnt"},
       "mount source " + Quote("--bind") + " starts with '-'"},
      {"A4_MountTargetAsOption",
       "mount",
       {"tmpfs", "-a"},
       "mount target " + Quote("-a") + " is not absolute"},
      {"A4_UmountTargetAsOption",
       "umount",
       {"-a"},
       "unmount target " + Quote("-a") + " is not absolute"},
      {"A4_MkdirPathAsOption",
       "mkdir",
       {"--mode=777"},
       "path " + Quote("--mode=777") + " is not absolute"},
      {"A5_RelativeMountTarget",
       "mount",
       {"tmpfs", "mnt"},
       "mount target " + Quote("mnt") + " is not absolute"},
      {"A5_RelativeBindSource",
       "mount",
       {"etc", "/mnt"},
       "bind source " + Quote("etc") + " is not absolute",
       {"-o", "bind"}},
      {"A5_RelativeUmountTarget",
       "umount",
       {"mnt"},
       "unmount target " + Quote("mnt") + " is not absolute"},
      {"A5_RelativeMkdirPath", "mkdir", {"var/x"}, "path " + Quote("var/x") + " is not absolute"},
      {"A5_RelativeSafeUnderBase",
       "mkdir",
       {"/var/x"},
       "--safe-under " + Quote("var") + " is not absolute",
       {"--safe-under", "var"}},
      {"A5_PathClimbsOutOfSafeUnderBase",
       "mkdir",
       {"/var/lib/../../etc"},
       "path " + Quote("/var/lib/../../etc") + " is not below --safe-under '/var'",
       {"--safe-under", "/var"}},
      {"A5_PathIsTheSafeUnderBase",
       "mkdir",
       {"/var/."},
       "path " + Quote("/var/.") + " is not below --safe-under '/var'",
       {"--safe-under", "/var/"}},
      // A comma in OPTS separates options, each checked alone: no spelling
      // of one option brings in suid (or exec, dev) besides it.
      {"MountOptions_QuotedCommaSmugglesSuid",
       "mount",
       {"tmpfs", "/mnt"},
       "mount option " + Quote("uid=\"0") + " holds a double quote",
       {"-t", "tmpfs", "-o", "uid=\"0,suid\""}},
      {"MountOptions_NewlineSmugglesSuid",
       "mount",
       {"tmpfs", "/mnt"},
       "mount option " + Quote("ro\nsuid") + " holds a control character",
       {"-t", "tmpfs", "-o", "ro\nsuid"}},
      {"MountOptions_EmptyOptionBeforeSuid",
       "mount",
       {"tmpfs", "/mnt"},
       "mount option '' is empty",
       {"-t", "tmpfs", "-o", ",suid"}},
      {"MountOptions_EqualsSmugglesSuid",
       "mount",
       {"tmpfs", "/mnt"},
       "mount option " + Quote("=suid") + " starts with '-' or '='",
       {"-t", "tmpfs", "-o", "ro,=suid"}},
      {"MountOptions_DashOption",
       "mount",
       {"tmpfs", "/mnt"},
       "mount option " + Quote("-osuid") + " starts with '-' or '='",
       {"-t", "tmpfs", "-o", "-osuid"}},
      {"MountOptions_TypeCarriesAnOption",
       "mount",
       {"tmpfs", "/mnt"},
       "file-system type " + Quote("tmpfs,suid") + " is not a plain name",
       {"-t", "tmpfs,suid"}},
      {"MountOptions_EmptyType", "mount", {"tmpfs", "/mnt"}, "--type is empty", {"-t", ""}},
      {"BadMode_Symbolic",
       "mkdir",
       {"/x"},
       "invalid --mode " + Quote("u=rwx") + " (want an octal mode of at most 4 digits, such as 0750)",
       {"-m", "u=rwx"}},
      {"BadMode_NotOctal", "mkdir", {"/x"}, "invalid --mode '0789'", {"-m", "0789"}},
      {"BadMode_TooLong", "mkdir", {"/x"}, "invalid --mode '17777'", {"-m", "17777"}},
      {"BadMode_Negative", "mkdir", {"/x"}, "invalid --mode '-1'", {"--mode=-1"}},
      {"BadMode_Empty", "mkdir", {"/x"}, "invalid --mode ''", {"-m", ""}},
      {"BadMode_Prefixed", "mkdir", {"/x"}, "invalid --mode '0o750'", {"-m", "0o750"}},
  };
}

// kubelet-path has no backend: its rows run once.
std::vector<std::tuple<RefusalRow, Backend>> RefusalCases() {
  std::vector<std::tuple<RefusalRow, Backend>> cases;
  for (const RefusalRow& row : RefusalRows()) {
    cases.emplace_back(row, Backend::kNsenter);
    if (row.command != "kubelet-path") cases.emplace_back(row, Backend::kNative);
  }
  return cases;
}

class RefusalTableTest : public ::testing::TestWithParam<std::tuple<RefusalRow, Backend>> {};

// A PATH operand, or exec's CMD, that the CLI refuses before it opens the
// host is bad usage (2).
TEST_P(RefusalTableTest, ExitsNamingTheInputAndRunsNothing) {
  const auto& [row, backend] = GetParam();
  const CliRoot root;
  const SpyNsenter spy;
  std::vector<std::string> argv = {Nsenterctl(), row.command, "--rootfs", root.path()};
  if (backend == Backend::kNative) argv.insert(argv.end(), {"--backend", "native"});
  argv.insert(argv.end(), row.options.begin(), row.options.end());
  argv.push_back("--");
  argv.insert(argv.end(), row.operands.begin(), row.operands.end());
  const CliRun run = RunCli(argv, spy.path());
  EXPECT_EQ(run.status, 2);
  EXPECT_THAT(run.err, HasSubstr(row.names));
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(spy.Ran()) << "nsenter was run";
}

INSTANTIATE_TEST_SUITE_P(Rows, RefusalTableTest, ::testing::ValuesIn(RefusalCases()),
                         [](const auto& info) {
                           const RefusalRow& row = std::get<0>(info.param);
                           if (row.command == "kubelet-path") return row.id;
                           return row.id + "_" + BackendName(std::get<1>(info.param));
                         });

// The spy sees a run: without this, "nothing ran" would prove nothing.
TEST(SpyNsenterTest, SeesARun) {
  const CliRoot root;
  const SpyNsenter spy;
  const CliRun run =
      RunCli({Nsenterctl(), "eval-symlinks", "--rootfs", root.path(), "--", "/usr"}, spy.path());
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(spy.Ran());
}

// -------------------------------------------------- Paths and discovery.

// A6: ".." and "//" never take the container-side path out of the root (E15).
TEST(CliKubeletPathTest, A6_NeverLeavesTheHostRoot) {
  const std::pair<std::string, std::string> cases[] = {{"/../etc/passwd", "/rootfs/etc/passwd\n"},
                                                       {"/a/../../etc", "/rootfs/etc\n"},
                                                       {"//some/path", "/rootfs/some/path\n"},
                                                       {"/", "/rootfs\n"}};
  for (const auto& [path, want] : cases) {
    const CliRun run =
        RunCli({Nsenterctl(), "kubelet-path", "--rootfs", "/rootfs", "--", path}, kSystemPath);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, want) << path;
  }
}

// D2: a NixOS layout, with every binary in /run/current-system/sw/bin only.
TEST(CliDiscoveryTest, D2_ABinaryInNoSearchDirFailsTheProbe) {
  TempDir root;
  nsenter::testing_support::InstallRequiredBinaries(root, "run/current-system/sw/bin");
  const SpyNsenter spy;
  const CliRun run = RunCli({Nsenterctl(), "probe", "--rootfs", root.path()}, spy.path());
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err,
              HasSubstr("unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " +
                        root.path() + ")"));
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(spy.Ran());
}

// D3: a directory and a non-executable file named mount come first in the
// search order; neither is taken (nsenter would fail with 126 on them: E5).
TEST(CliDiscoveryTest, D3_DirectoriesAndNonExecutablesAreSkipped) {
  const CliRoot root;  // Has an executable usr/bin/mount.
  root.MakeDir("bin/mount");
  root.WriteFile("usr/sbin/mount", "#!/bin/sh\n", 0644);
  const CliRun run = RunCli({Nsenterctl(), "probe", "--rootfs", root.path()}, kSystemPath);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("mount /usr/bin/mount\n"));
}

// ------------------------------------------------ Namespace files (E2).

// Without the host's PID namespace proc/1/ns/mnt cannot be opened: the probe
// (a readiness probe) fails, with either backend, rather than report ready.
TEST(CliNamespaceTest, E2_TheProbeFailsWhenTheMountNamespaceCannotBeOpened) {
  const CliRoot root("");  // No proc/1/ns/mnt.
  for (const char* backend : {"nsenter", "native"}) {
    const CliRun run =
        RunCli({Nsenterctl(), "probe", "--rootfs", root.path(), "--backend", backend}, kSystemPath);
    EXPECT_EQ(run.status, 1) << backend;
    EXPECT_THAT(run.err, HasSubstr(root.path() + "/proc/1/ns/mnt")) << backend;
    EXPECT_EQ(run.out, "") << backend;
  }
  const CliRun run = RunCli({Nsenterctl(), "probe", "--rootfs", root.path()}, kSystemPath);
  EXPECT_THAT(run.err, HasSubstr("cannot open the host's mount namespace"));
}

// A namespace file that is missing or not a mount namespace: natively the
// CLI fails before running anything; through nsenter, nsenter(1) fails with
// its own message (E5), and the host program never runs.
TEST(CliNamespaceTest, E2_AMissingOrWrongNamespaceFileRunsNothing) {
  TempDir scratch;
  const std::string marker = scratch.path() + "/ran";
  for (const std::string link : {"", "/proc/self/ns/net"}) {
    const CliRoot root(link);  // proc/1/ns/mnt missing, or a network namespace.
    const std::string file = root.path() + "/proc/1/ns/mnt";
    const std::vector<std::string> exec = {"--", "/usr/bin/touch", "--", marker};
    std::vector<std::string> argv = {Nsenterctl(), "exec",      "--rootfs",
                                     root.path(),  "--backend", "native"};
    argv.insert(argv.end(), exec.begin(), exec.end());
    CliRun run = RunCli(argv, kSystemPath);
    EXPECT_EQ(run.status, 1) << file;
    EXPECT_THAT(run.err, HasSubstr(Quote(file) + (link.empty() ? ": No such file or directory"
                                                               : " is not a mount namespace")));

    argv = {Nsenterctl(), "exec", "--rootfs", root.path()};
    argv.insert(argv.end(), exec.begin(), exec.end());
    run = RunCli(argv, kSystemPath);
    EXPECT_EQ(run.status, 1) << file;
    EXPECT_THAT(
        run.err,
        HasSubstr(link.empty()
                      ? "nsenter failed before running '/usr/bin/touch': cannot open " + file +
                            ": No such file or directory\n"
                      : "nsenter failed before running '/usr/bin/touch': reassociate to "
                        "namespace 'ns/mnt' failed: Invalid argument\n"));
    EXPECT_THAT(run.err, ::testing::Not(HasSubstr("nsenter: "))) << "one message, ours";
    EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the host program ran";
  }
}

// ------------------------------------- On this machine, with real processes.

// Both backends through the CLI on this machine: root with CAP_SYS_ADMIN.
class CliHostTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const auto missing = MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
  }

  // nsenterctl COMMAND --rootfs ROOT [--backend native] OPTIONS...
  std::vector<std::string> Argv(const std::string& command,
                                const std::vector<std::string>& options) const {
    std::vector<std::string> argv = {Nsenterctl(), command, "--rootfs", root_.path()};
    if (GetParam() == Backend::kNative) argv.insert(argv.end(), {"--backend", "native"});
    argv.insert(argv.end(), options.begin(), options.end());
    return argv;
  }

  CliRoot root_;
};

// A7: runs of slashes are one slash, as realpath prints them (E1).
TEST_P(CliHostTest, A7_RunsOfSlashesAreOneSlash) {
  CliRun run = RunCli(Argv("eval-symlinks", {"--must-exist", "--", "//"}), kSystemPath);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "/\n");
  run = RunCli(Argv("eval-symlinks", {"--", "///etc//"}), kSystemPath);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "/etc\n");
}

// A standard descriptor closed when the CLI starts is /dev/null in the host
// program, never a descriptor the CLI opened later in its place. (Through
// nsenter, the program's stderr is always a pipe the CLI reads.)
TEST_P(CliHostTest, AClosedStandardDescriptorIsDevNullInTheProgram) {
  for (const int closed : {0, 1, 2}) {
    if (closed == 2 && GetParam() == Backend::kNsenter) continue;
    const int shown_on = closed == 1 ? 2 : 1;
    const std::string fd = std::to_string(closed);
    std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$@\" " + fd + ">&-", "sh"};
    for (const std::string& word :
         Argv("exec", {"--", "/bin/sh", "-c",
                       // The substitution runs before the redirection.
                       "echo \"$(readlink /proc/$$/fd/" + fd + ")\" >&" +
                           std::to_string(shown_on) + "; exit 3"})) {
      argv.push_back(word);
    }
    const CliRun run = RunCli(argv, kSystemPath);
    EXPECT_EQ(run.status, 3) << "fd " << fd << ": " << run.err;
    EXPECT_EQ(shown_on == 1 ? run.out : run.err, "/dev/null\n") << "fd " << fd;
  }
}

// A8: names with blanks, newlines and bytes that are not UTF-8 come back
// byte for byte, as paths and as arguments of a host command (E3).
TEST_P(CliHostTest, A8_AwkwardNamesRoundTripByteForByte) {
  TempDir tree;
  const std::string base = RealPath(tree.path());
  for (const std::string name : {"sp ", " lead", "nl\n", "a\nb", "\xff\xfe", "caf\xe9"}) {
    tree.WriteFile(name);
    const CliRun resolved =
        RunCli(Argv("eval-symlinks", {"--must-exist", "--", base + "/" + name}), kSystemPath);
    EXPECT_EQ(resolved.status, 0) << Quote(name) << resolved.err;
    EXPECT_EQ(resolved.out, base + "/" + name + "\n") << Quote(name);
    const CliRun printed = RunCli(Argv("exec", {"--", "printf", "%s", name}), kSystemPath);
    EXPECT_EQ(printed.status, 0) << Quote(name) << printed.err;
    EXPECT_EQ(printed.out, name);
  }
}

// A10: a name discovery does not know is looked up on the host's PATH
// (decision 6.1); "-h" is a program name, never an option of nsenter. exec
// exits 127 in both backends, with one message, the same in both.
TEST_P(CliHostTest, A10_UndiscoveredNamesAreLookedUpOnTheHost) {
  for (const std::string name : {"no-such-command-xyz", "-h"}) {
    const CliRun run = RunCli(Argv("exec", {"--", name}), kSystemPath);
    EXPECT_EQ(run.status, 127) << name;
    EXPECT_EQ(run.err, "nsenterctl: host program " + Quote(name) +
                           " not found in the host mount namespace\n");
  }
}

// E3: without CAP_SYS_ADMIN (dropped from the bounding set by setpriv(1), so
// that no program it starts has it) the namespace is refused and the host
// program never runs.
TEST_P(CliHostTest, E3_WithoutCapSysAdminNothingRuns) {
  TempDir scratch;
  const std::string marker = scratch.path() + "/ran";
  std::vector<std::string> argv = {"/usr/bin/setpriv", "--bounding-set=-sys_admin", "--"};
  const std::vector<std::string> cli = Argv("exec", {"--", "/usr/bin/touch", "--", marker});
  argv.insert(argv.end(), cli.begin(), cli.end());
  const CliRun run = RunCli(argv, kSystemPath);
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err,
              HasSubstr(GetParam() == Backend::kNsenter
                            ? "reassociate to namespace 'ns/mnt' failed: Operation not permitted"
                            : "(needs CAP_SYS_ADMIN and CAP_SYS_CHROOT)"));
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the host program ran";
}

// E5: commands start at the namespace's "/", whatever the caller's directory.
TEST_P(CliHostTest, E5_CommandsStartAtTheNamespacesRoot) {
  const CliRun run = RunCli(Argv("exec", {"--", "pwd"}), kSystemPath);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "/\n");
}

// ------------------------------------------------ exec's exit statuses.

// The library's table of exit statuses (nsenter/exit_status_test.cc) through
// the CLI: the program's own status, 126/127 when it could not be started,
// 124 after --timeout, 128+N when killed by signal N; the same in both
// backends.
TEST_P(CliHostTest, ExecExitStatusesAreTheSameInBothBackends) {
  TempDir dir;
  const std::string file = RealPath(dir.WriteFile("script", "#!/bin/sh\n", 0644));
  const std::string directory = RealPath(dir.MakeDir("dir"));
  const std::string not_found = "nsenterctl: host program '/no/such/program' not found in the host mount namespace\n";
  const std::string not_executable =
      "nsenterctl: host program " + nsenter::Quote(file) + " cannot be executed on the host: Permission denied\n";
  const struct {
    std::vector<std::string> options;  // Before "--".
    std::vector<std::string> command;
    int status;
    std::optional<std::string> err = std::nullopt;  // All of stderr, where checked.
  } rows[] = {
      {{}, {"/bin/sh", "-c", "exit 0"}, 0, ""},
      {{}, {"/bin/sh", "-c", "exit 1"}, 1, ""},
      {{}, {"/bin/sh", "-c", "exit 126"}, 126, ""},
      {{}, {"/bin/sh", "-c", "exit 127"}, 127, ""},
      {{}, {"/bin/sh", "-c", "no-such-program-xyz"}, 127},
      {{}, {"true"}, 0, ""},
      {{}, {"/no/such/program"}, 127, not_found},
      {{}, {"no-such-program-xyz"}, 127},
      {{}, {file}, 126, not_executable},
      {{}, {directory}, 126},
      {{}, {"/bin/sh", "-c", "kill -9 $$"}, 128 + 9,
       "nsenterctl: '/bin/sh' was killed by signal 9 (Killed)\n"},
      // Quiet, as shells are, about a closed pipe (`exec -- yes | head -1`).
      {{}, {"/bin/sh", "-c", "kill -PIPE $$"}, 128 + SIGPIPE, ""},
      {{}, {"/bin/sh", "-c", "kill -INT $$"}, 128 + SIGINT, ""},
      {{"--timeout", "300ms"}, {"sleep", "30"}, 124},
  };
  for (const auto& row : rows) {
    std::vector<std::string> options = row.options;
    options.push_back("--");
    options.insert(options.end(), row.command.begin(), row.command.end());
    const CliRun run = RunCli(Argv("exec", options), kSystemPath);
    EXPECT_EQ(run.status, row.status) << nsenter::QuoteArgv(row.command) << "\n" << run.err;
    // One message per failure, ours, the same in both backends.
    if (row.err) {
      EXPECT_EQ(run.err, *row.err) << nsenter::QuoteArgv(row.command);
    }
  }
}

// SIGINT, SIGTERM and SIGHUP sent to nsenterctl reach the host program as
// that signal, and nsenterctl exits 130, 143 or 129 after reaping it.
TEST_P(CliHostTest, ExecStopsTheProgramWithTheSignalReceived) {
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(signal_number);
    const std::vector<std::string> argv =
        Argv("exec", {"--", "/bin/sh", "-c",
                      "for s in INT TERM HUP; do trap \"echo got $s; exit 3\" $s; done; "
                      "echo ready; while :; do sleep 0.05; done"});
    int out[2];
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<char*> c_argv;
    for (const std::string& word : argv) c_argv.push_back(const_cast<char*>(word.c_str()));
    c_argv.push_back(nullptr);
    std::string path_entry = std::string("PATH=") + kSystemPath;
    char* envp[] = {path_entry.data(), nullptr};
    pid_t pid = -1;
    ASSERT_EQ(posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), envp), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string printed;
    char buffer[256];
    ssize_t n;
    while (printed.find("ready\n") == std::string::npos &&
           (n = read(out[0], buffer, sizeof buffer)) > 0) {
      printed.append(buffer, static_cast<size_t>(n));
    }
    ASSERT_EQ(printed, "ready\n");
    ASSERT_EQ(kill(pid, signal_number), 0);
    while ((n = read(out[0], buffer, sizeof buffer)) > 0) printed.append(buffer, static_cast<size_t>(n));
    close(out[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal_number);
    // The program got the stop and ended before nsenterctl did (its stdout,
    // the pipe, closed only then).
    const std::string name = signal_number == SIGINT ? "INT" : signal_number == SIGTERM ? "TERM" : "HUP";
    EXPECT_EQ(printed, "ready\ngot " + name + "\n");
  }
}

// stdin reaches the host program, as with `docker exec -i`.
TEST_P(CliHostTest, ExecForwardsItsStdin) {
  const CliRun run = RunCli(Argv("exec", {"--", "cat"}), kSystemPath, "hi\nthere\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "hi\nthere\n");
}

// The host program gets the host PATH and each --env; this process's
// environment only with --inherit-env.
TEST_P(CliHostTest, ExecPassesOnlyTheEnvironmentAskedFor) {
  const std::vector<std::string> secret = {"NSENTERCTL_TEST_SECRET=token"};
  const std::string host_path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  CliRun run = RunCli(Argv("exec", {"--", "env"}), kSystemPath, "", secret);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, host_path + "\n");

  run = RunCli(Argv("exec", {"--env", "A=1", "--env=B=x=y", "--env", "A=2", "--", "env"}),
               kSystemPath, "", secret);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, host_path + "\nA=2\nB=x=y\n");

  run = RunCli(Argv("exec", {"--inherit-env", "--env", "A=1", "--", "env"}), kSystemPath, "",
               secret);
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("NSENTERCTL_TEST_SECRET=token\n"));
  EXPECT_THAT(run.out, HasSubstr("PATH=" + std::string(kSystemPath) + "\n"));
  EXPECT_THAT(run.out, HasSubstr("A=1\n"));

  for (const std::string bad : {"NOEQUALS", "=value"}) {
    run = RunCli(Argv("exec", {"--env", bad, "--", "env"}), kSystemPath);
    EXPECT_EQ(run.status, 2) << bad;
    EXPECT_THAT(run.err, HasSubstr("invalid --env '" + bad + "' (want KEY=VALUE)"));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CliHostTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return BackendName(info.param); });

}  // namespace
}  // namespace nsenterctl
