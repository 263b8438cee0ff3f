// Runs the nsenterctl binary and checks the conventions a script relies on:
// write errors, the exit-status table (in --help and README.md), help
// COMMAND, --version, durations, input refused as bad usage, the library's
// options, the propagation preflight, and --fixture with both backends.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/discovery.h"
#include "nsenter/testing/host_root.h"
#include "nsenter/process_executor.h"

namespace nsenterctl {
namespace {

using nsenter::fakehost::TempDir;
using nsenter::testing_support::HostRoot;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSystemPath[] = "/usr/sbin:/usr/bin:/sbin:/bin";

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") + "/" +
         path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string Fixture(const std::string& name) { return Runfile("testdata/hosts/" + name + ".json"); }

struct CliRun {
  int status = -1;
  std::string out;  // Empty when stdout went to `stdout_fd`.
  std::string err;
};

// Runs nsenterctl with `args`, PATH `path`, `env` and nothing else in its
// environment; its stdout goes to `stdout_fd` if given, else is captured.
CliRun RunCli(const std::vector<std::string>& args, int stdout_fd = -1,
              const std::string& path = kSystemPath, std::vector<std::string> env = {}) {
  const TempDir capture;
  const std::string out_file = capture.path() + "/out";
  const std::string err_file = capture.path() + "/err";
  const int out_fd = stdout_fd >= 0 ? stdout_fd : open(out_file.c_str(), O_WRONLY | O_CREAT, 0600);
  const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT, 0600);
  std::unique_ptr<nsenter::Cmd> cmd =
      nsenter::ProcessExecutor().Command(Runfile("tools/nsenterctl"), args);
  env.push_back("PATH=" + path);
  cmd->SetEnv(env);
  cmd->SetStdout(out_fd);
  cmd->SetStderr(err_fd);
  const nsenter::Status status = cmd->Run();
  if (stdout_fd < 0) close(out_fd);
  close(err_fd);
  CliRun run;
  if (status.ok()) {
    run.status = 0;
  } else {
    EXPECT_EQ(status.error().code(), nsenter::ErrorCode::kNonZeroExit) << status.error().ToString();
    run.status = status.error().exit_status();
  }
  run.out = stdout_fd >= 0 ? "" : ReadFile(out_file);
  run.err = ReadFile(err_file);
  return run;
}

// An nsenter, first on PATH, that writes its arguments to a file and exits 0.
class SpyNsenter {
 public:
  SpyNsenter() {
    dir_.WriteFile("nsenter", "#!/bin/sh\necho \"$@\" > \"$0.args\"\n", 0755);
  }
  std::string path() const { return dir_.path() + ":" + kSystemPath; }
  std::string Args() const { return ReadFile(dir_.path() + "/nsenter.args"); }

 private:
  TempDir dir_;
};

// Commands that print on stdout: each subcommand that does, and the help.
std::vector<std::vector<std::string>> PrintingCommands() {
  const std::string host = Fixture("debian-12-this-machine");
  return {{"--help"},
          {"help", "probe"},
          {"probe", "--help"},
          {"--version"},
          {"probe", "--fixture", host},
          {"eval-symlinks", "--fixture", host, "/var/run/../lib"},
          {"kubelet-path", "/var/lib"}};
}

TEST(WriteErrorTest, AFullDeviceIsAWriteErrorAndExitsOne) {
  const int full = open("/dev/full", O_WRONLY);
  ASSERT_GE(full, 0);
  for (const std::vector<std::string>& args : PrintingCommands()) {
    SCOPED_TRACE(::testing::PrintToString(args));
    ASSERT_EQ(RunCli(args).status, 0) << "the command must succeed on a working stdout";
    const CliRun run = RunCli(args, full);
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err, "nsenterctl: write error: No space left on device\n");
  }
  close(full);
}

TEST(WriteErrorTest, AClosedPipeExitsOneQuietly) {
  for (const std::vector<std::string>& args : PrintingCommands()) {
    SCOPED_TRACE(::testing::PrintToString(args));
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    close(pipe_fds[0]);  // No reader: every write fails with EPIPE (or SIGPIPE).
    const CliRun run = RunCli(args, pipe_fds[1]);
    close(pipe_fds[1]);
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err, "");
  }
}

// A fake host program (exec --fixture) writing to a closed pipe is ended as
// SIGPIPE ends a real one: quietly, with exec's 128+13.
TEST(WriteErrorTest, AFakeHostProgramOnAClosedPipeEndsQuietlyAsBySigpipe) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  close(pipe_fds[0]);
  const CliRun run = RunCli({"exec", "--fixture", Fixture("debian-12-this-machine"), "--",
                             "/bin/realpath", "-e", "--", "/"},
                            pipe_fds[1]);
  close(pipe_fds[1]);
  EXPECT_EQ(run.status, 128 + SIGPIPE);
  EXPECT_EQ(run.err, "");
}

