// ResolveRealpath against the answers of the real GNU realpath 9.1 recorded
// in the design's research notes (hostile-inputs.md, sections B and 4: E1,
// E2, E6, E8, E16), over an in-memory tree laid out like those experiments:
// their working directory "…" is "/w" here, and the host's /etc is /etc.
#include "nsenter/realpath_resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/file_view.h"

namespace nsenter {
namespace {

using ::testing::HasSubstr;

// A FileView over a map from host path to file. It also checks the promises
// the resolver makes to views (realpath_resolver.h): every path is absolute,
// below PATH_MAX, with components of at most NAME_MAX bytes and real
// directories above its last component, and Readlink only of symlinks.
class MapView final : public FileView {
 public:
  MapView() { nodes_["/"] = {FileType::kDirectory, "", next_inode_++}; }

  void Dir(const std::string& path) { Add(path, FileType::kDirectory, ""); }
  void File(const std::string& path) { Add(path, FileType::kRegular, ""); }
  void Link(const std::string& path, const std::string& target) {
    Add(path, FileType::kSymlink, target);
  }
  // Lookups of anything inside directory `path` fail kPermissionDenied, as
  // for a caller that may not search it.
  void Lock(const std::string& path) { locked_.insert(path); }
  // Lookups of `path` fail with `code`.
  void Break(const std::string& path, ErrorCode code) { broken_.emplace(path, code); }
  // Lstat and Readlink calls so far.
  size_t calls() const { return calls_; }

  Result<FileStat> Lstat(const std::string& path) const override {
    ++calls_;
    if (Status promise = CheckPromises(path); !promise.ok()) return promise.error();
    if (auto broken = broken_.find(path); broken != broken_.end()) {
      return Error(broken->second, "broken " + path);
    }
    if (locked_.count(Parent(path)) != 0) {
      return Error(ErrorCode::kPermissionDenied, "lstat " + path + ": Permission denied");
    }
    const auto node = nodes_.find(path);
    if (node == nodes_.end()) {
      return Error(ErrorCode::kNotFound, "lstat " + path + ": No such file or directory");
    }
    return FileStat{node->second.type, 1, node->second.inode, 0755};
  }

  Result<std::string> Readlink(const std::string& path) const override {
    ++calls_;
    if (Status promise = CheckPromises(path); !promise.ok()) return promise.error();
    const auto node = nodes_.find(path);
    if (node == nodes_.end() || node->second.type != FileType::kSymlink) {
      ADD_FAILURE() << "Readlink of " << path << ", which Lstat did not report as a symlink";
      return Error(ErrorCode::kInvalidArgument, "not a symlink: " + path);
    }
    return node->second.target;
  }

 private:
  struct Node {
    FileType type;
    std::string target;
    ino_t inode;
  };

  static std::string Parent(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
  }

  void Add(const std::string& path, FileType type, const std::string& target) {
    const std::string parent = Parent(path);
    if (nodes_.count(parent) == 0) Dir(parent);
    nodes_[path] = {type, target, next_inode_++};
  }

  Status CheckPromises(const std::string& path) const {
    std::string problem;
    if (path.empty() || path.front() != '/' || path.size() >= 4096) {
      problem = "not an absolute path below PATH_MAX";
    } else if (path != "/") {
      size_t start = 1;
      while (problem.empty()) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string name = path.substr(start, end - start);
        if (name.empty() || name == "." || name == ".." || name.size() > 255) {
          problem = "bad component " + name;
        } else if (end == path.size()) {
          break;
        } else if (auto dir = nodes_.find(path.substr(0, end));
                   dir == nodes_.end() || dir->second.type != FileType::kDirectory) {
          problem = "not a directory above the last component: " + path.substr(0, end);
        }
        start = end + 1;
      }
    }
    if (problem.empty()) return {};
    ADD_FAILURE() << "the resolver broke a view promise with " << path.substr(0, 300) << ": "
                  << problem;
    return Error(ErrorCode::kInternal, problem);
  }

