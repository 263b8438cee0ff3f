// HostFiles through both routes: through nsenter on a strict mock of Nsenter
// (the exact argv run, the parsing of stat's answer, refused input running
// nothing), and natively with a real native Nsenter over a temporary host
// tree (system calls confined to the tree, symlinks resolved inside it).
#include "nsenter/mount/host_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/mock_executor.h"
#include "nsenter/mount/host_command_answers.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/quote.h"
#include "nsenter/root_file_view.h"
#include "nsenter/testing/host_root.h"
#include "nsenter/testing/self_backend_test.h"

namespace nsenter {
namespace {

using fakehost::MockNsenter;
using mount_testing::Answering;
using mount_testing::Exited;
using fakehost::TempDir;
using ::testing::_;
using ::testing::ByMove;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::ReturnRef;
using ::testing::StrictMock;

std::vector<std::string> StatArgs(const std::string& path) {
  return {"-L", "--printf=%f:%u:%g", "--", path};
}

// ---- Through nsenter: the commands run, on a strict mock. ----

class ThroughNsenterTest : public ::testing::Test {
 protected:
  ThroughNsenterTest() : files_(ns_) {
    EXPECT_CALL(ns_, HostEnvironment())
        .WillRepeatedly(Return(std::vector<std::string>{"PATH=/usr/bin:/bin"}));
  }

  void ExpectBackend() { EXPECT_CALL(ns_, backend()).WillRepeatedly(Return(Backend::kNsenter)); }
  void ExpectResolved(const std::string& path, bool must_exist, Result<std::string> resolved) {
    EXPECT_CALL(ns_, EvalSymlinks(path, must_exist)).WillOnce(Return(std::move(resolved)));
  }
  void ExpectRun(const std::string& program, std::vector<std::string> args,
                 Result<std::string> output) {
    EXPECT_CALL(ns_, Exec(program, args)).WillOnce(Return(ByMove(Answering(std::move(output)))));
  }
  // `path` resolves to itself, and stat answers `output` for it.
  void ExpectStat(const std::string& path, Result<std::string> output) {
    ExpectBackend();
    ExpectResolved(path, true, path);
    ExpectRun("stat", StatArgs(path), std::move(output));
  }

