#include "nsenter/discovery.h"

#include <string>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"

namespace nsenter {
namespace {

using fakehost::TempDir;

DiscoveryRequest RequestFor(const std::string& root) {
  return {root, DefaultSearchDirs(), DefaultRequiredBinaries(), DefaultOptionalBinaries()};
}

// Puts every required binary into `dir` of the root.
void InstallRequired(const TempDir& root, const std::string& dir) {
  for (const std::string& name : DefaultRequiredBinaries()) {
    root.WriteFile(dir + "/" + name, "", 0755);
  }
}

TEST(DiscoveryTest, FindsBinariesInEachSearchDir) {
  for (const std::string dir : {"", "/bin", "/usr/sbin", "/usr/bin"}) {
    TempDir root;
    InstallRequired(root, dir);
    Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root.path()));
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    EXPECT_EQ(found->at("mount"), dir + "/mount");
    EXPECT_EQ(found->at("chmod"), dir + "/chmod");
  }
}

TEST(DiscoveryTest, FirstSearchDirWins) {
  TempDir root;
  InstallRequired(root, "/usr/bin");
  root.WriteFile("usr/sbin/mount", "", 0755);
  root.WriteFile("bin/findmnt", "", 0755);
  Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("mount"), "/usr/sbin/mount");
  EXPECT_EQ(found->at("findmnt"), "/bin/findmnt");
  EXPECT_EQ(found->at("umount"), "/usr/bin/umount");
}

TEST(DiscoveryTest, OptionalBinariesMayBeMissing) {
  TempDir root;
  InstallRequired(root, "/usr/bin");
  Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->count("systemd-run"), 0u);
  EXPECT_EQ(found->count("realpath"), 0u);

  root.WriteFile("bin/systemd-run", "", 0755);
  root.WriteFile("usr/bin/realpath", "", 0755);
  found = DiscoverBinaries(RequestFor(root.path()));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("systemd-run"), "/bin/systemd-run");
  EXPECT_EQ(found->at("realpath"), "/usr/bin/realpath");
}

TEST(DiscoveryTest, EmptyRootFailsOnTheFirstRequiredBinary) {
  TempDir root;
  Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root.path()));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(found.error().message(), "unable to find mount (searched /, /bin, /usr/sbin, /usr/bin under " +
                                         root.path() + ")");
}

TEST(DiscoveryTest, NamesTheMissingBinary) {
  TempDir root;
  InstallRequired(root, "/usr/bin");
  ASSERT_EQ(unlink((root.path() + "/usr/bin/touch").c_str()), 0);
  Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root.path()));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message().rfind("unable to find touch (", 0), 0u);
}

TEST(DiscoveryTest, ExtraSearchDirsAreSearchedAfterTheDefaults) {
  TempDir root;
  InstallRequired(root, "/run/current-system/sw/bin");
  DiscoveryRequest request = RequestFor(root.path());
  ASSERT_FALSE(DiscoverBinaries(request).ok());
  request.search_dirs.push_back("/run/current-system/sw/bin");
  Result<BinaryPaths> found = DiscoverBinaries(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("mount"), "/run/current-system/sw/bin/mount");
}

// A root that is a symlink to "/" sees this machine itself: a Debian host with
// merged /usr, where /bin is a symlink to usr/bin and so is searched first.
TEST(DiscoveryTest, RootLinkedToSlashFindsThisMachinesBinaries) {
  TempDir dir;
  const std::string root = dir.Symlink("root", "/");
  Result<BinaryPaths> found = DiscoverBinaries(RequestFor(root));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  for (const std::string& name : DefaultRequiredBinaries()) {
    EXPECT_EQ(found->at(name), "/bin/" + name) << name;
  }
  EXPECT_EQ(found->at("realpath"), "/bin/realpath");
}

TEST(DiscoveryTest, RejectsBadRequests) {
  DiscoveryRequest request = RequestFor("rootfs");
  Result<BinaryPaths> found = DiscoverBinaries(request);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(found.error().message().find("host root 'rootfs'"), std::string::npos);

  request = RequestFor("/rootfs");
  request.search_dirs.push_back("opt/bin");
  found = DiscoverBinaries(request);
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message().find("search dir 'opt/bin'"), std::string::npos);

  request = RequestFor("/rootfs");
  request.required_binaries.push_back("../mount");
  found = DiscoverBinaries(request);
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message().find("binary name '../mount'"), std::string::npos);
}

}  // namespace
}  // namespace nsenter
