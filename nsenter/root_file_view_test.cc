#include "nsenter/root_file_view.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using ::testing::HasSubstr;

// Every test runs with both lookups: openat2 and the component walk.
class RootFileViewTest : public ::testing::TestWithParam<RootFileView::Lookup> {
 protected:
  std::unique_ptr<RootFileView> View() const {
    Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(tree_.path(), GetParam());
    EXPECT_TRUE(view.ok()) << view.error().ToString();
    return view.ok() ? std::move(*view) : nullptr;
  }

  TempDir tree_;
};

TEST_P(RootFileViewTest, LstatAndReadlinkDoNotFollowTheLastComponent) {
  tree_.WriteFile("etc/passwd", "root:x:0:0\n", 0640);
  tree_.Symlink("abs", "/etc");
  const std::unique_ptr<RootFileView> view = View();

  Result<FileStat> file = view->Lstat("/etc/passwd");
  ASSERT_TRUE(file.ok()) << file.error().ToString();
  EXPECT_EQ(file->type, FileType::kRegular);
  EXPECT_EQ(file->mode, 0640u);
  EXPECT_EQ(view->Lstat("/etc")->type, FileType::kDirectory);
  EXPECT_EQ(view->Lstat("/")->type, FileType::kDirectory);
  EXPECT_EQ(view->Lstat("//etc//")->type, FileType::kDirectory);

  EXPECT_EQ(view->Lstat("/abs")->type, FileType::kSymlink);
  EXPECT_EQ(*view->Readlink("/abs"), "/etc");

  Result<std::string> not_link = view->Readlink("/etc/passwd");
  ASSERT_FALSE(not_link.ok());
  EXPECT_EQ(not_link.error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(RootFileViewTest, ErrorsCarryTheErrnoCode) {
  tree_.WriteFile("file");
  const std::unique_ptr<RootFileView> view = View();
  EXPECT_EQ(view->Lstat("/missing").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(view->Lstat("/missing/x").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(view->Lstat("/file/x").error().code(), ErrorCode::kNotADirectory);
  EXPECT_THAT(view->Lstat("/missing").error().message(), HasSubstr("'/missing'"));
  EXPECT_EQ(view->Lstat("/a/../file").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(view->Lstat("relative").error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(RootFileViewTest, ResolvesWithoutSymlinksOnlyWhatExistsWithoutALink) {
  tree_.WriteFile("d/e/file");
  tree_.Symlink("d/link", "e");
  tree_.Symlink("d/e/to-file", "file");
  tree_.Symlink("escape", "/");
  ASSERT_EQ(mkfifo((tree_.path() + "/d/fifo").c_str(), 0600), 0);
  const std::unique_ptr<RootFileView> view = View();
  const bool one_call = GetParam() == RootFileView::Lookup::kAuto && view->uses_openat2();
  for (const std::string path : {"/d/e/file", "//d/./e//file", "/d/e", "/d/e/", "/d/e/.",
                                 "/../d/e/../e/file", "/d/fifo"}) {
    EXPECT_EQ(view->ResolvesWithoutSymlinks(path), one_call) << path;
  }
  // A link anywhere, a missing name, a non-directory followed by more, and
  // "/" itself (nothing to look up) are never answered in one call.
  for (const std::string path : {"/d/link/file", "/d/link", "/d/e/to-file", "/escape/etc",
                                 "/d/missing", "/d/e/file/", "/d/e/file/.", "/d/e/file/..",
                                 "/d/fifo/x", "/", "//"}) {
    EXPECT_FALSE(view->ResolvesWithoutSymlinks(path)) << path;
  }
  // Nor is a path the other methods refuse: relative, or holding a NUL.
  for (const std::string& path : {std::string("d/e"), std::string("/d/e\0/no/such/../x", 18)}) {
    EXPECT_FALSE(view->ResolvesWithoutSymlinks(path)) << path;
  }
}

TEST_P(RootFileViewTest, ASymlinkInTheDirectoriesIsNeverFollowed) {
  // As if a racing process swapped directory "d" for a link to the real "/":
  // a lookup below it must fail, not reach this machine's /etc.
  tree_.Symlink("d", "/");
  tree_.Symlink("rel", "../../../../../../etc");
  const std::unique_ptr<RootFileView> view = View();
  for (const std::string path : {"/d/etc", "/rel/passwd"}) {
    Result<FileStat> escaped = view->Lstat(path);
    ASSERT_FALSE(escaped.ok()) << path << " was looked up outside the root";
    EXPECT_TRUE(escaped.error().code() == ErrorCode::kLoop ||
                escaped.error().code() == ErrorCode::kNotADirectory)
        << escaped.error().ToString();
  }
}

TEST_P(RootFileViewTest, AFifoInThePathNeverBlocks) {
  ASSERT_EQ(mkfifo((tree_.path() + "/fifo").c_str(), 0600), 0);
  const std::unique_ptr<RootFileView> view = View();
  EXPECT_EQ(view->Lstat("/fifo")->type, FileType::kOther);
  EXPECT_EQ(view->Lstat("/fifo/x").error().code(), ErrorCode::kNotADirectory);
}

TEST_P(RootFileViewTest, ReadFileReadsARegularFileToItsEndAndNothingElse) {
  std::string contents(40000, 'x');  // More than one read.
  contents[7] = '\0';
  tree_.WriteFile("etc/big", contents);
  tree_.WriteFile("etc/empty");
  tree_.Symlink("etc/link", "big");
  ASSERT_EQ(mkfifo((tree_.path() + "/fifo").c_str(), 0600), 0);
  const std::unique_ptr<RootFileView> view = View();
  EXPECT_EQ(*view->ReadFile("/etc/big"), contents);
  EXPECT_EQ(*view->ReadFile("/etc/empty"), "");

  Result<std::string> link = view->ReadFile("/etc/link");
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().code(), ErrorCode::kLoop);
  EXPECT_THAT(link.error().message(), HasSubstr("'/etc/link' under"));
  for (const char* other : {"/etc", "/", "/fifo"}) {  // The FIFO is not opened: no block.
    Result<std::string> read = view->ReadFile(other);
    ASSERT_FALSE(read.ok()) << other;
    EXPECT_EQ(read.error().code(), ErrorCode::kInvalidArgument) << other;
    EXPECT_THAT(read.error().message(), HasSubstr("is not a regular file")) << other;
  }
  EXPECT_EQ(view->ReadFile("/etc/missing").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(view->ReadFile("/etc/big/x").error().code(), ErrorCode::kNotADirectory);
}

TEST_P(RootFileViewTest, ResolverStaysInsideTheRoot) {
  tree_.WriteFile("etc/hostname", "inside\n");
  tree_.Symlink("abs", "/etc");
  tree_.Symlink("up", "../../../../../../../etc");
  const std::unique_ptr<RootFileView> view = View();
  // Absolute targets and ".." restart at, and stop at, the root.
  EXPECT_EQ(*ResolveRealpath(*view, "/abs/hostname", RealpathMode::kMustExist), "/etc/hostname");
  EXPECT_EQ(*ResolveRealpath(*view, "/up/hostname", RealpathMode::kMustExist), "/etc/hostname");
  EXPECT_EQ(*ResolveRealpath(*view, "/../../etc", RealpathMode::kMustExist), "/etc");
  // This machine has /etc/passwd; the root does not, and says so.
  Result<std::string> outside = ResolveRealpath(*view, "/abs/passwd", RealpathMode::kMustExist);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code(), ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Lookups, RootFileViewTest,
                         ::testing::Values(RootFileView::Lookup::kAuto,
                                           RootFileView::Lookup::kComponentWalk),
                         [](const auto& info) {
                           return info.param == RootFileView::Lookup::kAuto ? "Openat2"
                                                                            : "ComponentWalk";
                         });

TEST(RootFileViewOpenTest, UsesOpenat2WhereTheKernelHasIt) {
  // The kernels this library supports in CI (5.6+) have openat2.
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open("/");
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE((*view)->uses_openat2());
  view = RootFileView::Open("/", RootFileView::Lookup::kComponentWalk);
  EXPECT_FALSE((*view)->uses_openat2());
}

TEST(RootFileViewOpenTest, RejectsBadRoots) {
  EXPECT_EQ(RootFileView::Open("relative").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RootFileView::Open("/no/such/root").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(RootFileView::Open("/etc/passwd").error().code(), ErrorCode::kNotADirectory);
}

TEST(RootFileViewProcTest, ReadFileReadsAProcfsFileThatReportsNoSize) {
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open("/");
  ASSERT_TRUE(view.ok());
  const std::string file = "/proc/" + std::to_string(getpid()) + "/mountinfo";
  Result<std::string> table = (*view)->ReadFile(file);
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_THAT(*table, HasSubstr(" - "));  // Every line's separator (proc(5)).
  EXPECT_EQ(table->back(), '\n');
}

TEST(RootFileViewProcTest, ProcfsLinksAreRefused) {
  // This machine's own root, where /proc is procfs.
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open("/");
  ASSERT_TRUE(view.ok());
  for (const char* link : {"/proc/self", "/proc/1/cwd"}) {
    Result<std::string> target = (*view)->Readlink(link);
    ASSERT_FALSE(target.ok()) << link;
    EXPECT_EQ(target.error().code(), ErrorCode::kUnsupported) << link;
    EXPECT_THAT(target.error().message(), HasSubstr("refusing to follow the procfs link")) << link;
  }
  Result<std::string> resolved =
      ResolveRealpath(**view, "/proc/self/root/etc", RealpathMode::kMustExist);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(resolved.error().message(), HasSubstr("procfs"));
}

}  // namespace
}  // namespace nsenter