TEST(HelpTest, ListsTheExitStatuses) {
  const CliRun run = RunCli({"--help"});
  ASSERT_EQ(run.status, 0);
  for (const char* row : {"  0      success\n", "  1      the operation failed",
                          "  2      bad usage, or input refused before anything ran",
                          "  124    CMD was killed after --timeout", "  126    CMD was found but",
                          "  127    CMD was not found\n", "  128+N  CMD was killed by signal N\n"}) {
    EXPECT_THAT(run.out, HasSubstr(row));
  }
}

TEST(HelpTest, TheReadmeShowsExactlyTheHelp) {
  const std::string readme = ReadFile(Runfile("README.md"));
  const std::string opening = "```text\nusage: nsenterctl COMMAND";
  const size_t start = readme.find(opening);
  ASSERT_NE(start, std::string::npos) << "README.md has no block of nsenterctl --help";
  const size_t body = start + std::string("```text\n").size();
  const size_t end = readme.find("```\n", body);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(readme.substr(body, end - body), RunCli({"--help"}).out)
      << "update README.md with the output of nsenterctl --help";
}

TEST(HelpTest, ListsEverySynopsisWithTheOptionsOfItsHelp) {
  const std::string help = RunCli({"--help"}).out;
  for (const char* command :
       {"probe", "eval-symlinks", "kubelet-path", "propagation", "mounts", "is-mount-point", "stat",
        "mount", "umount", "mkdir", "exec", "record"}) {
    const std::string usage = RunCli({command, "--help"}).out;
    const std::string first_line = usage.substr(0, usage.find('\n'));
    ASSERT_TRUE(first_line.starts_with("usage: nsenterctl ")) << usage;
    EXPECT_THAT(help, HasSubstr("  " + first_line.substr(std::string("usage: ").size())));
  }
  for (const char* option : {"--rootfs DIR", "--fixture FILE", "--backend B", "--search-dir DIR",
                             "--namespaces LIST", "--target-pid PID", "--verbose"}) {
    EXPECT_THAT(help, HasSubstr("  " + std::string(option)));
  }
}

TEST(HelpTest, HelpCommandPrintsThatCommandsHelp) {
  for (const char* command : {"probe", "exec", "propagation"}) {
    const CliRun help = RunCli({"help", command});
    EXPECT_EQ(help.status, 0);
    EXPECT_EQ(help.out, RunCli({command, "--help"}).out);
  }
  EXPECT_EQ(RunCli({"help"}).out, RunCli({"--help"}).out);

  CliRun run = RunCli({"help", "frobnicate"});
  EXPECT_EQ(run.status, 2);
  EXPECT_THAT(run.err, HasSubstr("unknown command 'frobnicate'"));
  run = RunCli({"help", "probe", "exec"});
  EXPECT_EQ(run.status, 2);
  EXPECT_THAT(run.err, HasSubstr("expected at most one COMMAND"));
  // A --help after COMMAND asks for the same help; --version is no COMMAND.
  for (const char* option : {"--help", "-h"}) {
    run = RunCli({"help", "exec", option});
    EXPECT_EQ(run.status, 0) << option << ": " << run.err;
    EXPECT_EQ(run.out, RunCli({"exec", "--help"}).out) << option;
  }
  run = RunCli({"help", "--version"});
  EXPECT_EQ(run.status, 2);
  EXPECT_THAT(run.err, HasSubstr("unknown command '--version'"));
}

TEST(HelpTest, HelpOfHelpDescribesHelp) {
  for (const char* word : {"help", "--help", "-h"}) {
    const CliRun run = RunCli({"help", word});
    EXPECT_EQ(run.status, 0) << word << ": " << run.err;
    EXPECT_TRUE(run.out.starts_with("usage: nsenterctl help [COMMAND]\n"
                                    "       nsenterctl --help [COMMAND]\n\n"))
        << run.out;
  }
  EXPECT_EQ(RunCli({"--help", "help"}).out, RunCli({"help", "help"}).out);
}

// As `git --help COMMIT` and `pip --help`: the option is the command.
TEST(HelpTest, HelpOptionWithACommandPrintsThatCommandsHelp) {
  for (const char* option : {"--help", "-h"}) {
    for (const char* command : {"probe", "record"}) {
      const CliRun run = RunCli({option, command});
      EXPECT_EQ(run.status, 0) << run.err;
      EXPECT_EQ(run.out, RunCli({command, "--help"}).out) << option << " " << command;
    }
  }
}

