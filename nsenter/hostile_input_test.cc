// Bad input and hostile situations at the public API, as a table: one row
// per applicable entry of sections A, C, D and E of the design's catalogue
// (hostile-inputs.md), named after its id. A row asserts the error code,
// that the message names the bad input (as nsenter::Quote shows it), and —
// with a spy — that nothing was executed. The spies: the recorded host's
// FakeExecutor (no run answered), and, for the real backends, SIGCHLD
// (blocked, so that any child's exit stays pending).
//
// Catalogue entries without a row here, and why:
//   A4   The library has no helper commands (umount, mkdir, touch, stat):
//        Exec passes the caller's argv as given, after "--" and the host
//        program. Command names that start with '-' are A10 rows.
//   B*   realpath parity: realpath_conformance_test and
//        realpath_resolver_test; B11 (procfs) also in escape_test.
//   C1   A component swapped for a symlink: escape_test
//        (ADirectorySwappedForALinkToSlashNeverLeadsOut).
//   C2   ".." escapes of the component walk: the resolver never hands a
//        ".." to the view (root_file_view_test), and escape_test races the
//        walk too.
//   C5   FIFOs and devices in a path: escape_test, under a watchdog.
//   C6   A hung NFS or FUSE mount cannot be made here; the deadline of the
//        nsenter backend's realpath is covered by nsenter_test.
//   D1   Binaries that are absolute symlinks: discovery_test
//        (AbsoluteSymlinksAreResolvedInsideTheRoot) and the privileged
//        suite's discovery_test.
//   D4   A missing nsenter program: fault_test (MissingNsenterTest).
//   E1   setns from a multithreaded caller: setns_executor_test
//        (WorksFromAMultithreadedCaller) and load_test (eight threads).
//   E4   Exit statuses 126/127 against nsenter's own failures: fault_test
//        and nsenter_test (ExecErrorsTellNsenterAndHostProgramApart).
//   E6   Descriptor leaks into children: load_test, per backend, under load.
//   E7   fork in a multithreaded caller: not observable beyond E1 and E6.
//   E8   The environment of realpath runs (LC_ALL=C, a fixed PATH):
//        nsenter_test (EvalSymlinksRunsRealpathWithDoubleDashInTheCLocale);
//        Exec gives host programs only the host PATH (nsenter.h).
//   E9   The namespace file's discipline: the E2 rows, and
//        setns_executor_test (RejectsWhatIsNotAMountNamespace).
//   E10  The library mounts nothing.
//
// Where the code deliberately differs from the catalogue's "required
// behaviour" (recorded in hostile-inputs.md section 6):
//   A2   "" is kInvalidArgument ("path is empty"), not ENOENT: EvalSymlinks
//        refuses every path that is not absolute before anything runs
//        (decision 6.1), and the message says "empty" rather than quoting ''.
//   A6   ".." in KubeletPath is applied and stops at the host root instead
//        of being refused: the result never leaves the root (host_path.h).
//   A10  Undiscovered command names are passed on and looked up on the
//        host's PATH (decision 6.1), not refused.
//   C7   Nothing checks that <root>/proc is a procfs; natively the namespace
//        file is checked to be a mount namespace (the E2 rows).
//   D4   The nsenter program defaults to the bare name "nsenter", looked up
//        on PATH when a command starts (nsenter.h).
//   D5   A realpath without GNU's options is recognised when EvalSymlinks
//        first runs it (kExecFailed), not by a probe in Create.
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "nsenter/testing/host_root.h"

