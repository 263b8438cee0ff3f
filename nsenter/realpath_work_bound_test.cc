// The resolver's work bound over the native view (issue: a pod volume can
// hold a tree that makes a resolution walk for minutes): the worst shape of
// hostile-inputs.md, scaled down, ends fast with kLoop, never by a timeout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "fakehost/temp_dir.h"
#include "nsenter/error.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"

namespace nsenter {
namespace {

using ::testing::HasSubstr;

// `links` links, each to "a/../" repeated `hops` times and then the next
// link, in a directory `depth` levels deep that holds a directory "a". Each
// link costs `hops` lookups of "a" and re-queues its whole target, so no
// memoization helps and only the bound on lookups stops the resolution.
std::string MakeHopTree(const fakehost::TempDir& dir, int depth, int links, int hops) {
  std::string deep;
  for (int i = 0; i < depth; ++i) deep += "d/";
  dir.MakeDir(deep + "a");
  std::string hop;
  for (int i = 0; i < hops; ++i) hop += "a/../";
  for (int i = 0; i < links; ++i) {
    dir.Symlink(deep + "l" + std::to_string(i), hop + "l" + std::to_string(i + 1));
  }
  dir.MakeDir(deep + "l" + std::to_string(links));
  return "/" + deep + "l0";
}

class RealpathWorkBoundTest : public ::testing::TestWithParam<RootFileView::Lookup> {};

TEST_P(RealpathWorkBoundTest, HopTreeEndsWithTheWorkBound) {
  fakehost::TempDir dir;
  // 200 x 200 "a" lookups exceed the default bound (16384 lookups).
  const std::string path = MakeHopTree(dir, 300, 200, 200);
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(dir.path(), GetParam());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  for (const RealpathMode mode : {RealpathMode::kMustExist, RealpathMode::kAllowMissing}) {
    const auto start = std::chrono::steady_clock::now();
    const Result<std::string> got = ResolveRealpath(**view, path, mode);
    // Only a guard against the minutes the unbounded resolver took; the
    // speed itself is measured in bench/.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    ASSERT_FALSE(got.ok()) << *got;
    EXPECT_EQ(got.error().code(), ErrorCode::kLoop);
    EXPECT_THAT(got.error().message(), HasSubstr("work bound RealpathLimits::max_lookups"));
  }
}

// The same shape within the bound resolves, to the directory at its end.
TEST_P(RealpathWorkBoundTest, SmallHopTreeResolves) {
  fakehost::TempDir dir;
  const std::string path = MakeHopTree(dir, 30, 20, 20);
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(dir.path(), GetParam());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  const std::string end = path.substr(0, path.size() - 2) + "l20";
  EXPECT_EQ(*ResolveRealpath(**view, path, RealpathMode::kMustExist), end);
}

// A path with no symlink at all is still held to the bound: the one-call
// answer (FileView::ResolvesWithoutSymlinks) is not taken where the walk
// could have ended on max_lookups.
TEST_P(RealpathWorkBoundTest, SymlinkFreePathBeyondTheBoundEndsWithIt) {
  fakehost::TempDir dir;
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "/d";
  dir.MakeDir(deep.substr(1));
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(dir.path(), GetParam());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  RealpathLimits limits;
  limits.max_lookups = 10;
  const Result<std::string> got = ResolveRealpath(**view, deep, RealpathMode::kMustExist, limits);
  ASSERT_FALSE(got.ok()) << *got;
  EXPECT_EQ(got.error().code(), ErrorCode::kLoop);
  EXPECT_THAT(got.error().message(), HasSubstr("work bound RealpathLimits::max_lookups"));
}

INSTANTIATE_TEST_SUITE_P(Lookups, RealpathWorkBoundTest,
                         ::testing::Values(RootFileView::Lookup::kAuto,
                                           RootFileView::Lookup::kComponentWalk),
                         [](const auto& info) {
                           return info.param == RootFileView::Lookup::kAuto ? "Openat2"
                                                                            : "ComponentWalk";
                         });

}  // namespace
}  // namespace nsenter