// Where the description of an item of a help text starts: "  --name VALUE
// text" or "  124    text" (a term of one or two words, two or more blanks,
// then text); 0 for any other line.
size_t DescriptionColumn(const std::string& line) {
  if (!line.starts_with("  ") || line.size() < 3 || line[2] == ' ') return 0;
  const size_t gap = line.find("  ", 2);
  if (gap == std::string::npos) return 0;
  const std::string term = line.substr(2, gap - 2);
  if (std::count(term.begin(), term.end(), ' ') > 1) return 0;
  const size_t text = line.find_first_not_of(' ', gap);
  return text == std::string::npos ? 0 : text;
}

// The description column of an option (or exit status) in a help text, and
// where each of its continuation lines starts, must be the same; every help
// fits 80 columns (so does README.md's copy of the general help, which
// TheReadmeShowsExactlyTheHelp keeps equal to it).
TEST(HelpTest, ContinuationLinesAlignWithTheirDescription) {
  std::vector<std::vector<std::string>> helps = {{"--help"}, {"help", "help"}};
  for (const char* command :
       {"probe", "eval-symlinks", "kubelet-path", "propagation", "mounts", "is-mount-point", "stat",
        "mount", "umount", "mkdir", "exec", "record"}) {
    helps.push_back({command, "--help"});
  }
  for (const std::vector<std::string>& args : helps) {
    const std::string help = RunCli(args).out;
    ASSERT_FALSE(help.empty()) << ::testing::PrintToString(args);
    std::istringstream lines(help);
    size_t column = 0;  // Of the item above; 0 after any other line.
    std::string above;
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(line.size(), 80u) << line;
      const size_t indent = line.find_first_not_of(' ');
      if (const size_t description = DescriptionColumn(line); description != 0) {
        column = description;
        above = line;
      } else if (column != 0 && indent != std::string::npos && indent > 2) {
        EXPECT_EQ(indent, column) << ::testing::PrintToString(args) << ": '" << line
                                  << "' continues '" << above << "'";
      } else {
        column = 0;
      }
    }
  }
}

TEST(VersionTest, PrintsTheVersionAndTheCommit) {
  std::string version = ReadFile(Runfile("VERSION"));
  version = version.substr(0, version.find('\n'));
  const CliRun run = RunCli({"--version"});
  EXPECT_EQ(run.status, 0);
  const std::string prefix = "nsenterctl " + version + " (commit ";
  ASSERT_TRUE(run.out.starts_with(prefix) && run.out.ends_with(")\n")) << run.out;
  std::string commit = run.out.substr(prefix.size(), run.out.size() - prefix.size() - 2);
  if (commit.ends_with("-dirty")) commit.resize(commit.size() - std::string("-dirty").size());
  EXPECT_EQ(commit.size(), 40u) << commit;
  EXPECT_EQ(commit.find_first_not_of("0123456789abcdef"), std::string::npos) << commit;
}

TEST(DurationTest, TimeoutTakesUnitsAndABareNumberOfSeconds) {
  const HostRoot host;
  for (const char* duration : {"500ms", "1.5s", "30", "2m", "1h"}) {
    const SpyNsenter spy;
    const CliRun run = RunCli(
        {"exec", "--rootfs", host.path(), "--timeout", duration, "--", "true"}, -1, spy.path());
    EXPECT_EQ(run.status, 0) << duration << ": " << run.err;
    EXPECT_THAT(spy.Args(), HasSubstr("-- true")) << duration;
  }
}

