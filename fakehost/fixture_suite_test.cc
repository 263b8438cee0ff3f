// Replays every host fixture under testdata/hosts/: the library, run against
// the fake host a fixture describes, must give what the real host gave when
// the fixture was recorded. A new fixture file is a new test; no code changes.
//
// For each fixture, with both backends (natively over the materialized tree,
// fakehost/native_options.h):
//   - Nsenter::Create gives the recorded discovery (or the recorded error)
//     and SupportsSystemd;
//   - EvalSymlinks of every recorded `realpath -e|-m -- PATH` gives the
//     recorded output, or an error of the kind realpath's message names
//     (natively: on hosts whose realpath is GNU's, for paths and answers
//     outside /proc, which a fixture cannot hold);
//   - Exec of every recorded command runs exactly its argv through nsenter
//     and returns the recorded output and exit status;
//   - the realpath emulation answers every recorded realpath query as the
//     real realpath did;
//   - over the recorded mount table, HostMounter mounts, checks
//     (IsLikelyNotMountPoint, List, GetMountRefs, MakeRShared) and unmounts
//     through the nsenter backend, and natively List and GetMountRefs read
//     the table (and its changes) from the materialized tree;
//   - HostFiles gives every file of the tree its type and mode through both
//     backends, and MakeDir and MakeFile make files that both then see.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/gnu_messages.h"
#include "fakehost/native_options.h"
#include "fakehost/realpath_emulation.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter::fakehost {
namespace {

// The directory of the fixtures in the test's runfiles, or "" outside Bazel.
std::string FixtureDir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return "";
  return std::string(srcdir) + "/" + workspace + "/testdata/hosts";
}