namespace nsenter {
namespace {

using fakehost::AnswerSource;
using fakehost::FakeExecutor;
using fakehost::TempDir;
using hardening::BackendName;
using hardening::MissingSetnsPrivilege;
using hardening::RealPath;
using hardening::RunInForkedChild;
using hardening::SelfOptions;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// --------------------------------------------------------------- The spies.

// Tells whether a child process ended since the last look. SIGCHLD is
// blocked in this thread, the only one that could take it, so every child's
// exit leaves it pending until sigtimedwait takes it.
class ChildSpy {
 public:
  ChildSpy() {
    sigemptyset(&sigchld_);
    sigaddset(&sigchld_, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &sigchld_, &previous_);
    ChildEnded();
  }
  ~ChildSpy() {
    ChildEnded();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  ChildSpy(const ChildSpy&) = delete;
  ChildSpy& operator=(const ChildSpy&) = delete;

  bool ChildEnded() {
    const timespec now = {0, 0};
    bool ended = false;
    while (sigtimedwait(&sigchld_, nullptr, &now) == SIGCHLD) ended = true;
    return ended;
  }

 private:
  sigset_t sigchld_;
  sigset_t previous_;
};

// The recorded host's runs that were answered, i.e. executed.
size_t AnsweredRuns(const FakeExecutor& executor) {
  const std::vector<fakehost::FakeCall> calls = executor.Calls();
  return std::count_if(calls.begin(), calls.end(), [](const fakehost::FakeCall& call) {
    return call.answered_by != AnswerSource::kRefused;
  });
}

std::string FixturePath(const std::string& name) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + std::getenv("TEST_WORKSPACE") +
         "/testdata/hosts/" + name;
}

// ---------------------------------------------------------- The subjects.

// Who answers: the nsenter backend on a host recorded from this machine (no
// process runs), or one of the real backends on this machine itself.
enum class Variant { kRecorded, kNsenter, kNative };

std::string VariantName(Variant variant) {
  switch (variant) {
    case Variant::kRecorded:
      return "Recorded";
    case Variant::kNsenter:
      return "Nsenter";
    case Variant::kNative:
      return "Native";
  }
  return "";
}

// An Nsenter of one variant, with its spy. Creating needs no privilege.
class Subject {
 public:
  explicit Subject(Variant variant) {
    if (variant == Variant::kRecorded) {
      Result<fakehost::Fixture> fixture =
          fakehost::LoadFixture(FixturePath("debian-12-this-machine.json"));
      EXPECT_TRUE(fixture.ok()) << fixture.error().ToString();
      if (!fixture.ok()) return;
      Result<std::shared_ptr<fakehost::FakeHost>> host = fakehost::FakeHost::Create(*fixture);
      EXPECT_TRUE(host.ok()) << host.error().ToString();
      if (!host.ok()) return;
      executor_ = std::make_shared<FakeExecutor>(*host);
      Options options;
      options.host_root = fixture->root;
      options.host_files = *host;
      options.executor = executor_;
      options.log = [](int, std::string_view) {};
      Create(std::move(options));
    } else {
      Create(SelfOptions(variant == Variant::kNsenter ? Backend::kNsenter : Backend::kNative));
    }
  }

  const Nsenter* ns() const { return ns_.get(); }

  // The recorded host's calls (none for the real backends).
  std::vector<fakehost::FakeCall> RecordedCalls() const {
    return executor_ ? executor_->Calls() : std::vector<fakehost::FakeCall>();
  }

  // Whether anything was executed since the last call.
  bool SomethingRan() {
    if (!executor_) return spy_.ChildEnded();
    const size_t answered = AnsweredRuns(*executor_);
    const bool ran = answered > answered_;
    answered_ = answered;
    return ran;
  }

 private:
  void Create(Options options) {
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_TRUE(ns.ok()) << ns.error().ToString();
    if (ns.ok()) ns_ = std::move(*ns);
  }