  std::map<std::string, Node> nodes_;
  mutable size_t calls_ = 0;
  std::set<std::string> locked_;
  std::map<std::string, ErrorCode> broken_;
  ino_t next_inode_ = 1;
};

constexpr RealpathMode kE = RealpathMode::kMustExist;
constexpr RealpathMode kM = RealpathMode::kAllowMissing;

class RealpathResolverTest : public ::testing::Test {
 protected:
  // The layout of hostile-inputs.md section 4, in /w.
  RealpathResolverTest() {
    view_.File("/etc/passwd");
    view_.File("/w/f");
    view_.Dir("/w/d/sub");
    view_.Link("/w/link", "link");
    view_.Link("/w/a", "b");
    view_.Link("/w/b", "a");
    view_.Link("/w/abs", "/etc");
    view_.Link("/w/rel", "d");
    view_.Link("/w/dang", "nonexist");
    view_.Link("/w/up", "../../../../../../../../etc");
    view_.Link("/w/lf", "f");
    view_.Link("/w/dslash", "d/");
    view_.Link("/w/dd", "d//sub/");
    view_.Link("/w/viaself", "link");
    view_.Link("/w/q1", "q2");
    view_.Link("/w/q2", "q3");
    view_.Link("/w/q3", "q1");
    view_.Dir("/w/chain/target");
    view_.Link("/w/chain/l1", "target");
    for (int i = 2; i <= 60; ++i) {
      view_.Link("/w/chain/l" + std::to_string(i), "l" + std::to_string(i - 1));
    }
  }

  Result<std::string> Resolve(RealpathMode mode, const std::string& path) {
    return ResolveRealpath(view_, path, mode);
  }

  void ExpectResolves(RealpathMode mode, const std::string& path, const std::string& expected) {
    const Result<std::string> got = Resolve(mode, path);
    ASSERT_TRUE(got.ok()) << Flag(mode) << " " << path << ": " << got.error().ToString();
    EXPECT_EQ(*got, expected) << Flag(mode) << " " << path;
  }

  void ExpectFails(RealpathMode mode, const std::string& path, ErrorCode code) {
    const Result<std::string> got = Resolve(mode, path);
    ASSERT_FALSE(got.ok()) << Flag(mode) << " " << path << " gave " << *got;
    EXPECT_EQ(got.error().code(), code)
        << Flag(mode) << " " << path << ": " << got.error().ToString();
  }

  static const char* Flag(RealpathMode mode) { return mode == kE ? "-e" : "-m"; }

