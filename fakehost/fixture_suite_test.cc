// Replays every host fixture under testdata/hosts/: the library, run against
// the fake host a fixture describes, must give what the real host gave when
// the fixture was recorded. A new fixture file is a new test; no code changes.
//
// For each fixture:
//   - Nsenter::Create over the materialized tree gives the recorded discovery
//     (or the recorded error) and SupportsSystemd;
//   - EvalSymlinks of every recorded `realpath -e|-m -- PATH` gives the
//     recorded output, or an error of the kind realpath's message names;
//   - Exec of every recorded command runs exactly its argv through nsenter
//     and returns the recorded output and exit status;
//   - the realpath emulation answers every recorded realpath query as the
//     real realpath did.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/gnu_messages.h"
#include "fakehost/realpath_emulation.h"
#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"

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
    ns_.reset();
    lenient_ns_.reset();
    create_error_.reset();
    Result<std::shared_ptr<const FakeHost>> host = FakeHost::Create(std::move(fixture));
    ASSERT_TRUE(host.ok()) << host.error().ToString();
    host_ = *host;
    ASSERT_TRUE(host_->Materialize(root_->path()).ok());
    executor_ =
        std::make_shared<FakeExecutor>(host_, FakeExecutorOptions{.host_root = root_->path()});
    Options options;
    options.host_root = root_->path();
    options.namespace_files[NamespaceKind::kMount] = executor_->mount_namespace();
    options.executor = executor_;
    options.log = [](int, std::string_view) {};
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    if (ns.ok()) {
      ns_ = std::move(*ns);
      commands_ns_ = ns_.get();
    } else {
      create_error_ = ns.error();
      // The recorder runs its commands even where a required binary is
      // missing (tools/nsenterctl/recorder.h); so does their replay.
      options.required_binaries.clear();
      Result<std::unique_ptr<Nsenter>> lenient = Nsenter::Create(options);
      ASSERT_TRUE(lenient.ok()) << lenient.error().ToString();
      lenient_ns_ = std::move(*lenient);
      commands_ns_ = lenient_ns_.get();
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
  std::shared_ptr<const FakeHost> host_;
  std::shared_ptr<FakeExecutor> executor_;
  std::unique_ptr<Nsenter> ns_;  // With default options; null if Create failed.
  std::optional<Error> create_error_;
  std::unique_ptr<Nsenter> lenient_ns_;  // Without required binaries, if Create failed.
  const Nsenter* commands_ns_ = nullptr;  // What runs the recorded commands.
};

TEST_P(FixtureSuiteTest, CreateGivesTheRecordedDiscovery) {
  if (expect_.create_error) {
    ASSERT_FALSE(ns_) << "Create succeeded; the host recorded an error";
    EXPECT_EQ(ErrorCodeName(create_error_->code()), ErrorCodeName(expect_.create_error->code));
    EXPECT_TRUE(create_error_->message().starts_with(expect_.create_error->message_starts_with))
        << create_error_->message();
    return;
  }
  ASSERT_TRUE(ns_) << create_error_->ToString();
  std::set<std::string> names(DefaultRequiredBinaries().begin(), DefaultRequiredBinaries().end());
  names.insert(DefaultOptionalBinaries().begin(), DefaultOptionalBinaries().end());
  for (const auto& [name, path] : *expect_.discovery) names.insert(name);
  for (const std::string& name : names) {
    const auto found = expect_.discovery->find(name);
    EXPECT_EQ(ns_->AbsHostPath(name), found == expect_.discovery->end() ? name : found->second)
        << name;
  }
  if (expect_.systemd_run) {
    EXPECT_EQ(ns_->SupportsSystemd().path, expect_.systemd_run->path);
    EXPECT_EQ(ns_->SupportsSystemd().found, expect_.systemd_run->found);
  }
}

TEST_P(FixtureSuiteTest, EvalSymlinksGivesTheRecordedAnswers) {
  for (const ScriptedCommand& command : commands()) {
    if (!IsEvalSymlinks(command)) continue;
    const std::string& path = command.argv[3];
    SCOPED_TRACE(::testing::PrintToString(command.argv));
    Result<std::string> resolved = commands_ns_->EvalSymlinks(path, command.argv[1] == "-e");
    EXPECT_EQ(executor_->Calls().back().answered_by, AnswerSource::kScript);
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
      EXPECT_EQ(out.error().exit_status(), command.answer.exit_code);
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
  const auto is_gnu_version = [](const ScriptedCommand& command) {
    return command.argv.size() == 2 && command.argv[1] == "--version" &&
           command.answer.stdout_data.find("(GNU coreutils)") != std::string::npos;
  };
  if (std::none_of(commands().begin(), commands().end(), is_gnu_version)) {
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

INSTANTIATE_TEST_SUITE_P(Hosts, FixtureSuiteTest, ::testing::ValuesIn(FixtureFiles()), TestName);

}  // namespace
}  // namespace nsenter::fakehost