TEST(BadUsageTest, InputRefusedBeforeAnythingRunsExitsTwo) {
  const HostRoot host;
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"exec", "--timeout", "1d", "--", "true"},
       "invalid duration '1d' (want a number of seconds, or a number with a unit: 500ms, 1.5s, 2m, "
       "1h)"},
      {{"exec", "--timeout", "0", "--", "true"}, "duration '0' must be positive"},
      {{"eval-symlinks", "--rootfs", host.path(), "--", "var/lib"}, "path 'var/lib' is not absolute"},
      {{"eval-symlinks", "--rootfs", host.path(), "--", ""}, "path is empty"},
      {{"kubelet-path", "--", "var/lib"}, "host path 'var/lib' is not absolute"},
      {{"mounts", "--rootfs", host.path(), "/"}, "expected no operands"},
      {{"is-mount-point", "--rootfs", host.path(), "--", "var/lib"},
       "path 'var/lib' is not absolute"},
      {{"is-mount-point", "--rootfs", host.path()}, "expected exactly one PATH"},
      {{"stat", "--rootfs", host.path(), "--", "var/lib"}, "path 'var/lib' is not absolute"},
      {{"stat", "--rootfs", host.path(), "/", "/etc"}, "expected exactly one PATH"},
      {{"mount", "--rootfs", host.path(), "tmpfs"}, "expected SOURCE and TARGET"},
      {{"mount", "--rootfs", host.path(), "-t", "tmpfs", "tmpfs", "-o", "ro", "/mnt"},
       "expected SOURCE and TARGET"},
      {{"mount", "--rootfs", host.path(), "-x", "tmpfs", "/mnt"}, "unknown option '-x'"},
      {{"umount", "--rootfs", host.path()}, "expected exactly one TARGET"},
      {{"mkdir", "--rootfs", host.path(), "/a", "/b"}, "expected exactly one PATH"},
      {{"mkdir", "--rootfs", host.path(), "-m", "0700", "--mode", "0750", "/a"},
       "option '--mode' given more than once"},
      {{"propagation", "--", "var/lib"}, "host path 'var/lib' is not absolute"},
      {{"probe", "--rootfs", ""}, "--rootfs is empty"},
      {{"probe", "--rootfs", host.path(), "--search-dir", "opt/bin"},
       "search dir 'opt/bin' is not absolute"},
      {{"probe", "--rootfs", host.path(), "--namespaces", "mnt,time"},
       "unknown namespace 'time' in --namespaces"},
      {{"probe", "--rootfs", host.path(), "--namespaces", "net"}, "--namespaces must include mnt"},
      {{"probe", "--rootfs", host.path(), "--namespaces", "mnt,mnt"},
       "namespace 'mnt' is given twice in --namespaces"},
      {{"exec", "--rootfs", host.path(), "--backend", "native", "--namespaces", "mnt,pid", "--",
        "true"},
       "the native backend cannot enter the PID namespace (use --backend nsenter)"},
      {{"probe", "--rootfs", host.path(), "--target-pid", "0"}, "invalid --target-pid '0'"},
      {{"probe", "--rootfs", host.path(), "--target-pid", "1x"}, "invalid --target-pid '1x'"},
      {{"probe", "--fixture", Fixture("busybox"), "--namespaces", "mnt,net"},
       "--fixture records the mount namespace only: --namespaces must be mnt"},
      {{"probe", "--fixture", ""}, "--fixture is empty"},
      {{"probe", "--rootfs", host.path(), "--backend", "setns"},
       "unknown backend 'setns' (want nsenter or native)"},
      {{"eval-symlinks", "--rootfs", host.path(), "--search-dir", "", "/"}, "search dir is empty"},
      {{"kubelet-path", "--rootfs", "", "/var/lib"}, "--rootfs is empty"},
      {{"propagation", "--rootfs", ""}, "--rootfs is empty"},
      {{"exec", "--rootfs", host.path(), "--", ""}, "CMD is empty"},
      {{"exec", "--rootfs", host.path(), "--", "./mount"},
       "CMD './mount' is neither an absolute host path nor a bare name for the host PATH"},
      {{"exec", "--rootfs", host.path(), "--env", "=x", "--", "true"},
       "invalid --env '=x' (want KEY=VALUE)"},
      {{"exec", "--rootfs", host.path(), "--env", "PATH", "--", "true"},
       "invalid --env 'PATH' (want KEY=VALUE)"},
      {{"record", "--rootfs", ""}, "--rootfs is empty"},
      {{"record", "--rootfs", host.path(), "--probe", "var/lib"},
       "probe 'var/lib' is not absolute"},
      {{"record", "--rootfs", host.path(), "--probe", ""}, "probe is empty"},
      {{"record", "--rootfs", host.path(), "--search-dir", "opt/bin"},
       "search dir 'opt/bin' is not absolute"},
      {{"record", "--rootfs", host.path(), "--fixture-root", "rootfs"},
       "fixture root 'rootfs' is not absolute"},
      {{"record", "--rootfs", host.path(), "--fixture-root", "/rootfs/"},
       "fixture root '/rootfs/' is not a clean path"},
      {{"record", "--rootfs", host.path(), "--out", ""}, "--out is empty"},
      {{"record", "--rootfs", host.path(), "--name", ""}, "--name is empty"},
      {{"--version", "extra"}, "unexpected operand 'extra'"},
      {{"--help", "probe", "exec"}, "expected at most one COMMAND"},
      {{"--help", "frobnicate"}, "unknown command 'frobnicate'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const SpyNsenter spy;
    const CliRun run = RunCli(c.args, -1, spy.path());
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr(c.message));
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(spy.Args(), "") << "nsenter ran";
  }
}

TEST(LibraryOptionsTest, NamespacesAndTargetPidChooseTheNamespaceFiles) {
  const HostRoot host;
  const SpyNsenter spy;
  const CliRun run = RunCli({"exec", "--rootfs", host.path(), "--namespaces", "mnt,net,uts",
                             "--target-pid", "42", "--", "hostname"},
                            -1, spy.path());
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string ns = host.path() + "/proc/42/ns/";
  EXPECT_EQ(spy.Args(), "--uts=" + ns + "uts --net=" + ns + "net --mount=" + ns + "mnt -- hostname\n");
}

