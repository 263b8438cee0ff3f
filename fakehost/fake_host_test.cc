#include "fakehost/fake_host.h"

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fakehost/fixture.h"
#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter::fakehost {
namespace {

using ::testing::HasSubstr;

// A merged-/usr tree with a few hostile shapes.
constexpr char kTree[] = R"({
  "format": "fakehost/v1",
  "host": {"name": "tree", "recorded_with": "hand-written"},
  "entries": [
    {"path": "/bin", "type": "symlink", "target": "usr/bin"},
    {"path": "/usr/bin/mount", "type": "file", "mode": "4755"},
    {"path": "/usr/bin/ls", "type": "file", "mode": "0755"},
    {"path": "/etc/passwd", "type": "file"},
    {"path": "/etc/shadow", "type": "file", "mode": "0640"},
    {"path": "/etc/alternatives/awk", "type": "symlink", "target": "/usr/bin/mawk"},
    {"path": "/var/run", "type": "symlink", "target": "/run"},
    {"path": "/run/lock", "type": "dir", "mode": "1777"},
    {"path": "/var/lib/private", "type": "dir", "mode": "0700"},
    {"path": "/var/lib/up", "type": "symlink", "target": "../../../../etc"},
    {"path": "/loop/a", "type": "symlink", "target": "b"},
    {"path": "/loop/b", "type": "symlink", "target": "a"},
    {"path": {"base64": "L3RtcC9m/w=="}, "type": "file"},
    {"path": "/tmp/l", "type": "symlink", "target": {"base64": "L3RtcC9m/w=="}}
  ]
})";

std::shared_ptr<FakeHost> Host() {
  Result<Fixture> fixture = ParseFixture(kTree, "tree.json");
  EXPECT_TRUE(fixture.ok()) << fixture.error().ToString();
  Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
  EXPECT_TRUE(host.ok()) << host.error().ToString();
  return *host;
}

TEST(FakeHostLstatTest, ListedFilesHaveTheirTypeAndMode) {
  const auto host = Host();
  Result<FileStat> mount = host->Lstat("/usr/bin/mount");
  ASSERT_TRUE(mount.ok()) << mount.error().ToString();
  EXPECT_EQ(mount->type, FileType::kRegular);
  EXPECT_EQ(mount->mode, 04755u);
  EXPECT_EQ(host->Lstat("/etc/passwd")->mode, 0644u);  // A file's default.
  EXPECT_EQ(host->Lstat("/run/lock")->type, FileType::kDirectory);
  EXPECT_EQ(host->Lstat("/run/lock")->mode, 01777u);
  Result<FileStat> bin = host->Lstat("/bin");
  EXPECT_EQ(bin->type, FileType::kSymlink);
  EXPECT_EQ(bin->mode, 0777u);
}

TEST(FakeHostLstatTest, UnlistedParentsAndTheRootAreDirectories) {
  const auto host = Host();
  for (const std::string path : {"/", "/usr", "/usr/bin", "/etc/alternatives", "/var"}) {
    Result<FileStat> dir = host->Lstat(path);
    ASSERT_TRUE(dir.ok()) << path << ": " << dir.error().ToString();
    EXPECT_EQ(dir->type, FileType::kDirectory) << path;
    EXPECT_EQ(dir->mode, 0755u) << path;
  }
}

TEST(FakeHostLstatTest, EveryFileHasItsOwnInodeOnOneDevice) {
  const auto host = Host();
  std::set<ino_t> inodes;
  std::set<dev_t> devices;
  for (const std::string path :
       {"/", "/bin", "/usr", "/usr/bin", "/usr/bin/mount", "/etc/passwd"}) {
    Result<FileStat> file = host->Lstat(path);
    ASSERT_TRUE(file.ok());
    inodes.insert(file->inode);
    devices.insert(file->device);
  }
  EXPECT_EQ(inodes.size(), 6u);
  EXPECT_EQ(devices.size(), 1u);
}

