#include "nsenter/discovery.h"

#include <string>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"
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
