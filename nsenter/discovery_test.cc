#include "nsenter/discovery.h"

#include <sys/resource.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"
#include "nsenter/host_path.h"
#include "nsenter/root_file_view.h"
#include "nsenter/testing/host_root.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using testing_support::InstallRequiredBinaries;

DiscoveryRequest RequestFor(const std::string& root) {
  return {root, DefaultSearchDirs(), DefaultRequiredBinaries(), DefaultOptionalBinaries()};
}

// Discovery over a RootFileView of the request's root.
Result<BinaryPaths> Discover(const DiscoveryRequest& request) {
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(request.host_root);
  if (!view.ok()) return view.error();
  return DiscoverBinaries(request, **view);
}

// Discovery as its contract words it, one candidate after the other with
// IsExecutableFile: what DiscoverBinaries must answer (for a request that
// asks for optional binaries only).
Result<BinaryPaths> DiscoverOneByOne(const DiscoveryRequest& request, const FileView& view) {
  BinaryPaths found;
  for (const std::string& name : request.optional_binaries) {
    for (const std::string& dir : request.search_dirs) {
      const std::string candidate = JoinHostPath(dir, name);
      Result<bool> executable = IsExecutableFile(view, candidate);
      if (!executable.ok()) return executable.error();
      if (*executable) {
        found.emplace(name, candidate);
        break;
      }
    }
  }
  return found;
}

// `view`, but every call that reaches `broken` (a lookup of it or below it)
// fails with kInternal, as a view that cannot answer would.
class FailingView final : public FileView {
 public:
  FailingView(const FileView& view, std::string broken) : view_(view), broken_(std::move(broken)) {}

  Result<FileStat> Lstat(const std::string& host_path) const override {
    if (Reaches(host_path)) return Broken(host_path);
    return view_.Lstat(host_path);
  }
  Result<std::string> Readlink(const std::string& host_path) const override {
    if (Reaches(host_path)) return Broken(host_path);
    return view_.Readlink(host_path);
  }
  Result<std::unique_ptr<Directory>> OpenDirectory(const std::string& host_path) const override {
    if (Reaches(host_path)) return Broken(host_path);
    return view_.OpenDirectory(host_path);
  }
  Result<Found> LookUp(const Directory& parent, const std::string& host_path,
                       size_t parent_length, bool want_directory) const override {
    if (Reaches(host_path)) return Broken(host_path);
    return view_.LookUp(parent, host_path, parent_length, want_directory);
  }

 private:
  bool Reaches(const std::string& host_path) const {
    return host_path == broken_ || host_path.starts_with(broken_ + "/");
  }
  Error Broken(const std::string& host_path) const {
    return Error(ErrorCode::kInternal, "cannot look at " + host_path);
  }

  const FileView& view_;
  std::string broken_;
};

TEST(DiscoveryTest, FindsBinariesInEachSearchDir) {
  for (const std::string dir : {"", "/bin", "/usr/sbin", "/usr/bin"}) {
    TempDir root;
    InstallRequiredBinaries(root, dir);
    Result<BinaryPaths> found = Discover(RequestFor(root.path()));
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    EXPECT_EQ(found->at("mount"), dir + "/mount");
    EXPECT_EQ(found->at("chmod"), dir + "/chmod");
  }
}

TEST(DiscoveryTest, FirstSearchDirWins) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  root.WriteFile("usr/sbin/mount", "", 0755);
  root.WriteFile("bin/findmnt", "", 0755);
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("mount"), "/usr/sbin/mount");
  EXPECT_EQ(found->at("findmnt"), "/bin/findmnt");
  EXPECT_EQ(found->at("umount"), "/usr/bin/umount");
}

TEST(DiscoveryTest, OptionalBinariesMayBeMissing) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->count("systemd-run"), 0u);
  EXPECT_EQ(found->count("realpath"), 0u);

  root.WriteFile("bin/systemd-run", "", 0755);
  root.WriteFile("usr/bin/realpath", "", 0755);
  found = Discover(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("systemd-run"), "/bin/systemd-run");
  EXPECT_EQ(found->at("realpath"), "/usr/bin/realpath");
}