std::vector<std::string> FixtureFiles() {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir(), error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// The error kind EvalSymlinks reports for a realpath that failed with
// `stderr_data`: the code whose strerror text ends realpath's message.
// A realpath without GNU's options (busybox's) names "--" as a missing file;
// EvalSymlinks reports that as kExecFailed (nsenter.h).
ErrorCode KindOfRealpathFailure(const std::string& stderr_data) {
  if (stderr_data.find(": --: No such file or directory\n") != std::string::npos) {
    return ErrorCode::kExecFailed;
  }
  for (const ErrorCode code : {ErrorCode::kNotFound, ErrorCode::kNotADirectory, ErrorCode::kLoop,
                               ErrorCode::kPermissionDenied, ErrorCode::kNameTooLong}) {
    if (stderr_data.ends_with(": " + std::string(*LookupErrorText(code)) + "\n")) return code;
  }
  return ErrorCode::kNonZeroExit;
}

TEST(FixtureSuiteTest, FindsTheFixtures) {
  EXPECT_FALSE(FixtureFiles().empty()) << "no *.json in " << FixtureDir();
}

class FixtureSuiteTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<Fixture> fixture = LoadFixture(GetParam());
    ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
    ASSERT_TRUE(fixture->expect.has_value())
        << GetParam() << " has no \"expect\" section, which this suite checks against";
    expect_ = *fixture->expect;
    Replay(*std::move(fixture));
  }

  // Replays `fixture` over a fresh tree: as a user of //fakehost would,
  // with the mount namespace file the fixture names.
  void Replay(Fixture fixture) {
    root_ = std::make_unique<TempDir>();
    nsenter_ = {};
    native_ = {};
    Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(std::move(fixture));
    ASSERT_TRUE(host.ok()) << host.error().ToString();
    host_ = *host;
    ASSERT_TRUE(host_->Materialize(root_->path()).ok());
    executor_ =
        std::make_shared<FakeExecutor>(host_, FakeExecutorOptions{.host_root = root_->path()});
    Options options;
    options.host_root = root_->path();
    options.namespace_files[NamespaceKind::kMount] = executor_->mount_namespace();
    options.executor = executor_;
    options.log = [this](int verbosity, std::string_view message) {
      logged_.push_back(std::to_string(verbosity) + ": " + std::string(message));
    };
    ASSERT_NO_FATAL_FAILURE(Start(options, nsenter_));
    Options native_options = NativeOptionsOver(root_->path());
    native_options.log = options.log;
    ASSERT_NO_FATAL_FAILURE(Start(native_options, native_));
    commands_ns_ = nsenter_.ns.get();
  }

  // An Nsenter made with `options` and its Create error; where Create failed,
  // one that requires no binary, as the recorder runs its commands even where
  // a required binary is missing (tools/nsenterctl/recorder.h).
  struct Started {
    std::optional<Error> create_error;
    std::unique_ptr<Nsenter> ns;
  };
  static void Start(Options options, Started& started) {
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    if (!ns.ok()) {
      started.create_error = ns.error();
      options.required_binaries.clear();
      ns = Nsenter::Create(options);
    }
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    started.ns = std::move(*ns);
  }

  // Create gave the recorded discovery, or the recorded error.
  void ExpectRecordedDiscovery(const Started& started) const {
    if (expect_.create_error) {
      ASSERT_TRUE(started.create_error) << "Create succeeded; the host recorded an error";
      EXPECT_EQ(ErrorCodeName(started.create_error->code()),
                ErrorCodeName(expect_.create_error->code));
      EXPECT_TRUE(
          started.create_error->message().starts_with(expect_.create_error->message_starts_with))
          << started.create_error->message();
      return;
    }
    ASSERT_FALSE(started.create_error) << started.create_error->ToString();
    std::set<std::string> names(DefaultRequiredBinaries().begin(), DefaultRequiredBinaries().end());
    names.insert(DefaultOptionalBinaries().begin(), DefaultOptionalBinaries().end());
    for (const auto& [name, path] : *expect_.discovery) names.insert(name);
    for (const std::string& name : names) {
      const auto found = expect_.discovery->find(name);
      EXPECT_EQ(started.ns->AbsHostPath(name),
                found == expect_.discovery->end() ? name : found->second)
          << name;
    }
    if (expect_.systemd_run) {
      EXPECT_EQ(started.ns->SupportsSystemd().path, expect_.systemd_run->path);
      EXPECT_EQ(started.ns->SupportsSystemd().found, expect_.systemd_run->found);
    }
  }

  // Whether the host's recorded `realpath --version` is GNU coreutils'.
  bool RealpathIsGnu() const {
    return std::any_of(commands().begin(), commands().end(), [](const ScriptedCommand& command) {
      return command.argv.size() == 2 && command.argv[1] == "--version" &&
             command.answer.stdout_data.find("(GNU coreutils)") != std::string::npos;
    });
  }

  // `resolved` is what the recorded realpath `command` gave.
  static void ExpectRecordedAnswer(const ScriptedCommand& command,
                                   const Result<std::string>& resolved) {
    const Answer& recorded = command.answer;
    if (recorded.exit_code == 0) {
      ASSERT_TRUE(recorded.stdout_data.ends_with("\n"));
      ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
      EXPECT_EQ(*resolved, recorded.stdout_data.substr(0, recorded.stdout_data.size() - 1));
    } else {
      ASSERT_FALSE(resolved.ok()) << *resolved;
      EXPECT_EQ(ErrorCodeName(resolved.error().code()),
                ErrorCodeName(KindOfRealpathFailure(recorded.stderr_data)));
    }
  }

  const std::vector<ScriptedCommand>& commands() const { return host_->fixture().commands; }

  // Whether the command is what EvalSymlinks runs: realpath -e|-m -- PATH.
  bool IsEvalSymlinks(const ScriptedCommand& command) const {
    const std::vector<std::string>& argv = command.argv;
    return argv.size() == 4 && argv[0] == commands_ns_->AbsHostPath("realpath") &&
           (argv[1] == "-e" || argv[1] == "-m") && argv[2] == "--";
  }

  std::unique_ptr<TempDir> root_;
  Expectations expect_;
  std::shared_ptr<FakeHost> host_;
  std::shared_ptr<FakeExecutor> executor_;
  Started nsenter_;  // Backend::kNsenter through the FakeExecutor.
  Started native_;   // Backend::kNative over the materialized tree.
  const Nsenter* commands_ns_ = nullptr;  // What runs the recorded commands.
  std::vector<std::string> logged_;  // Both Nsenters' log: "VERBOSITY: MESSAGE".
};

TEST_P(FixtureSuiteTest, CreateGivesTheRecordedDiscovery) {
  ExpectRecordedDiscovery(nsenter_);
}

TEST_P(FixtureSuiteTest, CreateNativelyGivesTheRecordedDiscovery) {
  ExpectRecordedDiscovery(native_);
}