  std::shared_ptr<FakeExecutor> executor_;
  size_t answered_ = 0;
  ChildSpy spy_;
  std::unique_ptr<Nsenter> ns_;
};

std::optional<Error> FailureOf(const Result<std::string>& result) {
  if (result.ok()) return std::nullopt;
  return result.error();
}
std::optional<Error> FailureOf(const Status& status) {
  if (status.ok()) return std::nullopt;
  return status.error();
}

// ------------------------------------------------- Input checked up front.

// A call with bad input, refused before anything runs.
struct InputRow {
  std::string id;  // The catalogue id, then what it is.
  std::function<std::optional<Error>(const Nsenter&)> call;
  ErrorCode code;
  std::string names;     // What the message must contain.
  bool recorded = true;  // Whether the recorded host takes part.
};

void PrintTo(const InputRow& row, std::ostream* os) { *os << row.id; }

// E13: C's execvp would truncate this at the NUL to /var/lib/kubelet.
const std::string kNulPath("/var/lib/kubelet\0/../../etc", 27);

std::vector<InputRow> InputRows() {
  const auto eval = [](std::string path, bool must_exist) {
    return [path, must_exist](const Nsenter& ns) {
      return FailureOf(ns.EvalSymlinks(path, must_exist));
    };
  };
  const auto kubelet = [](std::string path) {
    return [path](const Nsenter& ns) { return FailureOf(ns.KubeletPath(path)); };
  };
  const auto exec = [](std::string command, std::vector<std::string> args) {
    return [command, args](const Nsenter& ns) { return FailureOf(ns.Exec(command, args)->Run()); };
  };
  const std::string nul_command("/bin/ls\0-la", 11);
  const std::string nul_argument("/a\0b", 4);
  const std::string nul_env("X=a\0b", 5);
  const std::string nul_dir("/tmp\0/etc", 9);
  return {
      {"A1_NulInEvalSymlinksPathMustExist", eval(kNulPath, true), ErrorCode::kInvalidArgument,
       Quote(kNulPath)},
      {"A1_NulInEvalSymlinksPathAllowMissing", eval(kNulPath, false), ErrorCode::kInvalidArgument,
       Quote(kNulPath)},
      {"A1_NulInKubeletPath", kubelet(kNulPath), ErrorCode::kInvalidArgument, Quote(kNulPath)},
      {"A1_NulInCommand", exec(nul_command, {}), ErrorCode::kInvalidArgument, Quote(nul_command)},
      {"A1_NulInArgument", exec("ls", {"-l", nul_argument}), ErrorCode::kInvalidArgument,
       Quote(nul_argument)},
      {"A1_NulInEnvironment",
       [nul_env](const Nsenter& ns) {
         std::unique_ptr<Cmd> cmd = ns.Exec("ls", {});
         cmd->SetEnv({"LC_ALL=C", nul_env});
         return FailureOf(cmd->Run());
       },
       ErrorCode::kInvalidArgument, Quote(nul_env)},
      // The fake executor does not check the working directory for NUL.
      {"A1_NulInWorkingDirectory",
       [nul_dir](const Nsenter& ns) {
         std::unique_ptr<Cmd> cmd = ns.Exec("ls", {});
         cmd->SetDir(nul_dir);
         return FailureOf(cmd->Run());
       },
       ErrorCode::kInvalidArgument, Quote(nul_dir), /*recorded=*/false},
      {"A2_EmptyEvalSymlinksPathMustExist", eval("", true), ErrorCode::kInvalidArgument,
       "path is empty"},
      {"A2_EmptyEvalSymlinksPathAllowMissing", eval("", false), ErrorCode::kInvalidArgument,
       "path is empty"},
      {"A2_EmptyKubeletPath", kubelet(""), ErrorCode::kInvalidArgument, "host path is empty"},
      {"A2_EmptyCommand", exec("", {}), ErrorCode::kInvalidArgument, "command path is empty"},
      // E1: `realpath -m --help` prints its usage, `-m -e` "missing operand".
      {"A3_HelpOptionAsPath", eval("--help", false), ErrorCode::kInvalidArgument,
       Quote("--help") + " is not absolute"},
      {"A3_ModeOptionAsPath", eval("-e", false), ErrorCode::kInvalidArgument,
       Quote("-e") + " is not absolute"},
      {"A3_UnknownOptionAsPath", eval("-x", true), ErrorCode::kInvalidArgument,
       Quote("-x") + " is not absolute"},
      // E5: under nsenter this would be resolved from the host's "/".
      {"A5_RelativeEvalSymlinksPath", eval("etc/../usr", false), ErrorCode::kInvalidArgument,
       Quote("etc/../usr") + " is not absolute"},
      {"A5_DotRelativeEvalSymlinksPath", eval("./etc", true), ErrorCode::kInvalidArgument,
       Quote("./etc") + " is not absolute"},
      {"A5_RelativeKubeletPath", kubelet("var/lib/kubelet"), ErrorCode::kInvalidArgument,
       Quote("var/lib/kubelet") + " is not absolute"},
  };
}

// Every row with every variant that takes part.
std::vector<std::tuple<InputRow, Variant>> InputCases() {
  std::vector<std::tuple<InputRow, Variant>> cases;
  for (const InputRow& row : InputRows()) {
    for (const Variant variant : {Variant::kRecorded, Variant::kNsenter, Variant::kNative}) {
      if (variant != Variant::kRecorded || row.recorded) cases.emplace_back(row, variant);
    }
  }
  return cases;
}

class InputTableTest : public ::testing::TestWithParam<std::tuple<InputRow, Variant>> {};

TEST_P(InputTableTest, IsRefusedBeforeAnythingRuns) {
  const auto& [row, variant] = GetParam();
  Subject subject(variant);
  ASSERT_NE(subject.ns(), nullptr);
  const std::optional<Error> error = row.call(*subject.ns());
  ASSERT_TRUE(error.has_value()) << "the bad input was accepted";
  EXPECT_EQ(error->code(), row.code) << error->ToString();
  EXPECT_THAT(error->message(), HasSubstr(row.names));
  EXPECT_FALSE(subject.SomethingRan()) << "something was executed";
}

INSTANTIATE_TEST_SUITE_P(Rows, InputTableTest, ::testing::ValuesIn(InputCases()),
                         [](const auto& info) {
                           return std::get<0>(info.param).id + "_" +
                                  VariantName(std::get<1>(info.param));
                         });

// The spies see what runs: without this, "nothing ran" would prove nothing.
// A run counts whatever its outcome (without privilege, setns fails).
class SpyTest : public ::testing::TestWithParam<Variant> {};

TEST_P(SpyTest, SeesARun) {
  Subject subject(GetParam());
  ASSERT_NE(subject.ns(), nullptr);
  (void)subject.ns()->EvalSymlinks("/usr", true);
  (void)subject.ns()->Exec("/bin/true", {})->Run();
  EXPECT_TRUE(subject.SomethingRan());
}

INSTANTIATE_TEST_SUITE_P(Variants, SpyTest,
                         ::testing::Values(Variant::kRecorded, Variant::kNsenter, Variant::kNative),
                         [](const auto& info) { return VariantName(info.param); });

// -------------------------------------------------- Options that are bad.

// A Create that must fail, with either backend; Create never runs anything.
struct CreateRow {
  std::string id;
  // Spoils the options (of this machine, or of the tree given); returns what
  // the message must name.
  std::function<std::string(Options&, const TempDir&)> spoil;
  ErrorCode code;
};

void PrintTo(const CreateRow& row, std::ostream* os) { *os << row.id; }

std::vector<CreateRow> CreateRows() {
  return {
      {"A1_NulInNamespaceFile",
       [](Options& options, const TempDir&) {
         const std::string file("/proc/self/ns/mnt\0/x", 20);
         options.namespace_files[NamespaceKind::kMount] = file;
         return Quote(file);
       },
       ErrorCode::kInvalidArgument},
      {"C7_RelativeHostRoot",
       [](Options& options, const TempDir&) {
         options.host_root = "rootfs";
         return "host root " + Quote("rootfs") + " is not absolute";
       },
       ErrorCode::kInvalidArgument},
      {"C7_NulInHostRoot",
       [](Options& options, const TempDir&) {
         options.host_root = std::string("/root\0fs", 8);
         return "host root " + Quote(options.host_root) + " contains a NUL byte";
       },
       ErrorCode::kInvalidArgument},
      // NixOS: every binary in /run/current-system/sw/bin, none in the
      // original's search dirs.
      {"D2_BinaryInNoSearchDir",
       [](Options& options, const TempDir& tree) {
         testing_support::InstallRequiredBinaries(tree, "run/current-system/sw/bin");
         options.host_root = tree.path();
         return "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " + tree.path() +
                ")";
       },
       ErrorCode::kNotFound},
      // E5: nsenter would run them and fail with 126.
      {"D3_OnlyADirectoryAndANonExecutableNamedMount",
       [](Options& options, const TempDir& tree) {
         for (const std::string& name : DefaultRequiredBinaries()) {
           if (name != "mount") tree.WriteFile("usr/bin/" + name, "", 0755);
         }
         tree.MakeDir("bin/mount");
         tree.WriteFile("usr/bin/mount", "#!/bin/sh\n", 0644);
         options.host_root = tree.path();
         return std::string("unable to find mount (searched");
       },
       ErrorCode::kNotFound},
  };
}

class CreateTableTest : public ::testing::TestWithParam<std::tuple<CreateRow, Backend>> {};

TEST_P(CreateTableTest, FailsAndRunsNothing) {
  const auto& [row, backend] = GetParam();
  TempDir tree;
  Options options = SelfOptions(backend);
  const std::string names = row.spoil(options, tree);
  ChildSpy spy;
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
  ASSERT_FALSE(ns.ok()) << "created anyway";
  EXPECT_EQ(ns.error().code(), row.code) << ns.error().ToString();
  EXPECT_THAT(ns.error().message(), HasSubstr(names));
  EXPECT_FALSE(spy.ChildEnded()) << "something was executed";
}

INSTANTIATE_TEST_SUITE_P(Rows, CreateTableTest,
                         ::testing::Combine(::testing::ValuesIn(CreateRows()),
                                            ::testing::Values(Backend::kNsenter, Backend::kNative)),
                         [](const auto& info) {
                           return std::get<0>(info.param).id + "_" +
                                  BackendName(std::get<1>(info.param));
                         });

// --------------------------------------------------- Namespace files (E2).

// A namespace file that is missing or not a mount namespace. Natively,
// Create opens and checks it; through nsenter, nsenter(1) fails before the
// host program (its messages: hostile-inputs.md E5).
struct NamespaceRow {
  std::string id;
  std::function<std::string(const TempDir&)> file;
  ErrorCode native_code;
  std::string native_names;  // After the quoted file name.
  std::string nsenter_says;
};

void PrintTo(const NamespaceRow& row, std::ostream* os) { *os << row.id; }

std::vector<NamespaceRow> NamespaceRows() {
  return {
      {"E2_MissingNamespaceFile", [](const TempDir&) { return std::string("/no/such/ns/mnt"); },
       ErrorCode::kNotFound, ": No such file or directory",
       "nsenter: cannot open /no/such/ns/mnt: No such file or directory"},
      {"E2_RegularFileAsNamespace", [](const TempDir& tree) { return tree.WriteFile("mnt"); },
       ErrorCode::kInvalidArgument, " is not a mount namespace",
       "nsenter: reassociate to namespace 'ns/mnt' failed: Invalid argument"},
      {"E2_NetworkNamespaceAsMount",
       [](const TempDir&) { return std::string("/proc/self/ns/net"); }, ErrorCode::kInvalidArgument,
       " is not a mount namespace",
       "nsenter: reassociate to namespace 'ns/mnt' failed: Invalid argument"},
  };
}

class NamespaceTableTest : public ::testing::TestWithParam<std::tuple<NamespaceRow, Backend>> {};

TEST_P(NamespaceTableTest, FailsBeforeTheHostProgramRuns) {
  const auto& [row, backend] = GetParam();
  TempDir tree;
  const std::string file = row.file(tree);
  Options options = SelfOptions(backend);
  options.namespace_files[NamespaceKind::kMount] = file;
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
  if (backend == Backend::kNative) {
    ASSERT_FALSE(ns.ok()) << "created anyway";
    EXPECT_EQ(ns.error().code(), row.native_code) << ns.error().ToString();
    EXPECT_THAT(ns.error().message(), HasSubstr(Quote(file) + row.native_names));
    return;
  }
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  const std::string marker = tree.path() + "/ran";
  const Status status = (*ns)->Exec("touch", {"--", marker})->Run();
  ASSERT_FALSE(status.ok()) << "ran anyway";
  EXPECT_EQ(status.error().code(), ErrorCode::kExecFailed) << status.error().ToString();
  EXPECT_THAT(status.error().message(), HasSubstr("nsenter failed before running"));
  EXPECT_THAT(status.error().ToString(), HasSubstr(row.nsenter_says));
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the host program ran";
}

INSTANTIATE_TEST_SUITE_P(Rows, NamespaceTableTest,
                         ::testing::Combine(::testing::ValuesIn(NamespaceRows()),
                                            ::testing::Values(Backend::kNsenter, Backend::kNative)),
                         [](const auto& info) {
                           return std::get<0>(info.param).id + "_" +
                                  BackendName(std::get<1>(info.param));
                         });

// ------------------------------------------- Missing capabilities (E3).

// Drops `capability` from this thread's bounding, effective and permitted
// sets, so that neither it nor what it executes has it (root regains at exec
// only what the bounding set holds). Returns why it could not, or "".
std::string DropCapability(int capability) {
  if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) {
    return std::string("PR_CAPBSET_DROP: ") + std::strerror(errno);
  }
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0)
    return std::string("capget: ") + std::strerror(errno);
  const unsigned bit = 1u << (capability % 32);
  data[capability / 32].effective &= ~bit;
  data[capability / 32].permitted &= ~bit;
  if (syscall(SYS_capset, &header, data) != 0)
    return std::string("capset: ") + std::strerror(errno);
  return "";
}