  StrictMock<MockNsenter> ns_;
  HostFiles files_;
};

TEST_F(ThroughNsenterTest, StatResolvesThenRunsStatWithTheExactArgv) {
  ExpectBackend();
  ExpectResolved("/var/link", true, std::string("/var/-real dir"));
  ExpectRun("stat", StatArgs("/var/-real dir"), std::string("41ed:0:0"));
  Result<HostFileStat> st = files_.Stat("/var/link");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(*st, (HostFileStat{HostFileType::kDirectory, 0755, {0, 0}}));
}

TEST_F(ThroughNsenterTest, EveryRawModeMapsToItsTypeAndPermissionBits) {
  struct Case {
    const char* output;
    HostFileStat expected;
  };
  const std::vector<Case> cases = {
      {"81a4:1000:100", {HostFileType::kFile, 0644, {1000, 100}}},
      {"43fd:0:0", {HostFileType::kDirectory, 01775, {0, 0}}},
      {"c1ed:1:2", {HostFileType::kSocket, 0755, {1, 2}}},
      {"21b6:0:5", {HostFileType::kCharDevice, 0666, {0, 5}}},
      {"61b0:0:6", {HostFileType::kBlockDevice, 0660, {0, 6}}},
      {"11a4:7:8", {HostFileType::kFifo, 0644, {7, 8}}},
      {"89e4:4294967294:4294967294", {HostFileType::kFile, 04744, {4294967294u, 4294967294u}}},
  };
  for (const Case& c : cases) {
    ExpectStat("/p", std::string(c.output));
    Result<HostFileStat> st = files_.Stat("/p");
    ASSERT_TRUE(st.ok()) << c.output << ": " << st.error().ToString();
    EXPECT_EQ(*st, c.expected) << c.output;
  }
}

TEST_F(ThroughNsenterTest, OutputThatIsNotHexUidGidIsInternalAndShown) {
  for (const char* output : {"", "41ed", "41ed:0", "41ed:0:0\n", "41ed:0:0:0", "zz:0:0",
                             "41ed:-1:0", "41ed::0", "41ed:0:99999999999"}) {
    ExpectStat("/p", std::string(output));
    Result<HostFileStat> st = files_.Stat("/p");
    ASSERT_FALSE(st.ok()) << Quote(output);
    EXPECT_EQ(st.error().code(), ErrorCode::kInternal) << Quote(output);
    EXPECT_THAT(st.error().message(), HasSubstr("stat printed " + Quote(output))) << output;
  }
}

TEST_F(ThroughNsenterTest, ASymlinkOrUnknownTypeAfterFollowingIsInternal) {
  ExpectStat("/p", std::string("a1ff:0:0"));
  Result<HostFileStat> st = files_.Stat("/p");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kInternal);
  EXPECT_THAT(st.error().message(), HasSubstr("has no known type"));
}

TEST_F(ThroughNsenterTest, APathThatWentMissingIsNotFoundWithStatsOutputKept) {
  ExpectStat("/gone", Exited(1, "stat: cannot statx '/gone': No such file or directory\n"));
  Result<HostFileStat> st = files_.Stat("/gone");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(st.error().message(), HasSubstr("stat '-L' '--printf=%f:%u:%g' '--' '/gone': "));
  EXPECT_THAT(st.error().message(), EndsWith(": No such file or directory"));
  EXPECT_EQ(st.error().exit_status(), 1);
  EXPECT_THAT(st.error().stderr_data(), HasSubstr("No such file"));
}

// The C-locale strerror texts of stat, mkdir and touch give the codes their
// errno values have natively (ErrorCodeFromErrno).
TEST_F(ThroughNsenterTest, AFailureTheToolNamesGetsTheCodeOfItsErrnoNatively) {
  const struct {
    std::string text;
    ErrorCode code;
  } cases[] = {
      {"Not a directory", ErrorCode::kNotADirectory},
      {"Too many levels of symbolic links", ErrorCode::kLoop},
      {"Permission denied", ErrorCode::kPermissionDenied},
      {"Read-only file system", ErrorCode::kPermissionDenied},
  };
  for (const auto& c : cases) {
    ExpectStat("/p", Exited(1, "stat: cannot statx '/p': " + c.text + "\n"));
    Result<HostFileStat> st = files_.Stat("/p");
    ASSERT_FALSE(st.ok()) << c.text;
    EXPECT_EQ(st.error().code(), c.code) << c.text;
    EXPECT_THAT(st.error().message(), HasSubstr("stat '-L' '--printf=%f:%u:%g' '--' '/p': "));
    EXPECT_THAT(st.error().message(), EndsWith(": " + c.text));
    EXPECT_EQ(st.error().exit_status(), 1);

    ExpectBackend();
    ExpectRun("mkdir", {"-p", "--", "/d"},
              Exited(1, "mkdir: cannot create directory '/d': " + c.text + "\n"));
    EXPECT_EQ(files_.MakeDir("/d").error().code(), c.code) << c.text;
    ExpectBackend();
    ExpectRun("touch", {"--", "/d"}, Exited(1, "touch: cannot touch '/d': " + c.text + "\n"));
    EXPECT_EQ(files_.MakeFile("/d").error().code(), c.code) << c.text;
  }
}

TEST_F(ThroughNsenterTest, AnotherStatFailureStaysAFailureNamingTheCommand) {
  ExpectStat("/p", Exited(1, "stat: cannot statx '/p': Input/output error\n"));
  Result<HostFileStat> st = files_.Stat("/p");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(st.error().message(), HasSubstr("stat '-L' '--printf=%f:%u:%g' '--' '/p': "));
}

TEST_F(ThroughNsenterTest, AFailedResolutionIsReturnedAndNothingRuns) {
  ExpectResolved("/missing", true, Error(ErrorCode::kNotFound, "realpath: /missing: missing"));
  Result<HostFileType> type = files_.GetFileType("/missing");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().code(), ErrorCode::kNotFound);
}