TEST(LibraryOptionsTest, SearchDirFindsBinariesOutsideTheDefaults) {
  const HostRoot host("opt/bin");
  host.AddMountNamespace();
  CliRun run = RunCli({"probe", "--rootfs", host.path()});
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " +
                                 host.path() + "); the host has /opt/bin: try --search-dir /opt/bin\n"));

  run = RunCli({"probe", "--rootfs", host.path(), "--search-dir", "/srv", "--search-dir",
                "/opt/bin", "--json"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["binaries"]["mount"], "/opt/bin/mount");
}

// The hint names a directory the host has (through NixOS's symlinks into
// /nix/store), and following it works, with both backends.
TEST(LibraryOptionsTest, ProbeOnTheNixosFixtureHintsAtASearchDirThatWorks) {
  const std::string nixos = Fixture("nixos-layout");
  for (const char* backend : {"nsenter", "native"}) {
    SCOPED_TRACE(backend);
    CliRun run = RunCli({"probe", "--fixture", nixos, "--backend", backend});
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err,
              "nsenterctl: unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under "
              "/rootfs); the host has /run/current-system/sw/bin: try --search-dir "
              "/run/current-system/sw/bin\n");

    run = RunCli({"probe", "--fixture", nixos, "--backend", backend, "--search-dir",
                  "/run/current-system/sw/bin", "--json"});
    ASSERT_EQ(run.status, 0) << run.err;
    const nlohmann::json found = nlohmann::json::parse(run.out);
    for (const std::string& name : nsenter::DefaultRequiredBinaries()) {
      if (name == "sh") continue;  // /bin/sh, as on NixOS.
      EXPECT_EQ(found["binaries"][name], "/run/current-system/sw/bin/" + name);
    }
    EXPECT_EQ(found["realpath"], "/run/current-system/sw/bin/realpath");
  }
}

// Runs `propagation` for the host root "/" in a mount namespace of its own
// whose mounts have `propagation` towards a parent namespace with shared
// mounts (unshare(1); the parent's shell stays, or its namespace and the
// peer group would go); false if such namespaces cannot be made here.
bool RunPropagationIn(const std::string& propagation, CliRun& run) {
  std::unique_ptr<nsenter::Cmd> cmd = nsenter::ProcessExecutor().Command(
      "unshare",
      {"--mount", "sh", "-c",
       "mount --make-rshared / || exit 99; unshare --mount --propagation \"$0\" \"$@\"",
       propagation, Runfile("tools/nsenterctl"), "propagation", "--rootfs", "/", "--json", "/"});
  cmd->SetEnv({std::string("PATH=") + kSystemPath});
  nsenter::Result<std::string> out = cmd->Output();
  if (out.ok()) {
    run = {0, *out, ""};
    return true;
  }
  if (out.error().exit_status() == 99 || out.error().stderr_data().starts_with("unshare:")) {
    return false;
  }
  run = {out.error().exit_status(), out.error().stdout_data(), out.error().stderr_data()};
  return true;
}

TEST(PropagationTest, ExitsZeroOnlyWhereHostMountsArrive) {
  CliRun run;
  if (!RunPropagationIn("slave", run)) GTEST_SKIP() << "cannot make a mount namespace here";
  EXPECT_EQ(run.status, 0) << run.err;
  nlohmann::json answer = nlohmann::json::parse(run.out);
  EXPECT_EQ(answer["propagation"], "slave");
  EXPECT_EQ(answer["receives_host_mounts"], true);
  EXPECT_EQ(answer["mount_point"], "/");

  ASSERT_TRUE(RunPropagationIn("private", run));
  EXPECT_EQ(run.status, 1);
  answer = nlohmann::json::parse(run.out);
  EXPECT_EQ(answer["propagation"], "private");
  EXPECT_EQ(answer["receives_host_mounts"], false);
  EXPECT_THAT(run.err, HasSubstr("which is private: mounts made on the host will not appear there; "
                                 "mount the host root with rslave"));
}

TEST(RecordTest, RefusesAHostWhoseMountNamespaceCannotBeOpened) {
  const HostRoot host;
  const TempDir out;
  const std::string fixture = out.path() + "/host.json";
  const SpyNsenter spy;
  const CliRun run = RunCli({"record", "--rootfs", host.path(), "--out", fixture}, -1, spy.path());
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("cannot open the host's mount namespace '" + host.path() +
                                 "/proc/1/ns/mnt': No such file or directory"));
  EXPECT_FALSE(std::filesystem::exists(fixture)) << "a fixture was written";
  EXPECT_EQ(spy.Args(), "") << "nsenter ran";
}