class CapabilityTableTest
    : public ::testing::TestWithParam<std::tuple<std::pair<int, std::string>, Backend>> {};

TEST_P(CapabilityTableTest, RefusedSetnsRunsNothing) {
  if (const auto missing = MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
  const auto& [capability, backend] = GetParam();
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(SelfOptions(backend));
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  TempDir tree;
  const std::string marker = tree.path() + "/ran";
  // In a child, so that this process keeps its capabilities.
  const std::string report = RunInForkedChild([&] {
    if (std::string failed = DropCapability(capability.first); !failed.empty()) return failed;
    const Status status = (*ns)->Exec("touch", {"--", marker})->Run();
    if (status.ok()) return std::string("ran");
    return std::string(ErrorCodeName(status.error().code())) + "\n" + status.error().ToString();
  });
  // kExecFailed in both backends; the message says why.
  EXPECT_THAT(report, StartsWith("exec failed\n"));
  if (backend == Backend::kNative) {
    EXPECT_THAT(report, HasSubstr(Quote("/proc/self/ns/mnt")));
    EXPECT_THAT(report, HasSubstr(capability.second));
  } else {
    EXPECT_THAT(report, HasSubstr("nsenter failed before running"));
    EXPECT_THAT(report,
                HasSubstr("reassociate to namespace 'ns/mnt' failed: Operation not permitted"));
  }
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the host program ran";
}

INSTANTIATE_TEST_SUITE_P(
    Rows, CapabilityTableTest,
    ::testing::Combine(
        ::testing::Values(std::pair<int, std::string>{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
                          std::pair<int, std::string>{CAP_SYS_CHROOT, "CAP_SYS_CHROOT"}),
        ::testing::Values(Backend::kNsenter, Backend::kNative)),
    [](const auto& info) {
      const std::string name =
          std::get<0>(info.param).second == "CAP_SYS_ADMIN" ? "SysAdmin" : "SysChroot";
      return "E3_Without" + name + "_" + BackendName(std::get<1>(info.param));
    });

// -------------------------------------------- Lookups in the root (C3, C4).

// Makes every openat2(2) of this thread fail with `error`, as a seccomp
// policy that does not know it does (hostile-inputs.md C4; libpathrs'
// contrib/fake-enosys). The architecture is not checked: only this
// process's own native calls matter. Returns why it could not, or "".
std::string FailOpenat2With(int error) {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
      BPF_STMT(BPF_RET | BPF_K,
               SECCOMP_RET_ERRNO | (static_cast<unsigned>(error) & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  const sock_fprog program = {static_cast<unsigned short>(std::size(filter)), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
    return std::string("cannot install the seccomp filter: ") + std::strerror(errno);
  }
  return "";
}

class RootLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_.WriteFile("etc/hostname", "inside\n");
    tree_.Symlink("abs", "/etc");
  }

  // What lookup the view uses and what it answers about `path` (or the
  // error's code and message), in a child whose openat2 fails with `error`
  // from before (or after) the view is opened.
  std::string InChild(int error, bool before_open, const std::string& path) const {
    return RunInForkedChild([&] {
      if (before_open) {
        if (std::string failed = FailOpenat2With(error); !failed.empty()) return failed;
      }
      Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(tree_.path());
      if (!view.ok()) return "open: " + view.error().ToString();
      if (!before_open) {
        if (std::string failed = FailOpenat2With(error); !failed.empty()) return failed;
      }
      const std::string lookup = (*view)->uses_openat2() ? "openat2\n" : "walk\n";
      Result<std::string> resolved = ResolveRealpath(**view, path, RealpathMode::kMustExist);
      if (resolved.ok()) return lookup + *resolved;
      return lookup + std::string(ErrorCodeName(resolved.error().code())) + ": " +
             resolved.error().message();
    });
  }

  TempDir tree_;
};

// C4: a kernel without openat2 (ENOSYS) or a policy refusing it (EPERM) at
// Open: the component walk is chosen once, and stays confined.
TEST_F(RootLookupTest, C4_Openat2UnavailableAtOpenChoosesTheWalk) {
  for (const int error : {ENOSYS, EPERM}) {
    EXPECT_EQ(InChild(error, true, "/abs/hostname"), "walk\n/etc/hostname") << std::strerror(error);
    EXPECT_THAT(InChild(error, true, "/abs/passwd"),
                AllOf(StartsWith("walk\nnot found: "), HasSubstr(Quote("/abs/passwd"))));
  }
}

// C4: openat2 failing after Open does not switch the view to the walk; a
// run of names that fails its one-call lookup is taken name by name from
// the resolver's cursor (openat and fstatat of one name, O_NOFOLLOW), which
// needs no openat2 and is as confined: the answers stay right.
TEST_F(RootLookupTest, C4_Openat2FailingLaterIsNotADowngrade) {
  EXPECT_EQ(InChild(ENOSYS, false, "/etc/hostname"), "openat2\n/etc/hostname");
  EXPECT_EQ(InChild(ENOSYS, false, "/abs/hostname"), "openat2\n/etc/hostname");
  EXPECT_THAT(InChild(ENOSYS, false, "/abs/passwd"),
              AllOf(StartsWith("openat2\nnot found: "), HasSubstr(Quote("/abs/passwd"))));
}

// C3: EAGAIN for ever (a rename or mount racing every lookup) ends after
// bounded retries, at once, and the names are then taken one by one.
TEST_F(RootLookupTest, C3_Openat2RetriesAreBounded) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(InChild(EAGAIN, false, "/etc/hostname"), "openat2\n/etc/hostname");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// ------------------------------------------ A host realpath that is not GNU's.

// D5: busybox's realpath takes -e and -- for file names (recorded in
// testdata/hosts/busybox.json); its output is never taken for an answer.
TEST(NonGnuRealpathTest, D5_IsRecognisedAndNothingElseRuns) {
  Result<fakehost::Fixture> fixture = fakehost::LoadFixture(FixturePath("busybox.json"));
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  Result<std::shared_ptr<fakehost::FakeHost>> host = fakehost::FakeHost::Create(*fixture);
  ASSERT_TRUE(host.ok()) << host.error().ToString();
  const auto executor = std::make_shared<FakeExecutor>(*host);
  Options options;
  options.host_root = fixture->root;
  options.host_files = *host;
  options.executor = executor;
  options.log = [](int, std::string_view) {};
  options.required_binaries.clear();  // Busybox has no findmnt.
  for (const std::string& name : DefaultRequiredBinaries()) {
    if (name != "findmnt") options.required_binaries.push_back(name);
  }
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  for (const bool must_exist : {true, false}) {
    Result<std::string> resolved = (*ns)->EvalSymlinks("/bin", must_exist);
    ASSERT_FALSE(resolved.ok()) << "took " << Quote(*resolved) << " for an answer";
    EXPECT_EQ(resolved.error().code(), ErrorCode::kExecFailed) << resolved.error().ToString();
    EXPECT_THAT(resolved.error().message(), HasSubstr(Quote("/bin")));
    EXPECT_THAT(resolved.error().message(), HasSubstr("not GNU coreutils' realpath"));
  }
  const std::vector<fakehost::FakeCall> calls = executor->Calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_THAT(calls[0].host_argv, ElementsAre("/bin/realpath", "-e", "--", "/bin"));
  EXPECT_THAT(calls[1].host_argv, ElementsAre("/bin/realpath", "-m", "--", "/bin"));
}

// ----------------------------------------------- KubeletPath (A6, A7).

// A6: ".." and an absolute path joined under the root never leave it (Go's
// filepath.Join("/rootfs", "/../etc/passwd") is "/etc/passwd", C++'s
// path("/rootfs") / "/some/path" is "/some/path": E15). A7: "//" is "/" (K2).
TEST(KubeletPathTest, A6_NeverLeavesTheHostRoot) {
  const std::pair<std::string, std::string> cases[] = {
      {"/../etc/passwd", "/rootfs/etc/passwd"},       {"/a/../../etc", "/rootfs/etc"},
      {"/var/lib/kubelet/../../../../..", "/rootfs"}, {"/some/path", "/rootfs/some/path"},
      {"//some/path", "/rootfs/some/path"},           {"/", "/rootfs"},
  };
  Subject subject(Variant::kRecorded);  // Its host root is /rootfs.
  ASSERT_NE(subject.ns(), nullptr);
  for (const auto& [path, want] : cases) {
    Result<std::string> seen = subject.ns()->KubeletPath(path);
    ASSERT_TRUE(seen.ok()) << path << ": " << seen.error().ToString();
    EXPECT_EQ(*seen, want) << path;
  }
}

// ------------------------------------ On this machine, with real processes.

// The real backends on this machine: what runs, runs through nsenter(1) or
// setns(2), so root with CAP_SYS_ADMIN is needed.
class HostTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const auto missing = MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(SelfOptions(GetParam()));
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
    base_ = RealPath(tree_.path());
  }

  std::unique_ptr<Nsenter> ns_;
  TempDir tree_;
  std::string base_;
};