TEST_F(ThroughNsenterTest, GetFileTypeModeOwnerAndPathIsDeviceComeFromStat) {
  ExpectStat("/dev/sda", std::string("61b0:0:6"));
  EXPECT_EQ(*files_.GetFileType("/dev/sda"), HostFileType::kBlockDevice);
  ExpectStat("/dev/sda", std::string("61b0:0:6"));
  EXPECT_EQ(*files_.GetMode("/dev/sda"), 0660u);
  ExpectStat("/dev/sda", std::string("61b0:0:6"));
  EXPECT_EQ(*files_.GetOwner("/dev/sda"), (HostOwner{0, 6}));
  ExpectStat("/dev/sda", std::string("61b0:0:6"));
  EXPECT_TRUE(*files_.PathIsDevice("/dev/sda"));
  ExpectStat("/dev/null", std::string("21b6:0:0"));
  EXPECT_TRUE(*files_.PathIsDevice("/dev/null"));
  ExpectStat("/etc/hosts", std::string("81a4:0:0"));
  EXPECT_FALSE(*files_.PathIsDevice("/etc/hosts"));
}

TEST_F(ThroughNsenterTest, PathExistsResolvesWithoutMustExistAndTellsMissingFromFailure) {
  ExpectBackend();
  ExpectResolved("/a", false, std::string("/b"));
  ExpectRun("stat", StatArgs("/b"), std::string("81a4:0:0"));
  EXPECT_TRUE(*files_.PathExists("/a"));

  ExpectResolved("/gone", false, std::string("/gone"));
  ExpectRun("stat", StatArgs("/gone"),
            Exited(1, "stat: cannot statx '/gone': No such file or directory\n"));
  EXPECT_FALSE(*files_.PathExists("/gone"));

  ExpectResolved("/file/x", false, std::string("/file/x"));
  ExpectRun("stat", StatArgs("/file/x"),
            Exited(1, "stat: cannot statx '/file/x': Not a directory\n"));
  Result<bool> exists = files_.PathExists("/file/x");
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code(), ErrorCode::kNotADirectory);
}

TEST_F(ThroughNsenterTest, MakeDirRunsMkdirParentsWithThePathAsGiven) {
  ExpectBackend();
  ExpectRun("mkdir", {"-p", "--", "/var/-new/dir"}, std::string());
  Status made = files_.MakeDir("/var/-new/dir");
  EXPECT_TRUE(made.ok()) << made.error().ToString();
}

TEST_F(ThroughNsenterTest, MakeDirOptionsBecomeMkdirsParentsAndModeFlags) {
  ExpectBackend();
  ExpectRun("mkdir", {"--", "/var/one"}, std::string());
  Status made = files_.MakeDir("/var/one", {.parents = false});
  EXPECT_TRUE(made.ok()) << made.error().ToString();
  ExpectRun("mkdir", {"-p", "-m", "2750", "--", "/var/a/b"}, std::string());
  made = files_.MakeDir("/var/a/b", {.parents = true, .mode = 02750});
  EXPECT_TRUE(made.ok()) << made.error().ToString();
  ExpectRun("mkdir", {"-m", "0700", "--", "/var/c"}, std::string());
  made = files_.MakeDir("/var/c", {.parents = false, .mode = 0700});
  EXPECT_TRUE(made.ok()) << made.error().ToString();
}