TEST_P(FixtureSuiteTest, EvalSymlinksGivesTheRecordedAnswers) {
  for (const ScriptedCommand& command : commands()) {
    if (!IsEvalSymlinks(command)) continue;
    const std::string& path = command.argv[3];
    SCOPED_TRACE(::testing::PrintToString(command.argv));
    Result<std::string> resolved = commands_ns_->EvalSymlinks(path, command.argv[1] == "-e");
    EXPECT_EQ(executor_->Calls().back().answered_by, AnswerSource::kScript);
    ExpectRecordedAnswer(command, resolved);
  }
}

// Natively, the resolver must answer as the host's own GNU realpath did.
// Paths into /proc are left out: a fixture cannot hold procfs (see below).
TEST_P(FixtureSuiteTest, EvalSymlinksNativelyGivesTheRecordedAnswers) {
  if (!RealpathIsGnu()) GTEST_SKIP() << "no recorded 'realpath --version' of GNU coreutils";
  for (const ScriptedCommand& command : commands()) {
    if (!IsEvalSymlinks(command)) continue;
    const std::string& path = command.argv[3];
    if (path.starts_with("/proc") || command.answer.stdout_data.starts_with("/proc/")) continue;
    SCOPED_TRACE(::testing::PrintToString(command.argv));
    ExpectRecordedAnswer(command, native_.ns->EvalSymlinks(path, command.argv[1] == "-e"));
  }
}

TEST_P(FixtureSuiteTest, ExecRunsTheRecordedCommands) {
  for (const ScriptedCommand& command : commands()) {
    SCOPED_TRACE(::testing::PrintToString(command.argv));
    const std::vector<std::string> args(command.argv.begin() + 1, command.argv.end());
    Result<std::string> out = commands_ns_->Exec(command.argv.front(), args)->Output();

    const FakeCall call = executor_->Calls().back();
    std::vector<std::string> expected_args = {"--mount=" + executor_->mount_namespace(), "--"};
    expected_args.insert(expected_args.end(), command.argv.begin(), command.argv.end());
    EXPECT_EQ(call.program, "nsenter");
    EXPECT_EQ(call.args, expected_args);
    EXPECT_EQ(call.answered_by, AnswerSource::kScript);

    if (command.answer.exit_code == 0) {
      ASSERT_TRUE(out.ok()) << out.error().ToString();
      EXPECT_EQ(*out, command.answer.stdout_data);
    } else {
      ASSERT_FALSE(out.ok());
      // A recorded failure of nsenter to execute the program is the
      // program's failure to start, which has no exit status.
      const bool not_started = out.error().code() == ErrorCode::kNotFound ||
                               out.error().code() == ErrorCode::kPermissionDenied;
      EXPECT_EQ(not_started, command.answer.stderr_data.starts_with("nsenter: failed to execute "));
      EXPECT_EQ(out.error().exit_status(), not_started ? -1 : command.answer.exit_code);
      EXPECT_EQ(out.error().stdout_data(), command.answer.stdout_data);
      EXPECT_EQ(out.error().stderr_data(), command.answer.stderr_data);
    }
  }
}

// A fixture recorded with another mount namespace file than /proc/1/ns/mnt
// (another target process, say) is replayed with that file.
TEST_P(FixtureSuiteTest, ReplaysTheFixturesMountNamespace) {
  Fixture fixture = host_->fixture();
  fixture.mount_namespace = "/proc/7/ns/mnt";
  Replay(std::move(fixture));
  ASSERT_FALSE(commands().empty());
  const ScriptedCommand& command = commands().front();
  const std::vector<std::string> args(command.argv.begin() + 1, command.argv.end());
  (void)commands_ns_->Exec(command.argv.front(), args)->Output();
  const FakeCall call = executor_->Calls().back();
  ASSERT_FALSE(call.args.empty());
  EXPECT_EQ(call.args.front(), "--mount=" + root_->path() + "/proc/7/ns/mnt");
  EXPECT_EQ(call.answered_by, AnswerSource::kScript);
}

// The emulation is GNU realpath's: it is held to hosts whose recorded
// `realpath --version` says GNU coreutils. Answers that lead into /proc are
// left out: a fixture cannot hold procfs (its links name the process that
// follows them), so only the script knows them.
TEST_P(FixtureSuiteTest, RealpathEmulationAgreesWithTheRecordedRealpath) {
  if (!RealpathIsGnu()) {
    GTEST_SKIP() << "no recorded 'realpath --version' of GNU coreutils";
  }
  for (const ScriptedCommand& command : commands()) {
    const std::optional<RealpathInvocation> invocation = ParseRealpathCommand(command.argv);
    if (!invocation || command.answer.stdout_data.starts_with("/proc/")) continue;
    SCOPED_TRACE(::testing::PrintToString(command.argv));
    Result<Answer> emulated = RunRealpath(*host_, *invocation);
    ASSERT_TRUE(emulated.ok()) << emulated.error().ToString();
    EXPECT_EQ(emulated->exit_code, command.answer.exit_code);
    EXPECT_EQ(emulated->stdout_data, command.answer.stdout_data);
    EXPECT_EQ(emulated->stderr_data, command.answer.stderr_data);
  }
}