// A7: runs of slashes are one slash, as realpath prints them (E1).
TEST_P(HostTest, A7_RunsOfSlashesAreOneSlash) {
  const std::tuple<std::string, bool, std::string> cases[] = {
      {"//", true, "/"}, {"//etc", true, "/etc"}, {"///etc//", false, "/etc"}};
  for (const auto& [path, must_exist, want] : cases) {
    Result<std::string> resolved = ns_->EvalSymlinks(path, must_exist);
    ASSERT_TRUE(resolved.ok()) << path << ": " << resolved.error().ToString();
    EXPECT_EQ(*resolved, want) << path;
  }
}

// Names with blanks, newlines and bytes that are not UTF-8 (E3).
const std::string kAwkwardNames[] = {"sp ",       " lead",    "nl\n",    "a\nb",
                                     "tab\there", "\xff\xfe", "caf\xe9", "it's"};

// A8: such names come back byte for byte: never trimmed, one terminator
// stripped. As files, through symlinks, and as arguments of a command.
TEST_P(HostTest, A8_AwkwardNamesRoundTripByteForByte) {
  int i = 0;
  for (const std::string& name : kAwkwardNames) {
    const std::string path = base_ + "/" + name;
    tree_.WriteFile(name);
    const std::string link = "link" + std::to_string(i++);
    tree_.Symlink(link, name);
    for (const bool must_exist : {true, false}) {
      EXPECT_EQ(*ns_->EvalSymlinks(path, must_exist), path) << Quote(name);
      EXPECT_EQ(*ns_->EvalSymlinks(base_ + "/" + link, must_exist), path) << Quote(name);
    }
    EXPECT_EQ(*ns_->EvalSymlinks(path + "-missing", false), path + "-missing") << Quote(name);
    Result<std::string> printed = ns_->Exec("printf", {"%s", name})->Output();
    ASSERT_TRUE(printed.ok()) << printed.error().ToString();
    EXPECT_EQ(*printed, name);
  }
}