// mkdir(1)'s messages under LC_ALL=C carry the codes of the native route.
TEST_F(ThroughNsenterTest, MkdirsFileExistsAndMissingParentGetTheirCodes) {
  ExpectBackend();
  ExpectRun("mkdir", {"--", "/var"},
            Exited(1, "mkdir: cannot create directory '/var': File exists\n"));
  Status made = files_.MakeDir("/var", {.parents = false});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_THAT(made.error().message(), HasSubstr("mkdir '--' '/var': "));
  ExpectRun("mkdir", {"--", "/no/x"},
            Exited(1, "mkdir: cannot create directory '/no/x': No such file or directory\n"));
  made = files_.MakeDir("/no/x", {.parents = false});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotFound);
}

TEST_F(ThroughNsenterTest, AModeBeyondThePermissionBitsIsRefusedBeforeAnythingRuns) {
  // The strict mock fails the test on any call.
  Status made = files_.MakeDir("/var/x", {.mode = 010000});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(made.error().message(), HasSubstr("mode 010000 is beyond 07777"));
}

TEST_F(ThroughNsenterTest, MakeFileRunsTouchWithThePathAsGiven) {
  ExpectBackend();
  ExpectRun("touch", {"--", "/var/-f"}, std::string());
  Status made = files_.MakeFile("/var/-f");
  EXPECT_TRUE(made.ok()) << made.error().ToString();
}

TEST_F(ThroughNsenterTest, AFailedMkdirOrTouchIsReturnedNamingTheCommand) {
  ExpectBackend();
  ExpectRun("mkdir", {"-p", "--", "/f/d"}, Exited(1, "mkdir: cannot create directory"));
  Status made = files_.MakeDir("/f/d");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(made.error().message(), HasSubstr("mkdir '-p' '--' '/f/d': "));
  ExpectRun("touch", {"--", "/f/d"}, Exited(1, "touch: cannot touch"));
  Status touched = files_.MakeFile("/f/d");
  ASSERT_FALSE(touched.ok());
  EXPECT_THAT(touched.error().message(), HasSubstr("touch '--' '/f/d': "));
}

TEST_F(ThroughNsenterTest, BadPathsAreRefusedBeforeAnythingRuns) {
  // The strict mock fails the test on any call: nothing is resolved or run.
  for (const std::string& path :
       {std::string(), std::string("relative/path"), std::string("/nul\0byte", 9)}) {
    const std::vector<Error> errors = {files_.Stat(path).error(),
                                       files_.GetFileType(path).error(),
                                       files_.GetMode(path).error(),
                                       files_.GetOwner(path).error(),
                                       files_.PathIsDevice(path).error(),
                                       files_.PathExists(path).error(),
                                       files_.MakeDir(path).error(),
                                       files_.MakeFile(path).error(),
                                       files_.GetSELinuxSupport(path).error()};
    for (const Error& error : errors) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << Quote(path);
      EXPECT_THAT(error.message(), HasSubstr("path")) << Quote(path);
    }
  }
}

class SELinuxTest : public ThroughNsenterTest {
 protected:
  SELinuxTest() {
    EXPECT_CALL(ns_, host_root()).WillRepeatedly(ReturnRef(root_.path()));
    Result<std::unique_ptr<RootFileView>> files = RootFileView::Open(root_.path());
    EXPECT_TRUE(files.ok()) << files.error().ToString();
    root_files_ = std::move(*files);
    EXPECT_CALL(ns_, host_files()).WillRepeatedly(ReturnRef(*root_files_));
    EXPECT_CALL(ns_, EvalSymlinks(_, true)).WillRepeatedly([](const std::string& path, bool) {
      return Result<std::string>(path);
    });
  }
  TempDir root_;
  std::unique_ptr<RootFileView> root_files_;  // Of root_: the host's files.
};

