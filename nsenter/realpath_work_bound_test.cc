// The resolver's work bound over the native view (issue: a pod volume can
// hold a tree that makes a resolution walk for minutes): the worst shape of
// hostile-inputs.md, scaled down, ends fast with kLoop, never by a timeout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "fakehost/temp_dir.h"
#include "nsenter/error.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "nsenter/unique_fd.h"

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

// `letter` and `i` as a name of five bytes, "A0042": the paths of the links
// below differ only in their last bytes.
std::string LinkName(char letter, int i) {
  std::string digits = std::to_string(i);
  return letter + std::string(4 - digits.size(), '0') + digits;
}

// A directory 2,000 levels deep (a path of 4,000 bytes) holding `opens`
// links A0000 -> A0001/., A0001 -> A0002/., ..., whose expansions all stay
// open (each has "/." after it), the last to L<levels-1>; then L<k> ->
// "L<k-1>/" and L0000 -> "X0000/" repeated up to 4,095 bytes (682 times),
// and X0000 -> ".". Each L<k> after the first of its level is a memoized
// expansion reused (`levels` x 681 of them), met while every A link is open.
// Returns the path of A0000.
std::string MakeOpenExpansionTree(const fakehost::TempDir& tree, int opens, int levels) {
  // Made one level at a time: the deepest paths are too long for mkdir -p.
  UniqueFd dir(::open(tree.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  std::string deep;
  for (int i = 0; i < 2000; ++i) {
    deep += "/d";
    EXPECT_EQ(::mkdirat(dir.get(), "d", 0755), 0);
    dir = UniqueFd(::openat(dir.get(), "d", O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  const auto link = [&dir](const std::string& name, const std::string& target) {
    EXPECT_EQ(::symlinkat(target.c_str(), dir.get(), name.c_str()), 0) << name;
  };
  for (int i = 0; i + 1 < opens; ++i) link(LinkName('A', i), LinkName('A', i + 1) + "/.");
  link(LinkName('A', opens - 1), LinkName('L', levels - 1));
  for (int k = 0; k < levels; ++k) {
    const std::string inner = k == 0 ? LinkName('X', 0) : LinkName('L', k - 1);
    std::string target = inner;
    while (target.size() + 1 + inner.size() < 4096) target += "/" + inner;
    link(LinkName('L', k), target);
  }
  link(LinkName('X', 0), ".");
  return deep + "/" + LinkName('A', 0);
}

// Each reuse of a memoized expansion checks the link against the open
// expansions: by an index on their paths, not by a comparison with each
// 4,000-byte path (240 x 4,000 bytes per reuse took 52-84 ms of CPU per
// query). The shape ends at the bound on lookups, as the hop tree does; its
// speed is measured in bench/ (BM_OpenExpansions).
TEST_P(RealpathWorkBoundTest, ManyOpenExpansionsWithLongPathsEndWithTheWorkBound) {
  fakehost::TempDir tree;
  const std::string path = MakeOpenExpansionTree(tree, 240, 7);
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(tree.path(), GetParam());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  for (const RealpathMode mode : {RealpathMode::kMustExist, RealpathMode::kAllowMissing}) {
    const auto start = std::chrono::steady_clock::now();
    const Result<std::string> got = ResolveRealpath(**view, path, mode);
    // Only a guard against a hang.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    ASSERT_FALSE(got.ok()) << "resolved to a path of " << got->size() << " bytes";
    EXPECT_EQ(got.error().code(), ErrorCode::kLoop);
    EXPECT_THAT(got.error().message(), HasSubstr("work bound RealpathLimits::max_lookups"));
  }
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