// The mount points of `table`, in its order.
std::vector<std::string> MountPoints(const std::vector<MountInfo>& table) {
  std::vector<std::string> points;
  for (const MountInfo& mount : table) points.push_back(mount.mount_point);
  return points;
}

class FixtureMountSuiteTest : public FixtureSuiteTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FixtureSuiteTest::SetUp());
    if (!host_->fixture().mountinfo) GTEST_SKIP() << "no mount table recorded";
    ASSERT_TRUE(host_->Mounts()->size() > 0) << "an empty mount table";
    nsenter_mounter_ = std::make_unique<HostMounter>(*nsenter_.ns);
    native_mounter_ = std::make_unique<HostMounter>(*native_.ns);
    ASSERT_NO_FATAL_FAILURE(MakeDirectory(kTarget));
  }

  // Makes directory `path` on the host, as a user would.
  void MakeDirectory(const std::string& path) {
    Result<std::string> made = nsenter_.ns->Exec("mkdir", {"-p", "--", path})->Output();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    ASSERT_EQ(executor_->Calls().back().answered_by, AnswerSource::kHostEmulation);
  }

  // The fixture's mount table, as recorded.
  std::vector<MountInfo> RecordedTable() const {
    std::string text;
    for (const std::string& line : *host_->fixture().mountinfo) text += line + "\n";
    return *ParseMountInfo(text);
  }

  static constexpr const char* kTarget = "/var/lib/fakehost-test/volume";
  std::unique_ptr<HostMounter> nsenter_mounter_;
  std::unique_ptr<HostMounter> native_mounter_;
};

TEST_P(FixtureMountSuiteTest, ListGivesTheRecordedTableThroughBothBackends) {
  for (const HostMounter* mounter : {nsenter_mounter_.get(), native_mounter_.get()}) {
    Result<std::vector<MountInfo>> table = mounter->List();
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    EXPECT_EQ(*table, RecordedTable());
  }
}

// Replayed through nsenter as the README shows it, with the fake host as the
// host's files and no tree on disk, the fake host itself serves the table,
// as it is now; natively the materialized tree, kept in step, does.
TEST_P(FixtureMountSuiteTest, ListReadsTheFakeHostsTableInBothBackends) {
  Options options;
  options.host_root = host_->fixture().root;
  options.host_files = host_;
  auto executor = std::make_shared<FakeExecutor>(host_);
  options.namespace_files[NamespaceKind::kMount] = executor->mount_namespace();
  options.executor = executor;
  Started replayed;
  ASSERT_NO_FATAL_FAILURE(Start(options, replayed));
  const HostMounter in_memory(*replayed.ns);
  const HostMounter* native = native_mounter_.get();
  for (const HostMounter* mounter : {&in_memory, native}) {
    Result<std::vector<MountInfo>> table = mounter->List();
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    EXPECT_EQ(*table, RecordedTable());
  }
  ASSERT_TRUE(in_memory.Mount({"tmpfs", kTarget, "tmpfs", {}, {}}).ok());
  for (const HostMounter* mounter : {&in_memory, native}) {
    Result<std::vector<MountInfo>> table = mounter->List();
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    ASSERT_EQ(table->size(), RecordedTable().size() + 1);
    EXPECT_EQ(table->back().mount_point, kTarget);
  }
}