TEST(RecordTest, FailsWhereNsenterItselfFails) {
  const HostRoot host;
  host.AddMountNamespace();
  const TempDir bin;
  bin.WriteFile("nsenter",
                "#!/bin/sh\necho \"nsenter: reassociate to namespace 'ns/mnt' failed: Operation not "
                "permitted\" >&2\nexit 1\n",
                0755);
  const TempDir out;
  const std::string fixture = out.path() + "/host.json";
  const CliRun run = RunCli({"record", "--rootfs", host.path(), "--out", fixture}, -1,
                            bin.path() + ":" + kSystemPath);
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("cannot record the host: nsenter failed before running"));
  EXPECT_THAT(run.err, HasSubstr(": 'nsenter: reassociate to namespace \\'ns/mnt\\' failed: "
                                 "Operation not permitted'\n"));
  EXPECT_FALSE(std::filesystem::exists(fixture)) << "a fixture was written";
}

// A host whose programs are in /opt/bin only, recorded with and without
// --search-dir /opt/bin (the host's realpath fails every query: an nsenter
// that exits 1 stands for it); replay with --search-dir /opt/bin finds them
// only in the recording made with it.
TEST(RecordTest, SearchDirRecordsTheBinariesThereForReplay) {
  const HostRoot host("opt/bin");
  host.AddMountNamespace();
  const TempDir bin;
  bin.WriteFile("nsenter", "#!/bin/sh\nexit 1\n", 0755);
  const TempDir out;
  for (const bool with_search_dir : {true, false}) {
    SCOPED_TRACE(with_search_dir ? "recorded with --search-dir" : "recorded without");
    const std::string fixture = out.path() + (with_search_dir ? "/with.json" : "/without.json");
    std::vector<std::string> record = {"record", "--rootfs", host.path(), "--out", fixture};
    if (with_search_dir) record.insert(record.end(), {"--search-dir", "/opt/bin"});
    CliRun run = RunCli(record, -1, bin.path() + ":" + kSystemPath);
    ASSERT_EQ(run.status, 0) << run.err;
    const nlohmann::json recorded = nlohmann::json::parse(ReadFile(fixture));
    EXPECT_EQ(recorded["expect"]["create_error"]["message_starts_with"],
              "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under ")
        << "expect is that of the default search dirs";
    const auto& entries = recorded["entries"];
    const auto is_mount = [](const nlohmann::json& entry) { return entry["path"] == "/opt/bin/mount"; };
    EXPECT_EQ(std::any_of(entries.begin(), entries.end(), is_mount), with_search_dir);

    for (const char* backend : {"nsenter", "native"}) {
      run = RunCli({"probe", "--fixture", fixture, "--backend", backend, "--search-dir", "/opt/bin",
                    "--json"});
      if (with_search_dir) {
        ASSERT_EQ(run.status, 0) << backend << ": " << run.err;
        EXPECT_EQ(nlohmann::json::parse(run.out)["binaries"]["mount"], "/opt/bin/mount") << backend;
      } else {
        EXPECT_EQ(run.status, 1) << backend;
        EXPECT_THAT(run.err, HasSubstr("unable to find mount")) << backend;
      }
    }
  }
}

// The host's mount table is recorded line for line, escapes kept; a table
// the parser refuses fails the recording, naming the file and line.
TEST(RecordTest, RecordsTheHostsMountTable) {
  const HostRoot host;
  host.AddMountNamespace();
  const TempDir bin;
  bin.WriteFile("nsenter", "#!/bin/sh\nexit 1\n", 0755);
  const std::string table =
      "21 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
      "40 21 0:40 / /mnt/a\\040b rw,relatime shared:20 - tmpfs tmpfs rw,size=8k\n";
  host.WriteFile("proc/1/mountinfo", table);
  const TempDir out;
  const std::string fixture = out.path() + "/host.json";
  CliRun run = RunCli({"record", "--rootfs", host.path(), "--out", fixture}, -1,
                      bin.path() + ":" + kSystemPath);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(ReadFile(fixture))["mountinfo"],
            nlohmann::json::array({"21 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
                                   "40 21 0:40 / /mnt/a\\040b rw,relatime shared:20 - tmpfs tmpfs "
                                   "rw,size=8k"}));

  host.WriteFile("proc/1/mountinfo", "21 1 254:1 / / rw ext4 /dev/vda1 rw\n");
  run = RunCli({"record", "--rootfs", host.path(), "--out", fixture}, -1,
               bin.path() + ":" + kSystemPath);
  EXPECT_EQ(run.status, 1);
  EXPECT_THAT(run.err, HasSubstr("cannot record the mount table"));
  EXPECT_THAT(run.err, HasSubstr("mountinfo line 1"));
}