TEST(DiscoveryTest, EmptyRootFailsOnTheFirstRequiredBinary) {
  TempDir root;
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(found.error().message(), "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " +
                                         root.path() + ")");
}

TEST(DiscoveryTest, NamesTheMissingBinary) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  ASSERT_EQ(unlink((root.path() + "/usr/bin/touch").c_str()), 0);
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message().rfind("unable to find touch (", 0), 0u);
}

TEST(DiscoveryTest, ExtraSearchDirsAreSearchedAfterTheDefaults) {
  TempDir root;
  InstallRequiredBinaries(root, "/run/current-system/sw/bin");
  DiscoveryRequest request = RequestFor(root.path());
  ASSERT_FALSE(Discover(request).ok());
  request.search_dirs.push_back("/run/current-system/sw/bin");
  Result<BinaryPaths> found = Discover(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("mount"), "/run/current-system/sw/bin/mount");
}

// A root that is a symlink to "/" sees this machine itself: a Debian host with
// merged /usr, where /bin is a symlink to usr/bin and so is searched first.
TEST(DiscoveryTest, RootLinkedToSlashFindsThisMachinesBinaries) {
  TempDir dir;
  const std::string root = dir.Symlink("root", "/");
  Result<BinaryPaths> found = Discover(RequestFor(root));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  for (const std::string& name : DefaultRequiredBinaries()) {
    EXPECT_EQ(found->at(name), "/bin/" + name) << name;
  }
  EXPECT_EQ(found->at("realpath"), "/bin/realpath");
}

// Symlinks are resolved inside the root, as the host resolves them.
TEST(DiscoveryTest, AbsoluteSymlinksAreResolvedInsideTheRoot) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  // The host's /usr/sbin/mount points at a file only the host has ...
  ASSERT_EQ(unlink((root.path() + "/usr/bin/mount").c_str()), 0);
  root.WriteFile("bin/mount.util-linux", "", 0755);
  root.Symlink("usr/sbin/mount", "/bin/mount.util-linux");
  // ... and its /usr/sbin/findmnt at one only the container has.
  root.Symlink("usr/sbin/findmnt", "/bin/sh");
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->at("mount"), "/usr/sbin/mount");
  EXPECT_EQ(found->at("findmnt"), "/usr/bin/findmnt");
}

TEST(DiscoveryTest, DirectoriesAndNonExecutableFilesAreSkipped) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  root.MakeDir("bin/mount");
  root.WriteFile("usr/sbin/mount", "", 0644);
  root.WriteFile("bin/ls", "", 0700);  // Executable by its owner only: counts.
  Result<BinaryPaths> found = Discover(RequestFor(root.path()));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->at("mount"), "/usr/bin/mount");
  EXPECT_EQ(found->at("ls"), "/bin/ls");
}

// Discovery looks each search dir up once and each name in it, yet answers
// what testing `<dir>/<name>` on its own with IsExecutableFile answers, on
// a tree of awkward dirs (links, a loop, a dangling link, a file, a chain,
// "..") and awkward names (a directory, links to files, to directories, out
// of the root, dangling, looping; a non-executable file; a 255-byte name;
// a name too long).
TEST(DiscoveryTest, AgreesWithTestingEachCandidateOnItsOwn) {
  TempDir root;
  const std::string long_name(255, 'n');
  const std::string too_long(256, 'n');
  root.WriteFile("usr/bin/exe", "", 0755);
  root.WriteFile("usr/bin/plain", "", 0644);
  root.MakeDir("usr/bin/dir");
  root.Symlink("usr/bin/to-exe", "exe");
  root.Symlink("usr/bin/to-plain", "/usr/bin/plain");
  root.Symlink("usr/bin/to-dir", "dir");
  root.Symlink("usr/bin/dangling", "nowhere");
  root.Symlink("usr/bin/loop", "loop");
  root.Symlink("usr/bin/climbing", "../../../../usr/bin/exe");
  root.WriteFile("usr/bin/" + long_name, "", 0755);
  root.WriteFile("usr/sbin/dir", "", 0755);
  root.Symlink("bin", "usr/bin");
  root.Symlink("chain", "bin");
  root.Symlink("looping", "looping/x");
  root.Symlink("gone", "/no/such/dir");
  root.WriteFile("file", "", 0755);
  root.WriteFile("opt/plain", "", 0755);
  const std::vector<std::string> names = {"exe",     "plain",    "dir",  "to-exe",   "to-plain",
                                          "to-dir",  "dangling", "loop", "climbing", long_name,
                                          too_long, "missing"};
  const std::vector<std::string> dirs = {"/",     "/file",   "/looping", "/gone",
                                         "/opt",  "/chain",  "/usr/sbin", "/usr/bin/../../bin",
                                         "/bin/", "/usr//bin"};
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(root.path());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  // Each dir alone, and all of them: the first that has a name wins.
  std::vector<std::vector<std::string>> orders;
  for (const std::string& dir : dirs) orders.push_back({dir});
  orders.push_back(dirs);
  for (const std::vector<std::string>& search_dirs : orders) {
    const DiscoveryRequest request = {root.path(), search_dirs, {}, names};
    Result<BinaryPaths> expected = DiscoverOneByOne(request, **view);
    ASSERT_TRUE(expected.ok()) << expected.error().ToString();
    Result<BinaryPaths> found = DiscoverBinaries(request, **view);
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    EXPECT_EQ(*found, *expected) << search_dirs.front() << " of " << search_dirs.size();
  }
}