// A9: realpath quotes such names in its messages, differently for each
// ('/nonexist dir/x', "/tmp/it's", '/tmp/a'$'\n''b': E4); only the strerror
// text at the end is read, and the error names the path as Quote does.
TEST_P(HostTest, A9_FailuresAboutAwkwardNamesAreUnderstood) {
  for (const std::string name : {"nonexist dir", "it's", "a\nb", "\xff"}) {
    const std::string path = base_ + "/" + name + "/x";
    Result<std::string> resolved = ns_->EvalSymlinks(path, true);
    ASSERT_FALSE(resolved.ok()) << Quote(path);
    EXPECT_EQ(resolved.error().code(), ErrorCode::kNotFound) << resolved.error().ToString();
    EXPECT_THAT(resolved.error().message(), HasSubstr(Quote(path)));
  }
}

// A10: a name discovery does not know is looked up on the host's PATH
// (decision 6.1); "-h" is a program name there, never an option of nsenter
// (`nsenter ... -- -h` exits 127: E5).
TEST_P(HostTest, A10_UndiscoveredNamesAreLookedUpOnTheHost) {
  for (const std::string name : {"no-such-command-xyz", "realpathXYZ", "-h", "--help"}) {
    Result<std::string> out = ns_->Exec(name, {})->Output();
    ASSERT_FALSE(out.ok()) << name << " printed " << *out;
    EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();
    EXPECT_THAT(out.error().message(), HasSubstr(Quote(name)));
  }
  Result<std::string> printed = ns_->Exec("printf", {"found"})->Output();
  ASSERT_TRUE(printed.ok()) << printed.error().ToString();
  EXPECT_EQ(*printed, "found");
}