TEST_F(SELinuxTest, TheLastMountHoldingThePathDecidesFromItsSuperOptions) {
  root_.WriteFile("proc/1/mountinfo",
                  "1 0 8:1 / / rw shared:1 - xfs /dev/sda1 rw,seclabel,attr2\n"
                  "2 1 0:5 / /var/lib/kubelet rw - tmpfs tmpfs rw,size=8k\n"
                  "3 2 0:6 / /var/lib/kubelet/pods/a rw - ext4 /dev/sdb rw,seclabel\n");
  EXPECT_TRUE(*files_.GetSELinuxSupport("/etc"));
  EXPECT_FALSE(*files_.GetSELinuxSupport("/var/lib/kubelet"));
  EXPECT_FALSE(*files_.GetSELinuxSupport("/var/lib/kubelet/pods"));
  EXPECT_TRUE(*files_.GetSELinuxSupport("/var/lib/kubelet/pods/a/volume"));
  // A name that merely starts with a mount point is not below it.
  EXPECT_TRUE(*files_.GetSELinuxSupport("/var/lib/kubeletx"));
}

TEST_F(SELinuxTest, SeclabelAmongTheMountOptionsAloneDoesNotCount) {
  root_.WriteFile("proc/1/mountinfo", "1 0 8:1 / / rw,seclabel - ext4 /dev/sda1 rw\n");
  EXPECT_FALSE(*files_.GetSELinuxSupport("/etc"));
}

