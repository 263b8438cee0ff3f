// SafeMakeDir on temporary host trees: through both backends' roots (a
// mock Nsenter naming the tree as resolution root or host root), and with a
// real native Nsenter for the resolution of the base.
#include "nsenter/mount/safe_make_dir.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fakehost/mock_executor.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/quote.h"
#include "nsenter/testing/host_root.h"

namespace nsenter {
namespace {

using fakehost::MockNsenter;
using fakehost::TempDir;
using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::ReturnRef;
using ::testing::StrictMock;

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// The tree is the host's "/" as the backend under test sees it; every base
// resolves to itself.
class SafeMakeDirTest : public ::testing::TestWithParam<Backend> {
 protected:
  SafeMakeDirTest() {
    EXPECT_CALL(ns_, backend()).WillRepeatedly(Return(GetParam()));
    if (GetParam() == Backend::kNative) {
      EXPECT_CALL(ns_, resolution_root()).WillRepeatedly(Return(root_.path()));
    } else {
      EXPECT_CALL(ns_, host_root()).WillRepeatedly(ReturnRef(root_.path()));
    }
    EXPECT_CALL(ns_, EvalSymlinks(_, true)).WillRepeatedly([](const std::string& path, bool) {
      return Result<std::string>(path);
    });
    base_ = root_.MakeDir("vol");
    outside_ = root_.MakeDir("outside");
  }

  void ExpectRefusedSymlink(const Status& made, const std::string& symlink) {
    ASSERT_FALSE(made.ok());
    EXPECT_EQ(made.error().code(), ErrorCode::kPermissionDenied) << made.error().ToString();
    EXPECT_EQ(made.error().message(), Quote(symlink) + " is a symlink; refusing to follow it");
  }

  TempDir root_;
  StrictMock<MockNsenter> ns_;
  std::string base_;
  std::string outside_;
};

TEST_P(SafeMakeDirTest, MakesEveryMissingComponentWithTheModeWhateverTheUmask) {
  root_.MakeDir("vol/existing");
  ASSERT_EQ(chmod((base_ + "/existing").c_str(), 0700), 0);
  const mode_t old_umask = umask(0077);
  Status made = SafeMakeDir(ns_, "existing/a/b", "/vol", 0775);
  umask(old_umask);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(ModeOf(base_ + "/existing"), 0700u) << "an existing directory keeps its mode";
  EXPECT_EQ(ModeOf(base_ + "/existing/a"), 0775u);
  EXPECT_EQ(ModeOf(base_ + "/existing/a/b"), 0775u);
}

TEST_P(SafeMakeDirTest, AnExistingDirectoryIsNoError) {
  root_.MakeDir("vol/a/b");
  Status made = SafeMakeDir(ns_, "a/b", "/vol", 0755);
  EXPECT_TRUE(made.ok()) << made.error().ToString();
}

TEST_P(SafeMakeDirTest, DotAndDotDotWithinTheBaseAreApplied) {
  Status made = SafeMakeDir(ns_, "./a/../b//c/", "/vol", 0755);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(std::filesystem::is_directory(base_ + "/b/c"));
  EXPECT_FALSE(std::filesystem::exists(base_ + "/a"));
}

TEST_P(SafeMakeDirTest, ASymlinkedComponentLeadingOutsideIsRefused) {
  root_.Symlink("vol/a", outside_);
  ExpectRefusedSymlink(SafeMakeDir(ns_, "a/b", "/vol", 0755), "/vol/a");
  EXPECT_FALSE(std::filesystem::exists(outside_ + "/b"));
}

TEST_P(SafeMakeDirTest, ASymlinkedComponentStayingInsideIsRefusedToo) {
  root_.MakeDir("vol/real");
  root_.Symlink("vol/a", "real");
  ExpectRefusedSymlink(SafeMakeDir(ns_, "a/b", "/vol", 0755), "/vol/a");
  EXPECT_FALSE(std::filesystem::exists(base_ + "/real/b"));
}

TEST_P(SafeMakeDirTest, ASymlinkAsTheLastComponentIsRefused) {
  root_.MakeDir("vol/a");
  root_.Symlink("vol/a/b", outside_);
  ExpectRefusedSymlink(SafeMakeDir(ns_, "a/b", "/vol", 0755), "/vol/a/b");
}

TEST_P(SafeMakeDirTest, ASymlinkInTheResolvedBaseIsRefused) {
  // What a race makes of a base resolved a moment before.
  root_.Symlink("vlink", outside_);
  ExpectRefusedSymlink(SafeMakeDir(ns_, "a", "/vlink", 0755), "/vlink");
  EXPECT_FALSE(std::filesystem::exists(outside_ + "/a"));
}

TEST_P(SafeMakeDirTest, AFileWhereADirectoryIsNeededIsNotADirectory) {
  root_.WriteFile("vol/a/file");
  for (const char* subdir : {"a/file", "a/file/b"}) {
    Status made = SafeMakeDir(ns_, subdir, "/vol", 0755);
    ASSERT_FALSE(made.ok()) << subdir;
    EXPECT_EQ(made.error().code(), ErrorCode::kNotADirectory) << made.error().ToString();
    EXPECT_EQ(made.error().message(), "'/vol/a/file' is not a directory");
  }
}

TEST_P(SafeMakeDirTest, AMissingBaseDirectoryIsNotFound) {
  Status made = SafeMakeDir(ns_, "a", "/missing", 0755);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotFound) << made.error().ToString();
  EXPECT_THAT(made.error().message(), HasSubstr("'/missing'"));
}

TEST_P(SafeMakeDirTest, ASystemCallFailureHasItsErrnosCodeAndNamesThePath) {
  const std::string long_name(NAME_MAX + 1, 'n');
  Status made = SafeMakeDir(ns_, "a/" + long_name, "/vol", 0755);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNameTooLong) << made.error().ToString();
  EXPECT_THAT(made.error().message(), HasSubstr("cannot open '/vol/a/" + long_name + "': "));
  EXPECT_TRUE(std::filesystem::is_directory(base_ + "/a")) << "what was made before stays";
}