TEST(FakeHostLstatTest, ErrorsAreThoseOfLstat) {
  const auto host = Host();
  const auto code = [&](const std::string& path) {
    Result<FileStat> file = host->Lstat(path);
    EXPECT_FALSE(file.ok()) << path;
    return file.ok() ? ErrorCode::kInternal : file.error().code();
  };
  EXPECT_EQ(code("/usr/bin/umount"), ErrorCode::kNotFound);
  EXPECT_EQ(code(""), ErrorCode::kNotFound);
  EXPECT_EQ(code("/etc/passwd/x"), ErrorCode::kNotADirectory);
  EXPECT_EQ(code("/etc/passwd/"), ErrorCode::kNotADirectory);
  EXPECT_EQ(code("/etc/passwd/."), ErrorCode::kNotADirectory);
  EXPECT_EQ(code("usr/bin"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(std::string("/usr\0/bin", 9)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("/" + std::string(256, 'x')), ErrorCode::kNameTooLong);
  EXPECT_EQ(code("/usr" + std::string(4092, '/')), ErrorCode::kNameTooLong);
  EXPECT_EQ(code("/loop/a/x"), ErrorCode::kLoop);

  Result<FileStat> missing = host->Lstat("/usr/bin/umount");
  EXPECT_THAT(missing.error().message(), HasSubstr("'/usr/bin/umount'"));
  EXPECT_THAT(missing.error().message(), HasSubstr("tree.json"));
}

// The resolver never asks this, but the view answers as the kernel would.
TEST(FakeHostLstatTest, FollowsSymlinksBeforeTheLastComponentLikeTheKernel) {
  const auto host = Host();
  EXPECT_EQ(host->Lstat("/bin/mount")->mode, 04755u);                   // bin -> usr/bin
  EXPECT_EQ(host->Lstat("/var/run/lock")->type, FileType::kDirectory);  // -> /run
  EXPECT_EQ(host->Lstat("/var/run/")->type, FileType::kDirectory);      // "/" follows it
  EXPECT_EQ(host->Lstat("/var/lib/up/passwd")->mode, 0644u);            // ".." stops at "/"
  EXPECT_EQ(host->Lstat("/bin/../bin/ls")->mode, 0755u);                // ".." is physical
  EXPECT_EQ(host->Lstat("//usr/./bin//mount")->mode, 04755u);
  EXPECT_EQ(host->Lstat("/loop/a")->type, FileType::kSymlink);  // The last is not followed.
}

TEST(FakeHostReadlinkTest, ReturnsTheTargetByteForByte) {
  const auto host = Host();
  EXPECT_EQ(*host->Readlink("/bin"), "usr/bin");
  EXPECT_EQ(*host->Readlink("/var/lib/up"), "../../../../etc");
  EXPECT_EQ(*host->Readlink("/tmp/l"), "/tmp/f\xff");
  Result<std::string> file = host->Readlink("/etc/passwd");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(host->Readlink("/nope").error().code(), ErrorCode::kNotFound);
}

TEST(FakeHostReadFileTest, ARegularFileReadsAsEmptyAndOtherFilesAreRefused) {
  const auto host = Host();
  EXPECT_EQ(*host->ReadFile("/etc/passwd"), "");
  EXPECT_EQ(*host->ReadFile("/bin/mount"), "");  // Through a symlinked directory.
  Result<std::string> link = host->ReadFile("/var/run");
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().code(), ErrorCode::kLoop);
  EXPECT_THAT(link.error().message(), HasSubstr("open '/var/run' on the fake host of tree.json"));
  EXPECT_EQ(host->ReadFile("/etc").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(host->ReadFile("/nope").error().code(), ErrorCode::kNotFound);
  // No table recorded: no mountinfo either.
  EXPECT_EQ(host->ReadFile("/proc/1/mountinfo").error().code(), ErrorCode::kNotFound);
}

TEST(FakeHostReadFileTest, TheMountTableIsServedAsItIsNowAtItsProcessMountinfo) {
  Result<Fixture> fixture = ParseFixture(R"({
    "format": "fakehost/v1",
    "host": {"name": "table", "recorded_with": "hand-written"},
    "mount_namespace": "/proc/7/ns/mnt",
    "mountinfo": ["21 1 254:1 / / rw shared:1 - ext4 /dev/vda1 rw"]
  })", "table.json");
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
  ASSERT_TRUE(host.ok()) << host.error().ToString();
  EXPECT_EQ(*(*host)->ReadFile("/proc/7/mountinfo"),
            "21 1 254:1 / / rw shared:1 - ext4 /dev/vda1 rw\n");
  EXPECT_EQ((*host)->ReadFile("/proc/1/mountinfo").error().code(), ErrorCode::kNotFound);

  ASSERT_TRUE((*host)
                  ->ChangeMounts([](std::vector<MountInfo>& mounts) {
                    mounts.push_back(*mounts.begin());
                    mounts.back().id = 22;
                    mounts.back().mount_point = "/mnt";
                    return Status();
                  })
                  .ok());
  EXPECT_EQ(*(*host)->ReadFile("/proc/7/mountinfo"),
            "21 1 254:1 / / rw shared:1 - ext4 /dev/vda1 rw\n"
            "22 1 254:1 / /mnt rw shared:1 - ext4 /dev/vda1 rw\n");
}

TEST(FakeHostTest, TheResolverRunsOverIt) {
  const auto host = Host();
  EXPECT_EQ(*ResolveRealpath(*host, "/bin/mount", RealpathMode::kMustExist), "/usr/bin/mount");
  EXPECT_EQ(*ResolveRealpath(*host, "/var/lib/up/passwd", RealpathMode::kMustExist), "/etc/passwd");
  EXPECT_EQ(ResolveRealpath(*host, "/loop/a", RealpathMode::kMustExist).error().code(),
            ErrorCode::kLoop);
  EXPECT_EQ(*ResolveRealpath(*host, "/etc/alternatives/awk", RealpathMode::kAllowMissing),
            "/usr/bin/mawk");
}

TEST(FakeHostTest, CreateRefusesABadFixture) {
  Fixture fixture;
  fixture.source = "code";
  fixture.host = {"t", "hand-written", "", "", {}};
  fixture.entries = {{"/f", EntryType::kFile, std::nullopt, ""},
                     {"/f/g", EntryType::kFile, std::nullopt, ""}};
  Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(fixture);
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.error().code(), ErrorCode::kBadFixture);
  EXPECT_THAT(host.error().message(), HasSubstr("code: /entries/1/path"));
}