TEST_F(SELinuxTest, APathNoMountHoldsIsNotFoundAndAMissingTableIsListsError) {
  root_.WriteFile("proc/1/mountinfo", "2 1 0:5 / /var rw - tmpfs tmpfs rw\n");
  Result<bool> supported = files_.GetSELinuxSupport("/etc");
  ASSERT_FALSE(supported.ok());
  EXPECT_EQ(supported.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(supported.error().message(), HasSubstr("no mount of the host holds '/etc'"));

  std::filesystem::remove(root_.path() + "/proc/1/mountinfo");
  supported = files_.GetSELinuxSupport("/etc");
  ASSERT_FALSE(supported.ok());
  EXPECT_EQ(supported.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(supported.error().message(), HasSubstr("/proc/1/mountinfo"));
}

// MakeDir on dangling symlinks made in directory `dir` of this machine (host
// path `host_dir` for `files`) fails as coreutils 9.1's mkdir does (checked
// by hand, LC_ALL=C): a dangling symlink is a file that exists at the name it
// holds, and on the way with -p ("File exists", or "Not a directory" where
// its target lies under a file); mkdir(2) follows it on the way without -p.
// Nothing is made at the targets.
void ExpectMkdirsAnswersOnDanglingSymlinks(const HostFiles& files, const std::string& dir,
                                           const std::string& host_dir) {
  const std::pair<std::string, std::string> links[] = {
      {"dangling", "nowhere"}, {"target-parent-missing", "missing/x"}, {"into-a-file", "file/x"}};
  for (const auto& [link, target] : links) {
    ASSERT_EQ(symlink(target.c_str(), (dir + "/" + link).c_str()), 0) << link;
  }
  const int file = open((dir + "/file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  ASSERT_GE(file, 0);
  close(file);
  const struct {
    std::string path;
    bool parents;
    ErrorCode code;
  } cases[] = {
      {"/dangling", true, ErrorCode::kAlreadyExists},
      {"/dangling", false, ErrorCode::kAlreadyExists},
      {"/dangling/sub", true, ErrorCode::kAlreadyExists},
      {"/dangling/sub", false, ErrorCode::kNotFound},
      {"/target-parent-missing", true, ErrorCode::kAlreadyExists},
      {"/target-parent-missing", false, ErrorCode::kAlreadyExists},
      {"/target-parent-missing/sub", true, ErrorCode::kAlreadyExists},
      {"/target-parent-missing/sub", false, ErrorCode::kNotFound},
      {"/into-a-file", true, ErrorCode::kAlreadyExists},
      {"/into-a-file/sub", true, ErrorCode::kNotADirectory},
      {"/into-a-file/sub", false, ErrorCode::kNotADirectory},
  };
  for (const auto& c : cases) {
    Status made = files.MakeDir(host_dir + c.path, {.parents = c.parents});
    ASSERT_FALSE(made.ok()) << c.path << " " << c.parents;
    EXPECT_EQ(made.error().code(), c.code) << c.path << " " << c.parents << ": "
                                           << made.error().ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/nowhere"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/missing"));
}

// ---- Natively: system calls below the resolution root. ----

class NativeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "setns needs root with CAP_SYS_ADMIN";
    // Empty, so any host program run would fail: the native route runs none.
    dir_ = root_.MakeDir("d");
    ASSERT_EQ(chmod(dir_.c_str(), 0750), 0);
    file_ = root_.WriteFile("d/f", "x", 0640);
    ASSERT_EQ(chown(file_.c_str(), 1234, 5678), 0);
    root_.Symlink("abs", "/d");
    root_.Symlink("up", "../../../../../d/f");
    // /etc/passwd exists in the container's own root, not in the host tree.
    root_.Symlink("escape", "/etc");
    ns_ = Make();
    ASSERT_NE(ns_, nullptr);
    files_ = std::make_unique<HostFiles>(*ns_);
  }

  std::unique_ptr<Nsenter> Make() {
    Options options;
    options.host_root = root_.path();
    options.backend = Backend::kNative;
    options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_TRUE(ns.ok()) << ns.error().ToString();
    return ns.ok() ? std::move(*ns) : nullptr;
  }

  // Makes special file `relative` with mknod(2); false where not permitted.
  bool MakeNode(const std::string& relative, mode_t mode, dev_t device = 0) {
    return mknod((root_.path() + "/" + relative).c_str(), mode, device) == 0;
  }

  testing_support::HostRoot root_;
  std::string dir_;
  std::string file_;
  std::unique_ptr<Nsenter> ns_;
  std::unique_ptr<HostFiles> files_;
};

TEST_F(NativeTest, StatTellsTypeModeAndOwnerFollowingSymlinksInsideTheRoot) {
  Result<HostFileStat> st = files_->Stat("/abs/f");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(*st, (HostFileStat{HostFileType::kFile, 0640, {1234, 5678}}));
  st = files_->Stat("/up");  // ".." never climbs above the root.
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(st->owner, (HostOwner{1234, 5678}));
  EXPECT_EQ(*files_->GetFileType("/abs"), HostFileType::kDirectory);
  EXPECT_EQ(*files_->GetMode("/abs"), 0750u);
  EXPECT_EQ(*files_->GetFileType("/"), HostFileType::kDirectory);
}

TEST_F(NativeTest, EverySpecialTypeIsRecognised) {
  if (!MakeNode("sock", S_IFSOCK | 0600) || !MakeNode("fifo", S_IFIFO | 0600) ||
      !MakeNode("null", S_IFCHR | 0666, makedev(1, 3)) ||
      !MakeNode("loop", S_IFBLK | 0660, makedev(7, 0))) {
    GTEST_SKIP() << "mknod is not permitted here";
  }
  EXPECT_EQ(*files_->GetFileType("/sock"), HostFileType::kSocket);
  EXPECT_EQ(*files_->GetFileType("/fifo"), HostFileType::kFifo);  // Opened by nobody.
  EXPECT_EQ(*files_->GetFileType("/null"), HostFileType::kCharDevice);
  EXPECT_EQ(*files_->GetFileType("/loop"), HostFileType::kBlockDevice);
  EXPECT_TRUE(*files_->PathIsDevice("/null"));
  EXPECT_TRUE(*files_->PathIsDevice("/loop"));
  EXPECT_FALSE(*files_->PathIsDevice("/fifo"));
  EXPECT_FALSE(*files_->PathIsDevice("/abs/f"));
}

TEST_F(NativeTest, ASymlinkOutOfTheRootLeadsNowhereOutside) {
  ASSERT_TRUE(std::filesystem::exists("/etc/passwd"));
  Result<HostFileType> type = files_->GetFileType("/escape/passwd");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().code(), ErrorCode::kNotFound) << type.error().ToString();
  EXPECT_FALSE(*files_->PathExists("/escape/passwd"));
  // /etc is missing in the root, so the link dangles there: as mkdir(1) on
  // that host, MakeDir takes it for a file that exists and makes nothing.
  Status made = files_->MakeDir("/escape/made-by-test");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kAlreadyExists) << made.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(root_.path() + "/etc"));
  EXPECT_FALSE(std::filesystem::exists("/etc/made-by-test"));
}