// E5: entering the mount namespace moves the working directory to its "/",
// whatever the caller's (E12); commands must not rely on it.
TEST_P(HostTest, E5_CommandsStartAtTheNamespacesRoot) {
  char* previous = getcwd(nullptr, 0);
  ASSERT_NE(previous, nullptr);
  ASSERT_EQ(chdir(tree_.path().c_str()), 0);
  Result<std::string> out = ns_->Exec("pwd", {})->Output();
  EXPECT_EQ(chdir(previous), 0);
  std::free(previous);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "/\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, HostTest, ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return BackendName(info.param); });

// A10 through the recorded host: the name is handed on after "--" as given.
TEST(UndiscoveredNameTest, A10_IsPassedOnAfterTheDoubleDash) {
  Subject subject(Variant::kRecorded);
  ASSERT_NE(subject.ns(), nullptr);
  for (const std::string name : {"systemctl", "-h"}) {
    (void)subject.ns()->Exec(name, {"status"})->Run();
    EXPECT_EQ(subject.ns()->AbsHostPath(name), name);
  }
  const std::vector<fakehost::FakeCall> calls = subject.RecordedCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_THAT(calls[0].args,
              ElementsAre("--mount=/rootfs/proc/1/ns/mnt", "--", "systemctl", "status"));
  EXPECT_THAT(calls[1].args, ElementsAre("--mount=/rootfs/proc/1/ns/mnt", "--", "-h", "status"));
}

}  // namespace
}  // namespace nsenter