// ---- Materialize ----

struct stat LstatOf(const std::string& path) {
  struct stat info = {};
  EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
  return info;
}

std::string ReadlinkOf(const std::string& path) {
  char target[4096];
  const ssize_t n = readlink(path.c_str(), target, sizeof target);
  EXPECT_GE(n, 0) << path;
  return std::string(target, n < 0 ? 0 : static_cast<size_t>(n));
}

TEST(FakeHostMaterializeTest, WritesFilesDirectoriesAndSymlinksWithTheirModes) {
  TempDir root;
  ASSERT_TRUE(Host()->Materialize(root.path()).ok());
  const std::string r = root.path();

  const struct stat mount = LstatOf(r + "/usr/bin/mount");
  EXPECT_TRUE(S_ISREG(mount.st_mode));
  EXPECT_EQ(mount.st_mode & 07777, 04755u);
  EXPECT_EQ(mount.st_size, 0);
  EXPECT_EQ(LstatOf(r + "/etc/shadow").st_mode & 07777, 0640u);
  EXPECT_EQ(LstatOf(r + "/etc/passwd").st_mode & 07777, 0644u);

  const struct stat lock = LstatOf(r + "/run/lock");
  EXPECT_TRUE(S_ISDIR(lock.st_mode));
  EXPECT_EQ(lock.st_mode & 07777, 01777u);
  EXPECT_EQ(LstatOf(r + "/var/lib/private").st_mode & 07777, 0700u);
  EXPECT_EQ(LstatOf(r + "/usr/bin").st_mode & 07777, 0755u);

  EXPECT_TRUE(S_ISLNK(LstatOf(r + "/bin").st_mode));
  EXPECT_EQ(ReadlinkOf(r + "/bin"), "usr/bin");
  EXPECT_EQ(ReadlinkOf(r + "/var/run"), "/run");  // Text as given: absolute stays absolute.
  EXPECT_EQ(ReadlinkOf(r + "/tmp/l"), "/tmp/f\xff");
  EXPECT_TRUE(S_ISREG(LstatOf(r + "/tmp/f\xff").st_mode));

  // Relative links work inside the tree.
  struct stat through_link = {};
  ASSERT_EQ(stat((r + "/bin/mount").c_str(), &through_link), 0);
  EXPECT_EQ(through_link.st_ino, mount.st_ino);
}

TEST(FakeHostMaterializeTest, FailsForAMissingDirectoryOrAnExistingFile) {
  TempDir root;
  Status missing = Host()->Materialize(root.path() + "/missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);

  root.WriteFile("etc", "");
  Status clash = Host()->Materialize(root.path());
  ASSERT_FALSE(clash.ok());
  EXPECT_THAT(clash.error().message(), HasSubstr(root.path() + "/etc"));
}

}  // namespace
}  // namespace nsenter::fakehost