// Every recorded mount point the tree holds (the volumes kubelet mounted
// into pod directories, say) is a mount point, and its mount is found by
// its mount point.
TEST_P(FixtureMountSuiteTest, RecordedMountPointsAreMountPoints) {
  int checked = 0;
  for (const MountInfo& mount : RecordedTable()) {
    if (!host_->Lstat(mount.mount_point).ok()) continue;  // Outside the recorded tree.
    SCOPED_TRACE(mount.mount_point);
    Result<bool> likely_not = nsenter_mounter_->IsLikelyNotMountPoint(mount.mount_point);
    // Where the host's realpath cannot resolve it (busybox's, as recorded),
    // neither can IsLikelyNotMountPoint.
    Result<std::string> resolved = nsenter_.ns->EvalSymlinks(mount.mount_point, true);
    if (!resolved.ok()) {
      ASSERT_FALSE(likely_not.ok());
      EXPECT_EQ(likely_not.error().code(), resolved.error().code());
      continue;
    }
    ASSERT_TRUE(likely_not.ok()) << likely_not.error().ToString();
    EXPECT_FALSE(*likely_not);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "the host resolves no recorded mount point through nsenter";
}

TEST_P(FixtureMountSuiteTest, MountCheckAndUnmountATmpfs) {
  const HostMounter& mounter = *nsenter_mounter_;
  Result<bool> before = mounter.IsLikelyNotMountPoint(kTarget);
  ASSERT_TRUE(before.ok()) << before.error().ToString();
  EXPECT_TRUE(*before);

  ASSERT_TRUE(mounter.Mount({"tmpfs", kTarget, "tmpfs", {"size=1m"}, {}}).ok());
  Result<bool> mounted = mounter.IsLikelyNotMountPoint(kTarget);
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  EXPECT_FALSE(*mounted);
  for (const HostMounter* lister : {nsenter_mounter_.get(), native_mounter_.get()}) {
    Result<std::vector<MountInfo>> table = lister->List();
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    ASSERT_EQ(table->size(), RecordedTable().size() + 1);
    EXPECT_EQ(table->back().mount_point, kTarget);
    EXPECT_EQ(table->back().fs_type, "tmpfs");
    EXPECT_THAT(table->back().super_options, ::testing::Contains("size=1m"));
  }

  ASSERT_TRUE(mounter.Unmount(kTarget).ok());
  Result<bool> after = mounter.IsLikelyNotMountPoint(kTarget);
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  EXPECT_TRUE(*after);
  Result<std::vector<MountInfo>> table = native_mounter_->List();
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(*table, RecordedTable());
  EXPECT_THAT(MountPoints(*table), ::testing::Not(::testing::Contains(kTarget)));

  Status again = mounter.Unmount(kTarget);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kNotMounted) << again.error().ToString();
}

// A sensitive option reaches mount(8), as the fake host's table shows (as
// the kernel's super options would), and no log line (any verbosity) or
// error text of a mount, succeeding or failing, shows it.
TEST_P(FixtureMountSuiteTest, SensitiveOptionsAreMountedButNeverLoggedOrInErrors) {
  constexpr char kSecret[] = "password=hunter2";
  const HostMounter& mounter = *nsenter_mounter_;
  Status mounted = mounter.Mount({"tmpfs", kTarget, "tmpfs", {"size=1m"}, {kSecret}});
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  EXPECT_THAT(executor_->Calls().back().host_argv,
              ::testing::Contains("size=1m," + std::string(kSecret)));
  Status failed =
      mounter.Mount({"tmpfs", "/var/lib/fakehost-test/missing", "tmpfs", {"size=1m"}, {kSecret}});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(failed.error().message(), ::testing::HasSubstr("'size=1m,<masked>'"));
  EXPECT_THAT(failed.error().ToString(), ::testing::Not(::testing::HasSubstr("hunter2")));
  EXPECT_THAT(failed.error().stdout_data(), ::testing::Not(::testing::HasSubstr("hunter2")));
  ASSERT_TRUE(mounter.Unmount(kTarget).ok());
  EXPECT_THAT(logged_, ::testing::Contains(::testing::HasSubstr("'size=1m,<masked>'")));
  EXPECT_THAT(logged_, ::testing::Each(::testing::Not(::testing::HasSubstr("hunter2"))));
}