TEST_F(NativeTest, PathExistsTellsMissingFromAFileInTheWay) {
  EXPECT_TRUE(*files_->PathExists("/abs/f"));
  EXPECT_TRUE(*files_->PathExists("/abs"));
  EXPECT_FALSE(*files_->PathExists("/d/missing"));
  EXPECT_FALSE(*files_->PathExists("/no/such/dir"));
  Result<bool> exists = files_->PathExists("/d/f/under-a-file");
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code(), ErrorCode::kNotADirectory) << exists.error().ToString();
}

TEST_F(NativeTest, AMissingPathIsNotFound) {
  Result<HostFileStat> st = files_->Stat("/d/missing");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kNotFound);
}

TEST_F(NativeTest, MakeDirMakesEveryMissingParentThroughSymlinksInsideTheRoot) {
  Status made = files_->MakeDir("/abs/new/deeper");
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/new/deeper"));
  made = files_->MakeDir("/abs/new");  // Existing: no error, as mkdir -p.
  EXPECT_TRUE(made.ok()) << made.error().ToString();
  made = files_->MakeDir("/");
  EXPECT_TRUE(made.ok()) << made.error().ToString();
}

TEST_F(NativeTest, MakeDirWithoutParentsMakesOnlyTheLastDirectory) {
  Status made = files_->MakeDir("/abs/one", {.parents = false});
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/one"));
  made = files_->MakeDir("/abs/one", {.parents = false});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_THAT(made.error().message(), HasSubstr("'/d/one': File exists"));
  made = files_->MakeDir("/abs/no/x", {.parents = false});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/no"));
  made = files_->MakeDir("/", {.parents = false});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kAlreadyExists);
}