// A write cut short (here by a file-size limit of 512 bytes, SIGXFSZ
// ignored, as a full disk would) leaves the previous fixture whole, and no
// temporary file beside it.
TEST(RecordTest, AFailedWriteKeepsThePreviousFixture) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ThreadSanitizer's runtime dies of SIGBUS under a 512-byte file-size limit";
#endif
  const HostRoot host("opt/bin");
  host.AddMountNamespace();
  // A mount table, so that no note about it takes the 512 bytes of stderr.
  host.WriteFile("proc/1/mountinfo", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n");
  const TempDir bin;
  bin.WriteFile("nsenter", "#!/bin/sh\nexit 1\n", 0755);
  const TempDir out;
  out.WriteFile("host.json", "the previous fixture\n", 0644);
  const std::string fixture = out.path() + "/host.json";
  const TempDir capture;
  const std::string err_file = capture.path() + "/err";
  const int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT, 0600);
  std::unique_ptr<nsenter::Cmd> cmd = nsenter::ProcessExecutor().Command(
      "/bin/sh", {"-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"",
                  Runfile("tools/nsenterctl"), "record", "--rootfs", host.path(), "--out", fixture});
  cmd->SetEnv({"PATH=" + bin.path() + ":" + kSystemPath});
  cmd->SetStderr(err_fd);
  const nsenter::Status status = cmd->Run();
  close(err_fd);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().exit_status(), 1);
  EXPECT_TRUE(ReadFile(err_file).ends_with("nsenterctl: cannot write '" + fixture +
                                           "': File too large\n"))
      << ReadFile(err_file);
  EXPECT_EQ(ReadFile(fixture), "the previous fixture\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "a temporary file was left";
}

TEST(PropagationTest, RefusesAMissingRootOrPath) {
  const TempDir root;
  const std::string missing = root.path() + "/nonexistent";
  CliRun run = RunCli({"propagation", "--rootfs", missing});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("cannot open root '" + missing + "': No such file or directory"));

  run = RunCli({"propagation", "--rootfs", root.path(), "--", "/var/lib/kubelet"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  // "lstat" or "openat2", as the kernel allows; the path once.
  EXPECT_TRUE(run.err.starts_with("nsenterctl: cannot check the host path: ")) << run.err;
  EXPECT_TRUE(run.err.ends_with(" '/var/lib/kubelet' under '" + root.path() +
                                "': No such file or directory\n"))
      << run.err;
  EXPECT_EQ(run.err.find("/var/lib/kubelet"), run.err.rfind("/var/lib/kubelet")) << run.err;
}

// A path in an error is named once, however the error was wrapped: a long
// one would otherwise fill the terminal twice.
TEST(ErrorMessageTest, NamesAPathOnce) {
  const TempDir root;
  std::string path;
  for (int i = 0; i < 15; ++i) path += "/" + std::string(200, 'a' + i);
  const std::string host = Fixture("debian-12-this-machine");
  const std::vector<std::vector<std::string>> failing = {
      {"propagation", "--rootfs", root.path(), "--", path},
      {"eval-symlinks", "--fixture", host, "--must-exist", "--", path},
      {"eval-symlinks", "--fixture", host, "--backend", "native", "--must-exist", "--", path},
      {"exec", "--fixture", host, "--", path},
  };
  for (const std::vector<std::string>& args : failing) {
    SCOPED_TRACE(args[0] + " " + args[2].substr(0, 40) + " " + args[3].substr(0, 40));
    const CliRun run = RunCli(args);
    EXPECT_NE(run.status, 0);
    const size_t first = run.err.find(path);
    ASSERT_NE(first, std::string::npos) << run.err;
    EXPECT_EQ(run.err.find(path, first + 1), std::string::npos) << run.err;
  }
}

std::vector<std::string> FixtureFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(Runfile("testdata/hosts"))) {
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FixtureBackendTest, BothBackendsProbeEveryFixtureAlike) {
  ASSERT_FALSE(FixtureFiles().empty());
  for (const std::string& fixture : FixtureFiles()) {
    SCOPED_TRACE(fixture);
    const CliRun replayed = RunCli({"probe", "--fixture", fixture, "--json"});
    const CliRun native =
        RunCli({"probe", "--fixture", fixture, "--backend", "native", "--json"});
    EXPECT_EQ(native.status, replayed.status) << native.err;
    EXPECT_EQ(native.out, replayed.out);
  }
}

TEST(FixtureBackendTest, NativeResolvesInTheMaterializedTree) {
  const std::string host = Fixture("debian-12-this-machine");
  for (const char* path : {"/var/run/../lib", "/bin/sh", "/var/run/nothing/here"}) {
    SCOPED_TRACE(path);
    const CliRun replayed = RunCli({"eval-symlinks", "--fixture", host, "--", path});
    const CliRun native =
        RunCli({"eval-symlinks", "--fixture", host, "--backend", "native", "--", path});
    EXPECT_EQ(native.status, 0) << native.err;
    EXPECT_EQ(native.out, replayed.out);
  }
}