// A FUSE type is mounted through systemd-run --scope where the host has
// systemd-run, and plainly where it has not.
TEST_P(FixtureMountSuiteTest, AFuseTypeGoesThroughSystemdRunWhereTheHostHasIt) {
  const HostMounter& mounter = *nsenter_mounter_;
  Status mounted = mounter.Mount({"sshfs#u@h:/", kTarget, "fuse.sshfs", {}, {}});
  ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
  const std::vector<std::string> mount_args = {"-t", "fuse.sshfs", "--", "sshfs#u@h:/", kTarget};
  std::vector<std::string> expected = {nsenter_.ns->AbsHostPath("mount")};
  const SystemdSupport systemd = nsenter_.ns->SupportsSystemd();
  if (systemd.found) {
    expected = {systemd.path, "--description=Transient mount for " + Quote(kTarget), "--scope",
                "--", expected.front()};
  }
  expected.insert(expected.end(), mount_args.begin(), mount_args.end());
  const auto calls = executor_->Calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls.back().host_argv, expected);
  if (systemd.found) {
    EXPECT_EQ(calls[calls.size() - 2].host_argv,
              (std::vector<std::string>{systemd.path, "--description=Transient mount scope probe",
                                        "--scope", "--", "true"}));
  }
  Result<std::vector<MountInfo>> table = native_mounter_->List();
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(table->back().mount_point, kTarget);
  EXPECT_EQ(table->back().fs_type, "fuse.sshfs");
  ASSERT_TRUE(mounter.Unmount(kTarget).ok());
}

TEST_P(FixtureMountSuiteTest, ABindMountIsAReferenceOfItsSourceAndReadOnlyWhenAsked) {
  const std::string source = "/var/lib/fakehost-test/source";
  ASSERT_NO_FATAL_FAILURE(MakeDirectory(source));
  const HostMounter& mounter = *nsenter_mounter_;
  ASSERT_TRUE(mounter.Mount({"tmpfs", source, "tmpfs", {}, {}}).ok());
  Status bound = mounter.Mount({source, kTarget, "", {"bind", "ro"}, {}});
  ASSERT_TRUE(bound.ok()) << bound.error().ToString();

  Result<bool> likely_not = mounter.IsLikelyNotMountPoint(kTarget);
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().ToString();
  EXPECT_FALSE(*likely_not);
  for (const HostMounter* backend : {nsenter_mounter_.get(), native_mounter_.get()}) {
    Result<std::vector<MountInfo>> table = backend->List();
    ASSERT_TRUE(table.ok()) << table.error().ToString();
    ASSERT_EQ(table->back().mount_point, kTarget);
    EXPECT_EQ(table->back().mount_options.front(), "ro");
    EXPECT_EQ(table->back().fs_type, "tmpfs");
    Result<std::vector<std::string>> refs = backend->GetMountRefs(kTarget);
    ASSERT_TRUE(refs.ok()) << refs.error().ToString();
    EXPECT_EQ(*refs, std::vector<std::string>{source});
  }
  Status busy_free = mounter.Unmount(kTarget);
  ASSERT_TRUE(busy_free.ok()) << busy_free.error().ToString();
  ASSERT_TRUE(mounter.Unmount(source).ok());
  EXPECT_EQ(*host_->Mounts(), RecordedTable());
}

TEST_P(FixtureMountSuiteTest, MakeRSharedBindsADirectoryOntoItselfAndSharesIt) {
  const HostMounter& mounter = *nsenter_mounter_;
  Status shared = mounter.MakeRShared(kTarget);
  ASSERT_TRUE(shared.ok()) << shared.error().ToString();
  Result<std::vector<MountInfo>> table = native_mounter_->List();
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  ASSERT_EQ(table->size(), RecordedTable().size() + 1);
  EXPECT_EQ(table->back().mount_point, kTarget);
  ASSERT_FALSE(table->back().optional_fields.empty());
  EXPECT_TRUE(table->back().optional_fields.front().starts_with("shared:"))
      << ::testing::PrintToString(table->back().optional_fields);
  // Shared already: nothing more runs.
  const size_t calls = executor_->Calls().size();
  ASSERT_TRUE(mounter.MakeRShared(kTarget).ok());
  EXPECT_EQ(executor_->Calls().size(), calls + 1);  // Only the realpath of the path.
}

class FixtureHostFilesTest : public FixtureSuiteTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FixtureSuiteTest::SetUp());
    UseReplayedBackends();
  }

  // HostFiles over the Nsenters of the last Replay.
  void UseReplayedBackends() {
    backends_[0].ns = nsenter_.ns.get();
    backends_[1].ns = native_.ns.get();
    for (Backend& backend : backends_) backend.files = std::make_unique<HostFiles>(*backend.ns);
    nsenter_files_ = backends_[0].files.get();
    native_files_ = backends_[1].files.get();
  }

  struct Backend {
    const Nsenter* ns = nullptr;  // nsenter_'s or native_'s.
    std::unique_ptr<HostFiles> files;
  };
  Backend backends_[2];  // Through nsenter, natively.
  const HostFiles* nsenter_files_ = nullptr;
  const HostFiles* native_files_ = nullptr;
};