TEST_F(NativeTest, MakeDirModeIsExactForTheLastDirectoryOnly) {
  const mode_t old_umask = umask(077);
  Status made = files_->MakeDir("/abs/a/b", {.parents = true, .mode = 02751});
  umask(old_umask);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  struct stat st;
  ASSERT_EQ(stat((dir_ + "/a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u) << "a parent: 0777 under the umask";
  ASSERT_EQ(stat((dir_ + "/a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 02751u);
  made = files_->MakeDir("/abs", {.parents = true, .mode = 0700});  // Exists: kept.
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST_F(NativeTest, MakeDirOverAFileSaysItExists) {
  for (const bool parents : {true, false}) {
    Status made = files_->MakeDir("/d/f", {.parents = parents});
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().code(), ErrorCode::kAlreadyExists) << parents;
    EXPECT_THAT(made.error().message(), HasSubstr("'/d/f': File exists"));
  }
}

TEST_F(NativeTest, MakeDirMakesNothingThroughADanglingSymlink) {
  ExpectMkdirsAnswersOnDanglingSymlinks(*files_, root_.MakeDir("links"), "/links");
}

TEST_F(NativeTest, MakeDirUnderAFileIsNotADirectory) {
  Status made = files_->MakeDir("/d/f/sub");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotADirectory);
  EXPECT_THAT(made.error().message(), HasSubstr("'/d/f' is not a directory"));
}

TEST_F(NativeTest, MakeFileCreatesOrTouches) {
  Status made = files_->MakeFile("/abs/new-file");
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  struct stat st;
  ASSERT_EQ(lstat((dir_ + "/new-file").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_size, 0);

  for (const std::string& existing : {file_, dir_}) {
    const struct timespec epoch[2] = {{0, 0}, {0, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, existing.c_str(), epoch, 0), 0);
    made = files_->MakeFile(existing.substr(root_.path().size()));
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    ASSERT_EQ(lstat(existing.c_str(), &st), 0);
    EXPECT_GT(st.st_mtim.tv_sec, 0) << existing << " was not touched";
  }
  EXPECT_EQ(std::filesystem::file_size(file_), 1u) << "touch must not truncate";
}

TEST_F(NativeTest, MakeFileWithAMissingParentIsNotFound) {
  Status made = files_->MakeFile("/no/such/file");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(made.error().message(), HasSubstr("'/no'"));
}

// ---- Natively, a symlink that appears after the resolution. ----

// A mock native Nsenter whose EvalSymlinks returns what a racing process made
// of the tree: a path that holds a symlink again.
class NativeRaceTest : public ::testing::Test {
 protected:
  NativeRaceTest() : files_(ns_) {
    EXPECT_CALL(ns_, backend()).WillRepeatedly(Return(Backend::kNative));
    EXPECT_CALL(ns_, resolution_root()).WillRepeatedly(Return(root_.path()));
    EXPECT_CALL(ns_, EvalSymlinks(_, _)).WillRepeatedly([](const std::string& path, bool) {
      return Result<std::string>(path);
    });
    outside_ = outside_dir_.WriteFile("dir/secret", "s", 0600);
    root_.Symlink("to-outside", outside_dir_.path() + "/dir");
    root_.Symlink("to-secret", outside_);
  }

  void ExpectRefused(const Error& error, const std::string& symlink) {
    EXPECT_EQ(error.code(), ErrorCode::kPermissionDenied) << error.ToString();
    EXPECT_THAT(error.message(), HasSubstr(Quote(symlink) + " is a symlink; refusing"));
  }

  TempDir outside_dir_;
  std::string outside_;
  TempDir root_;
  StrictMock<MockNsenter> ns_;
  HostFiles files_;
};

TEST_F(NativeRaceTest, StatRefusesASymlinkComponentOrLastName) {
  ExpectRefused(files_.Stat("/to-outside/secret").error(), "/to-outside");
  ExpectRefused(files_.Stat("/to-secret").error(), "/to-secret");
}

TEST_F(NativeRaceTest, MakeDirAndMakeFileRefuseAndMakeNothingOutside) {
  ExpectRefused(files_.MakeDir("/to-outside/new").error(), "/to-outside");
  ExpectRefused(files_.MakeFile("/to-outside/new").error(), "/to-outside");
  ExpectRefused(files_.MakeFile("/to-secret").error(), "/to-secret");
  EXPECT_FALSE(std::filesystem::exists(outside_dir_.path() + "/dir/new"));
  struct stat st;
  ASSERT_EQ(stat(outside_.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 1);
}

TEST_F(NativeRaceTest, AResolutionRootThatCannotBeOpenedIsNamed) {
  std::filesystem::remove_all(root_.path());
  Result<HostFileStat> st = files_.Stat("/x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(st.error().message(),
              HasSubstr("cannot open the host's root " + Quote(root_.path())));
}

}  // namespace
// ---- Both backends on this machine: the real mkdir through nsenter. ----

using RealToolsTest = testing_support::SelfBackendTest;

TEST_P(RealToolsTest, MakeDirOnADanglingSymlinkGivesMkdirsCodeAndMakesNothing) {
  const fakehost::TempDir dir;
  Result<std::string> host_dir = ns_->EvalSymlinks(dir.path(), true);
  ASSERT_TRUE(host_dir.ok()) << host_dir.error().ToString();
  ExpectMkdirsAnswersOnDanglingSymlinks(HostFiles(*ns_), dir.path(), *host_dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, RealToolsTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return hardening::BackendName(info.param); });

}  // namespace nsenter