  MapView view_;
};

// B1/E1: "/", "/.", "/.." or a name after a file, also reached through a link.
TEST_F(RealpathResolverTest, NonDirectoryFollowedByMoreFailsUnderMustExist) {
  for (const char* path :
       {"/w/f/", "/w/f/.", "/w/f/..", "/w/f/x", "/w/lf/", "/w/lf/.", "/w/lf/x"}) {
    ExpectFails(kE, path, ErrorCode::kNotADirectory);
  }
}

TEST_F(RealpathResolverTest, NonDirectoryFollowedByMoreIsLexicalUnderAllowMissing) {
  ExpectResolves(kM, "/w/f/", "/w/f");
  ExpectResolves(kM, "/w/f/.", "/w/f");
  ExpectResolves(kM, "/w/f/..", "/w");
  ExpectResolves(kM, "/w/f/x", "/w/f/x");
  ExpectResolves(kM, "/w/lf/", "/w/f");
  ExpectResolves(kM, "/w/lf/x", "/w/f/x");
}

// B8/E1: loops fail under -e and stay literal under -m.
TEST_F(RealpathResolverTest, LoopsFailUnderMustExist) {
  for (const char* path : {"/w/link/foo", "/w/link", "/w/a"}) {
    ExpectFails(kE, path, ErrorCode::kLoop);
  }
  const Result<std::string> got = Resolve(kE, "/w/link/foo");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(got.error().message(), HasSubstr("'/w/link/foo'"));
}

TEST_F(RealpathResolverTest, LoopsStayLiteralUnderAllowMissing) {
  ExpectResolves(kM, "/w/link/foo", "/w/link/foo");
  ExpectResolves(kM, "/w/link", "/w/link");
  ExpectResolves(kM, "/w/a/x", "/w/a/x");
  ExpectResolves(kM, "/w/link/../y", "/w/y");
  ExpectResolves(kM, "/w/a/x/../y", "/w/a/y");
  ExpectResolves(kM, "/w/viaself/z", "/w/link/z");
}

// E16: with gnulib's 20 unchecked links, the literal member of a 3-cycle
// depends on where the walk entered it.
TEST_F(RealpathResolverTest, ThreeCycleKeepsTheMemberGnulibStopsAt) {
  ExpectResolves(kM, "/w/q1/x", "/w/q3/x");
  ExpectResolves(kM, "/w/q2/x", "/w/q1/x");
  ExpectResolves(kM, "/w/q3/x", "/w/q2/x");
}

// B2/E1: after the first missing component, -m is lexical.
TEST_F(RealpathResolverTest, DotDotAfterMissingComponent) {
  ExpectResolves(kM, "/w/nope/../x", "/w/x");
  ExpectResolves(kM, "/w/nope/x/../../y", "/w/y");
  ExpectFails(kE, "/w/nope/../x", ErrorCode::kNotFound);
}

// A7, B3/E1: slashes and ".." at the root.
TEST_F(RealpathResolverTest, SlashesAndDotDotAtTheRoot) {
  ExpectResolves(kE, "//", "/");
  ExpectResolves(kE, "//etc", "/etc");
  ExpectResolves(kM, "///etc//", "/etc");
  ExpectResolves(kM, "//x", "/x");
  ExpectResolves(kE, "/..", "/");
  ExpectResolves(kM, "/../..//etc", "/etc");
}

// B3, B4, B5, B15/E1: relative links climb physically and stop at "/",
// absolute ones restart at "/", "//" and trailing "/" in targets are harmless.
TEST_F(RealpathResolverTest, SymlinkTargets) {
  ExpectResolves(kE, "/w/up", "/etc");
  ExpectResolves(kM, "/w/up/../../x", "/x");
  ExpectResolves(kE, "/w/abs/passwd", "/etc/passwd");
  ExpectResolves(kE, "/w/rel/sub/..", "/w/d");
  ExpectResolves(kE, "/w/abs/..", "/");
  ExpectResolves(kE, "/w/dslash/sub", "/w/d/sub");
  ExpectResolves(kE, "/w/dd", "/w/d/sub");
}

// B6/E1: a dangling link is missing under -e and replaced by its text under -m.
TEST_F(RealpathResolverTest, DanglingSymlink) {
  ExpectFails(kE, "/w/dang", ErrorCode::kNotFound);
  ExpectResolves(kM, "/w/dang", "/w/nonexist");
  ExpectResolves(kM, "/w/dang/x/..", "/w/nonexist");
}

// B7/E2: no 40-link limit.
TEST_F(RealpathResolverTest, ChainsLongerThanTheKernelLimitResolve) {
  for (const char* path : {"/w/chain/l40", "/w/chain/l41", "/w/chain/l60"}) {
    ExpectResolves(kE, path, "/w/chain/target");
    ExpectResolves(kM, path, "/w/chain/target");
  }
}

// B9/E6: 25 nested directories of 200 bytes make the path longer than PATH_MAX.
TEST_F(RealpathResolverTest, PathMaxStopsLookups) {
  std::string deep = "/w/deep";
  std::string shallow_link;
  for (int i = 0; i < 25; ++i) {
    deep += "/" + std::string(200, 'd');
    if (i == 4) {
      shallow_link = deep + "/lnk";
      view_.Link(shallow_link, "/etc");
    }
  }
  view_.File(deep + "/leaf");
  view_.Link(deep + "/lnk", "/etc");
  ASSERT_GT(deep.size(), 4096u);

  ExpectFails(kE, deep + "/leaf", ErrorCode::kNameTooLong);
  ExpectResolves(kM, deep + "/leaf", deep + "/leaf");
  ExpectResolves(kM, deep + "/lnk/passwd", deep + "/lnk/passwd");  // Not resolved.
  ExpectResolves(kE, shallow_link + "/passwd", "/etc/passwd");     // Below PATH_MAX: resolved.
}

TEST_F(RealpathResolverTest, NameMaxStopsLookups) {
  const std::string long_name(300, 'y');
  view_.Link("/w/lnkE", "/etc");
  ExpectFails(kE, "/w/" + long_name + "/x", ErrorCode::kNameTooLong);
  ExpectResolves(kM, "/w/" + long_name + "/x", "/w/" + long_name + "/x");
  ExpectResolves(kM, "/w/lnkE/" + long_name + "/../passwd", "/etc/passwd");
}

// Observed with GNU realpath 9.1 (and pinned by realpath_conformance_test):
// 255 bytes is a name, 256 too long; below a file ENOTDIR comes first.
TEST_F(RealpathResolverTest, NameMaxBoundary) {
  ExpectFails(kE, "/w/" + std::string(255, 'z'), ErrorCode::kNotFound);
  ExpectFails(kE, "/w/" + std::string(256, 'z'), ErrorCode::kNameTooLong);
  ExpectFails(kE, "/w/f/" + std::string(256, 'z'), ErrorCode::kNotADirectory);
  ExpectFails(kE, "/w/link/" + std::string(256, 'z'), ErrorCode::kLoop);
}

// Observed with GNU realpath 9.1 (and pinned by realpath_conformance_test):
// paths up to 4095 bytes are looked up; checking that a name followed by
// "/" or "/." is a directory looks up the name plus "/".
TEST_F(RealpathResolverTest, PathMaxBoundary) {
  std::string base = "/w/edge";
  while (base.size() < 4093 - 201) base += "/" + std::string(200, 'e');
  const std::string p4093 = base + "/" + std::string(4093 - base.size() - 1, 'e');
  const std::string p4094 = base + "/" + std::string(4094 - base.size() - 1, 'f');
  const std::string p4095 = base + "/" + std::string(4095 - base.size() - 1, 'g');
  ASSERT_EQ(p4095.size(), 4095u);
  for (const std::string& dir : {p4093, p4094, p4095}) view_.Dir(dir);

  ExpectResolves(kE, p4095, p4095);
  ExpectResolves(kE, p4094 + "/", p4094);
  ExpectResolves(kE, p4094 + "/.", p4094);
  ExpectFails(kE, p4095 + "/", ErrorCode::kNameTooLong);
  ExpectFails(kE, p4095 + "/.", ErrorCode::kNameTooLong);
  ExpectResolves(kM, p4095 + "/.", p4095);
  ExpectFails(kE, p4093 + "/x", ErrorCode::kNotFound);
  ExpectFails(kE, p4094 + "/x", ErrorCode::kNameTooLong);
  ExpectResolves(kM, p4094 + "/x", p4094 + "/x");
}

// B10/E8: a directory the caller may not search.
TEST_F(RealpathResolverTest, PermissionDenied) {
  view_.Link("/w/locked/inner/l", "/etc");
  view_.Lock("/w/locked");
  ExpectFails(kE, "/w/locked/inner/l", ErrorCode::kPermissionDenied);
  ExpectResolves(kM, "/w/locked/inner/l/passwd", "/w/locked/inner/l/passwd");
}

// Section 6, decision 1: callers validate, and so does the resolver.
TEST_F(RealpathResolverTest, RejectsEmptyRelativeAndNulPaths) {
  for (const RealpathMode mode : {kE, kM}) {
    ExpectFails(mode, "", ErrorCode::kInvalidArgument);
    ExpectFails(mode, "w/f", ErrorCode::kInvalidArgument);
    ExpectFails(mode, std::string("/w/f\0/../..", 11), ErrorCode::kInvalidArgument);
  }
}

// A view failure that is not about the path is an error under -m too.
TEST_F(RealpathResolverTest, ViewFailuresThatAreNotAboutThePathAreErrors) {
  view_.Break("/w/d", ErrorCode::kInternal);
  ExpectFails(kM, "/w/d/sub", ErrorCode::kInternal);
  view_.Link("/w/nul", std::string("d\0x", 3));
  ExpectFails(kM, "/w/nul", ErrorCode::kInternal);
}

// A lookup the view refuses (a procfs link in the native view) fails -e with
// its own code, and is a missing component under -m, as any failed readlink
// is for realpath.
TEST_F(RealpathResolverTest, RefusedLookupIsMissingUnderAllowMissing) {
  view_.Break("/w/d", ErrorCode::kUnsupported);
  ExpectFails(kE, "/w/d/sub", ErrorCode::kUnsupported);
  ExpectResolves(kM, "/w/d/sub", "/w/d/sub");
}

// GNU realpath never finishes on `g -> g/x`: the resolver stops at its work
// bound, quickly, in both modes.
TEST_F(RealpathResolverTest, GrowthWithoutEndHitsTheWorkBound) {
  view_.Link("/w/g", "g/x");
  const auto start = std::chrono::steady_clock::now();
  for (const RealpathMode mode : {kE, kM}) {
    const Result<std::string> got = Resolve(mode, "/w/g");
    ASSERT_FALSE(got.ok()) << "/w/g gave " << *got;
    EXPECT_EQ(got.error().code(), ErrorCode::kLoop);
    EXPECT_THAT(got.error().message(), HasSubstr("work bound"));
    EXPECT_THAT(got.error().message(), HasSubstr("/w/g"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));  // Hang guard.
}

// `e_i -> e_{i-1}/../e_{i-1}` takes GNU realpath 2^i expansions; each one
// names e_0 in the end. Memoized, depth 40 costs a few view calls per link.
TEST_F(RealpathResolverTest, ExponentialChainsResolveInLinearWork) {
  for (const std::string dir : {"/w/dir", "/w/file", "/w/none"}) {
    for (int i = 1; i <= 40; ++i) {
      view_.Link(dir + "/e" + std::to_string(i),
                 "e" + std::to_string(i - 1) + "/../e" + std::to_string(i - 1));
    }
  }
  view_.Dir("/w/dir/e0");
  view_.File("/w/file/e0");
  const size_t before = view_.calls();
  ExpectResolves(kE, "/w/dir/e40", "/w/dir/e0");
  EXPECT_LT(view_.calls() - before, 40u * 8) << "view calls for /w/dir/e40";
  ExpectResolves(kM, "/w/dir/e40/x", "/w/dir/e0/x");
  ExpectFails(kE, "/w/dir/e40/x", ErrorCode::kNotFound);
  ExpectResolves(kE, "/w/dir/e40/../e3", "/w/dir/e0");
  // e_1 makes realpath check that e_0 is a directory: "e0/.." follows it.
  ExpectFails(kE, "/w/file/e40", ErrorCode::kNotADirectory);
  ExpectResolves(kM, "/w/file/e40", "/w/file/e0");
  ExpectFails(kE, "/w/none/e40", ErrorCode::kNotFound);
  ExpectResolves(kM, "/w/none/e40/y", "/w/none/e0/y");
}

// Reusing an expansion keeps gnulib's count of links met, which decides where
// -m finds a loop. Here realpath meets go (1), e2 (2), e1 (3, 4), e2 (5),
// e1 (6, 7), q (8), then q1 as the 9th link; checking from the 21st link on
// (q1 again), it first sees a repeated state at q1 and keeps it: "q1/x".
// Counting a reused expansion as one link would make it "q3/x".
TEST_F(RealpathResolverTest, MemoizedLinksCountForTheLoopCheck) {
  view_.Link("/w/m/e1", "e0/../e0");
  view_.Link("/w/m/e2", "e1/../e1");
  view_.Dir("/w/m/e0");
  view_.Link("/w/m/go", "e2/../e2/../q");
  view_.Link("/w/m/q", "/w/q1");
  ExpectResolves(kM, "/w/m/go/x", "/w/q1/x");
  ExpectFails(kE, "/w/m/go/x", ErrorCode::kLoop);
}

TEST_F(RealpathResolverTest, LimitsAreConfigurable) {
  const RealpathLimits fifty{.max_symlinks = 50};
  EXPECT_TRUE(ResolveRealpath(view_, "/w/chain/l50", kE, fifty).ok());
  const Result<std::string> got = ResolveRealpath(view_, "/w/chain/l51", kE, fifty);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), ErrorCode::kLoop);
  EXPECT_THAT(got.error().message(), HasSubstr("work bound"));

  const RealpathLimits few_bytes{.max_requeued_bytes = 100};
  const Result<std::string> chain = ResolveRealpath(view_, "/w/chain/l60", kM, few_bytes);
  ASSERT_FALSE(chain.ok());
  EXPECT_THAT(chain.error().message(), HasSubstr("work bound"));
}

}  // namespace
}  // namespace nsenter