std::optional<HostFileType> HostFileTypeOf(FileType type) {
  switch (type) {
    case FileType::kDirectory: return HostFileType::kDirectory;
    case FileType::kRegular: return HostFileType::kFile;
    default: return std::nullopt;
  }
}

// Every entry's type and mode, where the backend resolves it (a busybox
// realpath, as recorded, resolves nothing through nsenter), as the fake
// host's tree has them; owners are root's through nsenter.
TEST_P(FixtureHostFilesTest, StatGivesEveryEntrysTypeAndMode) {
  int compared = 0;
  for (const Entry& entry : host_->fixture().entries) {
    SCOPED_TRACE(entry.path);
    for (const Backend& backend : backends_) {
      Result<std::string> resolved = backend.ns->EvalSymlinks(entry.path, true);
      // A fixture cannot hold procfs (/etc/mtab -> /proc/self/mounts).
      if (resolved.ok() && resolved->starts_with("/proc/")) continue;
      Result<HostFileStat> stat = backend.files->Stat(entry.path);
      if (!resolved.ok()) {
        ASSERT_FALSE(stat.ok());
        EXPECT_EQ(stat.error().code(), resolved.error().code()) << stat.error().ToString();
        continue;
      }
      ASSERT_TRUE(stat.ok()) << stat.error().ToString();
      const FileStat expected = *host_->Lstat(*resolved);
      EXPECT_EQ(stat->type, HostFileTypeOf(expected.type));
      EXPECT_EQ(stat->mode, expected.mode);
      if (backend.files.get() == nsenter_files_) {
        EXPECT_EQ(stat->owner, (HostOwner{0, 0}));
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 0);
}

TEST_P(FixtureHostFilesTest, MakeDirAndMakeFileMakeWhatBothBackendsSee) {
  const std::string dir = "/var/lib/fakehost-test/made/by/mkdir";
  const std::string file = dir + "/touched";
  Status made = nsenter_files_->MakeDir(dir);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  Status touched = nsenter_files_->MakeFile(file);
  ASSERT_TRUE(touched.ok()) << touched.error().ToString();
  for (const HostFiles* files : {nsenter_files_, native_files_}) {
    EXPECT_EQ(*files->GetFileType(dir), HostFileType::kDirectory);
    EXPECT_EQ(*files->GetMode(dir), 0755u);
    EXPECT_EQ(*files->GetFileType(file), HostFileType::kFile);
    EXPECT_EQ(*files->GetMode(file), 0644u);
    EXPECT_TRUE(*files->PathExists(file));
  }
  Status over_a_file = nsenter_files_->MakeDir(file + "/sub");
  ASSERT_FALSE(over_a_file.ok());
  EXPECT_EQ(over_a_file.error().code(), ErrorCode::kNotADirectory);
  EXPECT_THAT(over_a_file.error().stderr_data(), ::testing::HasSubstr("Not a directory"));
  Result<bool> missing = nsenter_files_->PathExists(dir + "/missing");
  ASSERT_TRUE(missing.ok()) << missing.error().ToString();
  EXPECT_FALSE(*missing);
}

// A symlink loop and a file on the way fail alike through both backends:
// the host tools' messages give the codes of the native system calls' errno.
TEST_P(FixtureHostFilesTest, ALoopAndAFileOnTheWayFailWithOneCodeThroughBothBackends) {
  const std::string dir = "/var/lib/fakehost-test/errors";
  Fixture fixture = host_->fixture();
  fixture.entries.push_back(Entry{dir + "/loop", EntryType::kSymlink, std::nullopt, "loop"});
  fixture.entries.push_back(Entry{dir + "/file", EntryType::kFile, 0644, ""});
  ASSERT_NO_FATAL_FAILURE(Replay(std::move(fixture)));
  UseReplayedBackends();
  const struct {
    std::string path;
    ErrorCode code;
  } cases[] = {
      {dir + "/loop", ErrorCode::kLoop},
      {dir + "/loop/sub", ErrorCode::kLoop},
      {dir + "/file/sub", ErrorCode::kNotADirectory},
  };
  for (const Backend& backend : backends_) {
    const std::string name = backend.ns->backend() == nsenter::Backend::kNative ? "native" : "nsenter";
    for (const auto& c : cases) {
      Result<bool> exists = backend.files->PathExists(c.path);
      ASSERT_FALSE(exists.ok()) << name << " " << c.path;
      EXPECT_EQ(exists.error().code(), c.code) << name << " " << c.path << ": "
                                               << exists.error().ToString();
      Status made = backend.files->MakeDir(c.path);
      ASSERT_FALSE(made.ok()) << name << " " << c.path;
      EXPECT_EQ(made.error().code(), c.code) << name << " " << c.path << ": "
                                             << made.error().ToString();
      Status touched = backend.files->MakeFile(c.path);
      ASSERT_FALSE(touched.ok()) << name << " " << c.path;
      EXPECT_EQ(touched.error().code(), c.code) << name << " " << c.path << ": "
                                                << touched.error().ToString();
    }
    Result<HostFileStat> st = backend.files->Stat(dir + "/file/sub");
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code(), ErrorCode::kNotADirectory) << name;
  }
}

// A dangling symlink fails MakeDir with mkdir(1)'s code through both
// backends, and nothing is made at its target.
TEST_P(FixtureHostFilesTest, ADanglingSymlinkFailsMakeDirWithOneCodeThroughBothBackends) {
  const std::string dir = "/var/lib/fakehost-test/dangling";
  Fixture fixture = host_->fixture();
  fixture.entries.push_back(Entry{dir, EntryType::kDirectory, std::nullopt, ""});
  fixture.entries.push_back(Entry{dir + "/link", EntryType::kSymlink, std::nullopt, "nowhere"});
  fixture.entries.push_back(
      Entry{dir + "/deep", EntryType::kSymlink, std::nullopt, "missing/x"});
  ASSERT_NO_FATAL_FAILURE(Replay(std::move(fixture)));
  UseReplayedBackends();
  const struct {
    std::string path;
    bool parents;
    ErrorCode code;
  } cases[] = {
      {dir + "/link", true, ErrorCode::kAlreadyExists},
      {dir + "/link", false, ErrorCode::kAlreadyExists},
      {dir + "/link/sub", true, ErrorCode::kAlreadyExists},
      {dir + "/link/sub", false, ErrorCode::kNotFound},
      {dir + "/deep", true, ErrorCode::kAlreadyExists},
      {dir + "/deep/sub", true, ErrorCode::kAlreadyExists},
  };
  for (const Backend& backend : backends_) {
    const std::string name = backend.ns->backend() == nsenter::Backend::kNative ? "native" : "nsenter";
    for (const auto& c : cases) {
      Status made = backend.files->MakeDir(c.path, {.parents = c.parents});
      ASSERT_FALSE(made.ok()) << name << " " << c.path << " " << c.parents;
      EXPECT_EQ(made.error().code(), c.code) << name << " " << c.path << " " << c.parents << ": "
                                             << made.error().ToString();
    }
    for (const char* target : {"/nowhere", "/missing"}) {
      Result<bool> exists = backend.files->PathExists(dir + target);
      ASSERT_TRUE(exists.ok()) << name << " " << target;
      EXPECT_FALSE(*exists) << name << " " << target;
    }
  }
}

TEST_P(FixtureHostFilesTest, SELinuxSupportComesFromTheRecordedTable) {
  if (!host_->fixture().mountinfo) GTEST_SKIP() << "no mount table recorded";
  const MountInfo* root = nullptr;
  const std::vector<MountInfo> table = *host_->Mounts();
  for (const MountInfo& mount : table) {
    if (mount.mount_point == "/") root = &mount;
  }
  ASSERT_NE(root, nullptr) << "no \"/\" in the recorded table";
  const bool seclabel = std::count(root->super_options.begin(), root->super_options.end(),
                                   "seclabel") > 0;
  for (const Backend& backend : backends_) {
    Result<bool> supported = backend.files->GetSELinuxSupport("/");
    Result<std::string> resolved = backend.ns->EvalSymlinks("/", true);
    if (!resolved.ok()) {  // As busybox's realpath through nsenter.
      ASSERT_FALSE(supported.ok());
      EXPECT_EQ(supported.error().code(), resolved.error().code());
      continue;
    }
    ASSERT_TRUE(supported.ok()) << supported.error().ToString();
    EXPECT_EQ(*supported, seclabel);
  }
}

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureHostFilesTest, ::testing::ValuesIn(FixtureFiles()),
                         TestName);

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureMountSuiteTest, ::testing::ValuesIn(FixtureFiles()),
                         TestName);

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureSuiteTest, ::testing::ValuesIn(FixtureFiles()), TestName);

}  // namespace
}  // namespace nsenter::fakehost