// The temporary directory a fixture is materialized into is gone when the
// user reads a message: errors and the log name the fixture's root instead,
// as the nsenter backend does.
TEST(FixtureBackendTest, NativeMessagesNameTheFixturesRoot) {
  const std::string host = Fixture("debian-12-this-machine");
  const std::string root = nlohmann::json::parse(ReadFile(host))["root"];
  CliRun run = RunCli({"eval-symlinks", "--fixture", host, "--backend", "native", "--must-exist",
                       "--", "/nonexistent/x"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "nsenterctl: realpath -e of '/nonexistent/x': lstat '/nonexistent' under '" +
                         root + "': No such file or directory\n");

  run = RunCli({"probe", "--fixture", Fixture("busybox"), "--backend", "native"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, RunCli({"probe", "--fixture", Fixture("busybox")}).err);
  EXPECT_THAT(run.err, HasSubstr(" under /rootfs)"));

  run = RunCli({"eval-symlinks", "--verbose", "--fixture", host, "--backend", "native", "/"});
  EXPECT_EQ(run.status, 0);
  EXPECT_THAT(run.err, HasSubstr("nsenterctl: resolving symlinks in '" + root +
                                 "', not in the target's root (cannot open root '" + root +
                                 "/proc/1/root': No such file or directory)"));
}

// SIGHUP, SIGINT or SIGTERM at any moment of a run with a materialized
// fixture (while it is written, probed, removed) leave no temporary tree,
// and end the CLI by that signal. Delays are random, over the life of a run.
TEST(FixtureBackendTest, SignalsLeaveNoMaterializedTree) {
  const TempDir tmpdir;
  const std::string env_tmpdir = "TMPDIR=" + tmpdir.path();
  const std::string cli = Runfile("tools/nsenterctl");
  const std::string host = Fixture("debian-12-this-machine");
  std::vector<const char*> argv = {cli.c_str(), "probe",  "--fixture", host.c_str(),
                                   "--backend", "native", nullptr};
  char* env[] = {const_cast<char*>(env_tmpdir.c_str()), nullptr};
  const int null = open("/dev/null", O_WRONLY);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, null, STDOUT_FILENO);
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_us(0, 60000);
  int signalled = 0;
  for (int run = 0; run < 30; ++run) {
    const int signal = std::vector<int>{SIGHUP, SIGINT, SIGTERM}[run % 3];
    pid_t pid;
    ASSERT_EQ(posix_spawn(&pid, cli.c_str(), &actions, nullptr, const_cast<char**>(argv.data()),
                          env),
              0);
    usleep(delay_us(random));
    kill(pid, signal);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
      EXPECT_EQ(WTERMSIG(status), signal);
      ++signalled;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  close(null);
  EXPECT_GT(signalled, 0) << "no run was killed: the test shows nothing";
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(tmpdir.path()),
                          std::filesystem::directory_iterator()),
            0)
      << "temporary trees were left";
}

// The fixture's root replaces the temporary tree in messages however both
// are spelled: a root with a quote and a newline is shown quoted as a whole;
// a $TMPDIR with a trailing slash, behind a symlink, or with a quote, is
// never named.
TEST(FixtureBackendTest, NativeMessagesNameAnyRootAndNoTemporaryDir) {
  const TempDir dir;
  nlohmann::json fixture = nlohmann::json::parse(ReadFile(Fixture("debian-12-this-machine")));
  fixture["root"] = "/host's\nroot";
  dir.WriteFile("odd-root.json", fixture.dump());
  const std::vector<std::string> missing = {"eval-symlinks", "--backend", "native", "--must-exist",
                                            "--",            "/nonexistent/x"};
  const auto run_on = [&](const std::string& host, const std::string& tmpdir) {
    std::vector<std::string> args = missing;
    args.insert(args.begin() + 1, {"--fixture", host});
    return RunCli(args, -1, kSystemPath, {"TMPDIR=" + tmpdir});
  };
  const std::string message_start =
      "nsenterctl: realpath -e of '/nonexistent/x': lstat '/nonexistent' under ";
  CliRun run = run_on(dir.path() + "/odd-root.json", dir.path());
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, message_start + "'/host\\'s\\nroot': No such file or directory\n");

  ASSERT_EQ(mkdir((dir.path() + "/it's").c_str(), 0700), 0);
  ASSERT_EQ(symlink(dir.path().c_str(), (dir.path() + "/link").c_str()), 0);
  for (const std::string& tmpdir : {dir.path() + "/", dir.path() + "/link", dir.path() + "/it's"}) {
    SCOPED_TRACE(tmpdir);
    run = run_on(Fixture("debian-12-this-machine"), tmpdir);
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err, message_start + "'/rootfs': No such file or directory\n");
  }
}

}  // namespace
}  // namespace nsenterctl