// Issue: every search dir was kept open until discovery ended, so a long
// list of them (here more than the descriptors the process may open) failed
// with "Too many open files" where testing each candidate on its own works.
TEST(DiscoveryTest, ManySearchDirsDoNotExhaustDescriptors) {
  TempDir root;
  root.MakeDir("empty");
  root.WriteFile("usr/bin/prog", "", 0755);
  constexpr rlim_t kDescriptors = 64;
  std::vector<std::string> search_dirs(2 * kDescriptors, "/empty");
  search_dirs.push_back("/usr/bin");
  const DiscoveryRequest request = {root.path(), search_dirs, {"prog"}, {}};
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(root.path());
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit lowered = saved;
  lowered.rlim_cur = kDescriptors;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  Result<BinaryPaths> found = DiscoverBinaries(request, **view);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->at("prog"), "/usr/bin/prog");
}

// A view error that is not about the path fails discovery with the words of
// the first candidate's own resolution that meets it, whether it comes from
// a search dir or from a name in one.
TEST(DiscoveryTest, ViewErrorsAreThoseOfTheFirstCandidateMeetingThem) {
  TempDir root;
  InstallRequiredBinaries(root, "/usr/bin");
  root.Symlink("bin", "usr/bin");
  Result<std::unique_ptr<RootFileView>> real = RootFileView::Open(root.path());
  ASSERT_TRUE(real.ok()) << real.error().ToString();
  DiscoveryRequest request = RequestFor(root.path());
  request.optional_binaries = DefaultRequiredBinaries();
  request.required_binaries.clear();
  for (const std::string broken : {"/usr", "/usr/bin/mount", "/usr/bin/ls"}) {
    const FailingView view(**real, broken);
    Result<BinaryPaths> found = DiscoverBinaries(request, view);
    ASSERT_FALSE(found.ok()) << broken;
    Result<BinaryPaths> expected = DiscoverOneByOne(request, view);
    ASSERT_FALSE(expected.ok()) << broken;
    EXPECT_EQ(found.error().code(), ErrorCode::kInternal) << broken;
    EXPECT_EQ(found.error().message(), expected.error().message()) << broken;
  }
}

TEST(DiscoveryTest, RejectsBadRequests) {
  TempDir root;
  DiscoveryRequest request = RequestFor("rootfs");
  Result<BinaryPaths> found = DiscoverBinaries(request, **RootFileView::Open(root.path()));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(found.error().message().find("host root 'rootfs'"), std::string::npos);

  request = RequestFor(root.path());
  request.search_dirs.push_back("opt/bin");
  found = Discover(request);
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message().find("search dir 'opt/bin'"), std::string::npos);

  request = RequestFor(root.path());
  request.required_binaries.push_back("../mount");
  found = Discover(request);
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message().find("binary name '../mount'"), std::string::npos);
}

}  // namespace
}  // namespace nsenter