INSTANTIATE_TEST_SUITE_P(Backends, SafeMakeDirTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param == Backend::kNative ? "Native" : "Nsenter";
                         });

TEST(SafeMakeDirInputTest, BadInputIsRefusedBeforeAnythingIsResolvedOrOpened) {
  StrictMock<MockNsenter> ns;  // Any call fails the test.
  struct Case {
    std::string subdir;
    std::string base;
    mode_t mode;
    std::string message;
  };
  const Case cases[] = {
      {"a", "", 0755, "base"},
      {"a", "relative", 0755, "base"},
      {"a", std::string("/v\0l", 4), 0755, "base"},
      {"", "/vol", 0755, "subdir must be a non-empty relative path"},
      {"/abs", "/vol", 0755, "subdir must be a non-empty relative path"},
      {std::string("a\0b", 3), "/vol", 0755, "subdir must be a non-empty relative path"},
      {"..", "/vol", 0755, "subdir '..' leads outside base '/vol'"},
      {"a/../../b", "/vol", 0755, "subdir 'a/../../b' leads outside base '/vol'"},
      {"a", "/vol", 010755, "mode 010755 is beyond 07777"},
  };
  for (const Case& c : cases) {
    Status made = SafeMakeDir(ns, c.subdir, c.base, c.mode);
    ASSERT_FALSE(made.ok()) << Quote(c.subdir) << " " << Quote(c.base);
    EXPECT_EQ(made.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(made.error().message(), HasSubstr(c.message));
  }
}

// With a real native Nsenter: the base is resolved by the library's resolver.
class SafeMakeDirNativeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "setns needs root with CAP_SYS_ADMIN";
    Options options;
    options.host_root = root_.path();
    options.backend = Backend::kNative;
    options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
  }
  testing_support::HostRoot root_;
  std::unique_ptr<Nsenter> ns_;
};

TEST_F(SafeMakeDirNativeTest, ABaseReachedThroughSymlinksIsAllowed) {
  root_.MakeDir("var/lib/kubelet/pods/p/volumes/v");
  root_.Symlink("kubelet", "/var/lib/kubelet");
  Status made = SafeMakeDir(*ns_, "sub/dir", "/kubelet/pods/p/volumes/v", 0750);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(ModeOf(root_.path() + "/var/lib/kubelet/pods/p/volumes/v/sub/dir"), 0750u);
}

TEST_F(SafeMakeDirNativeTest, AMissingBaseIsNotFoundAndNothingIsMade) {
  Status made = SafeMakeDir(*ns_, "a", "/no/base", 0755);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code(), ErrorCode::kNotFound) << made.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(root_.path() + "/no"));
}

}  // namespace
}  // namespace nsenter
