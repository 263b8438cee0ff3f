// The computed answers of findmnt, mount, umount, stat, mkdir and touch, run
// through FakeExecutor as nsenter would run them. Expected messages are the
// ones util-linux 2.38 and coreutils 9.1 print in the C locale.
#include "fakehost/host_command_emulation.h"

#include <gmock/gmock.h>
#include <sys/stat.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/temp_dir.h"
#include "nsenter/mount/mountinfo.h"

namespace nsenter::fakehost {
namespace {

using ::testing::HasSubstr;

constexpr char kHost[] = R"({
  "format": "fakehost/v1",
  "host": {"name": "mount-host", "recorded_with": "hand-written"},
  "entries": [
    {"path": "/bin", "type": "symlink", "target": "usr/bin"},
    {"path": "/usr/bin/mount", "type": "file", "mode": "4755"},
    {"path": "/usr/bin/umount", "type": "file", "mode": "4755"},
    {"path": "/usr/bin/findmnt", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/stat", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/mkdir", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/touch", "type": "file", "mode": "0755"},
    {"path": "/usr/bin/systemd-run", "type": "file", "mode": "0755"},
    {"path": "/opt/broken/touch", "type": "file", "mode": "0644"},
    {"path": "/etc/passwd", "type": "file"},
    {"path": "/mnt/a", "type": "dir"},
    {"path": "/mnt/b", "type": "dir", "mode": "0700"},
    {"path": "/data/vol", "type": "dir"},
    {"path": "/srv/vol", "type": "dir"},
    {"path": "/proc/sys", "type": "dir"},
    {"path": "/var/run", "type": "symlink", "target": "/run"},
    {"path": "/run", "type": "dir"},
    {"path": "/dangling", "type": "symlink", "target": "/run/made"},
    {"path": "/into-a-file", "type": "symlink", "target": "/etc/passwd/x"}
  ],
  "mountinfo": [
    "1 0 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw",
    "2 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
    "3 1 254:1 /data /srv rw,relatime shared:1 - ext4 /dev/vda1 rw"
  ]
})";

class HostCommandEmulationTest : public ::testing::Test {
 protected:
  void SetUp() override { Load(kHost); }

  void Load(const std::string& json) {
    Result<Fixture> fixture = ParseFixture(json, "mount-host.json");
    ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
    Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
    ASSERT_TRUE(host.ok()) << host.error().ToString();
    host_ = *host;
    executor_ = std::make_shared<FakeExecutor>(host_);
  }

  // What `host_argv` answers through nsenter: its stdout, or its error.
  Result<std::string> Run(std::vector<std::string> host_argv) {
    host_argv.insert(host_argv.begin(), {"--mount=/rootfs/proc/1/ns/mnt", "--"});
    return executor_->Command("nsenter", host_argv)->Output();
  }

  // Runs `host_argv`, which must fail with `exit_status` and `stderr_data`.
  void ExpectFailure(std::vector<std::string> host_argv, int exit_status,
                     const std::string& stderr_data) {
    Result<std::string> out = Run(std::move(host_argv));
    ASSERT_FALSE(out.ok()) << *out;
    EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit) << out.error().ToString();
    EXPECT_EQ(out.error().exit_status(), exit_status);
    EXPECT_EQ(out.error().stderr_data(), stderr_data);
    EXPECT_EQ(executor_->Calls().back().answered_by, AnswerSource::kHostEmulation);
  }

  std::string Findmnt(const std::string& path) {
    Result<std::string> out = Run({"/bin/findmnt", "-o", "target,fstype", "--noheadings",
                                   "--first-only", "--target", path});
    return out.ok() ? *out : "failed: " + out.error().ToString();
  }

  void ExpectRuns(std::vector<std::string> host_argv) {
    Result<std::string> out = Run(std::move(host_argv));
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    EXPECT_EQ(*out, "");
  }

  std::shared_ptr<FakeHost> host_;
  std::shared_ptr<FakeExecutor> executor_;
};

TEST_F(HostCommandEmulationTest, StatPrintsTheRawModeInHexAndOwnerZero) {
  EXPECT_EQ(*Run({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/usr/bin/mount"}), "89ed:0:0");
  EXPECT_EQ(*Run({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/mnt/b"}), "41c0:0:0");
  // -L: the symlink's target.
  EXPECT_EQ(*Run({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/bin"}), "41ed:0:0");
  EXPECT_EQ(executor_->Calls().back().answered_by, AnswerSource::kHostEmulation);
}

TEST_F(HostCommandEmulationTest, StatOfAMissingPathFailsAsCoreutils) {
  ExpectFailure({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/nope"}, 1,
                "/bin/stat: cannot statx '/nope': No such file or directory\n");
  ExpectFailure({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/etc/passwd/x"}, 1,
                "/bin/stat: cannot statx '/etc/passwd/x': Not a directory\n");
  ExpectFailure({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/dangling"}, 1,
                "/bin/stat: cannot statx '/dangling': No such file or directory\n");
}

TEST_F(HostCommandEmulationTest, MkdirMakesEveryMissingDirectoryThroughSymlinks) {
  ExpectRuns({"/bin/mkdir", "-p", "--", "/var/run/x/y"});
  for (const char* path : {"/run/x", "/run/x/y"}) {
    Result<FileStat> made = host_->Lstat(path);
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    EXPECT_EQ(made->type, FileType::kDirectory);
    EXPECT_EQ(made->mode, 0755u);
  }
  ExpectRuns({"/bin/mkdir", "-p", "--", "/mnt/a"});  // Exists: nothing to do.
}

TEST_F(HostCommandEmulationTest, MkdirOverAFileFailsAsCoreutils) {
  ExpectFailure({"/bin/mkdir", "-p", "--", "/etc/passwd"}, 1,
                "/bin/mkdir: cannot create directory '/etc/passwd': File exists\n");
  ExpectFailure({"/bin/mkdir", "-p", "--", "/etc/passwd/x/y"}, 1,
                "/bin/mkdir: cannot create directory '/etc/passwd': Not a directory\n");
  ExpectFailure({"/bin/mkdir", "-p", "--", "/dangling"}, 1,
                "/bin/mkdir: cannot create directory '/dangling': File exists\n");
}

// A dangling symlink exists at its name and is followed on the way without
// -p; messages as coreutils 9.1's mkdir printed them (LC_ALL=C).
TEST_F(HostCommandEmulationTest, MkdirTakesADanglingSymlinkAsCoreutils) {
  ExpectFailure({"/bin/mkdir", "-p", "--", "/dangling/x/y"}, 1,
                "/bin/mkdir: cannot create directory '/dangling': File exists\n");
  ExpectFailure({"/bin/mkdir", "--", "/dangling/x"}, 1,
                "/bin/mkdir: cannot create directory '/dangling/x': No such file or directory\n");
  ExpectFailure({"/bin/mkdir", "-p", "--", "/into-a-file"}, 1,
                "/bin/mkdir: cannot create directory '/into-a-file': File exists\n");
  ExpectFailure({"/bin/mkdir", "-p", "--", "/into-a-file/x"}, 1,
                "/bin/mkdir: cannot create directory '/into-a-file': Not a directory\n");
  ExpectFailure({"/bin/mkdir", "--", "/into-a-file/x"}, 1,
                "/bin/mkdir: cannot create directory '/into-a-file/x': Not a directory\n");
  EXPECT_FALSE(host_->Lstat("/run/made").ok());
}

// Messages as coreutils 9.1's mkdir printed them (LC_ALL=C).
TEST_F(HostCommandEmulationTest, MkdirWithoutParentsMakesOnlyTheLastDirectory) {
  ExpectRuns({"/bin/mkdir", "--", "/var/run/one"});
  Result<FileStat> made = host_->Lstat("/run/one");
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(made->type, FileType::kDirectory);
  EXPECT_EQ(made->mode, 0755u);
  ExpectFailure({"/bin/mkdir", "--", "/run/no/y"}, 1,
                "/bin/mkdir: cannot create directory '/run/no/y': No such file or directory\n");
  EXPECT_FALSE(host_->Lstat("/run/no").ok());
  ExpectFailure({"/bin/mkdir", "--", "/run/one"}, 1,
                "/bin/mkdir: cannot create directory '/run/one': File exists\n");
  ExpectFailure({"/bin/mkdir", "--", "/etc/passwd/x"}, 1,
                "/bin/mkdir: cannot create directory '/etc/passwd/x': Not a directory\n");
  ExpectFailure({"/bin/mkdir", "--", "/dangling"}, 1,
                "/bin/mkdir: cannot create directory '/dangling': File exists\n");
  ExpectFailure({"/bin/mkdir", "--", "/"}, 1,
                "/bin/mkdir: cannot create directory '/': File exists\n");
}

TEST_F(HostCommandEmulationTest, MkdirModeSetsTheLastDirectoryOnly) {
  ExpectRuns({"/bin/mkdir", "-p", "-m", "2700", "--", "/run/a/b"});
  EXPECT_EQ(host_->Lstat("/run/a")->mode, 0755u);
  EXPECT_EQ(host_->Lstat("/run/a/b")->mode, 02700u);
  ExpectRuns({"/bin/mkdir", "-m", "0777", "--", "/run/c"});
  EXPECT_EQ(host_->Lstat("/run/c")->mode, 0777u);
  ExpectRuns({"/bin/mkdir", "-p", "-m", "0700", "--", "/run/c"});  // Exists: keeps its mode.
  EXPECT_EQ(host_->Lstat("/run/c")->mode, 0777u);
}

TEST_F(HostCommandEmulationTest, TouchMakesAnEmptyFileOrLeavesOneAlone) {
  ExpectRuns({"/bin/touch", "--", "/mnt/a/f"});
  Result<FileStat> made = host_->Lstat("/mnt/a/f");
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_EQ(made->type, FileType::kRegular);
  EXPECT_EQ(made->mode, 0644u);
  ExpectRuns({"/bin/touch", "--", "/mnt/a/f"});
  ExpectRuns({"/bin/touch", "--", "/dangling"});  // Creates the link's target.
  EXPECT_EQ(host_->Lstat("/run/made")->type, FileType::kRegular);
}

TEST_F(HostCommandEmulationTest, TouchWithoutItsDirectoryFailsAsCoreutils) {
  ExpectFailure({"/bin/touch", "--", "/nope/x"}, 1,
                "/bin/touch: cannot touch '/nope/x': No such file or directory\n");
  ExpectFailure({"/bin/touch", "--", "/etc/passwd/x"}, 1,
                "/bin/touch: cannot touch '/etc/passwd/x': Not a directory\n");
}

TEST_F(HostCommandEmulationTest, FindmntNamesTheMountHoldingAPathAsFindmntPrintsIt) {
  EXPECT_EQ(Findmnt("/mnt/a"), "/      ext4\n");  // Padded to the TARGET header.
  EXPECT_EQ(Findmnt("/srv"), "/srv   ext4\n");
  EXPECT_EQ(Findmnt("/proc"), "/proc  proc\n");
  EXPECT_EQ(Findmnt("/var/run"), "/      ext4\n");
  EXPECT_THAT(Findmnt("/nope"), HasSubstr("exited with status 1"));
}

TEST_F(HostCommandEmulationTest, MountCheckUnmount) {
  ExpectRuns({"/bin/mount", "-t", "tmpfs", "-o", "size=1m,nosuid", "--", "tmpfs", "/mnt/a"});
  EXPECT_EQ(Findmnt("/mnt/a"), "/mnt/a tmpfs\n");
  const MountInfo mount = host_->Mounts()->back();
  EXPECT_EQ(mount.id, 4);
  EXPECT_EQ(mount.parent_id, 1);
  EXPECT_EQ(mount.major, 0u);
  EXPECT_EQ(mount.minor, 22u);
  EXPECT_EQ(mount.root, "/");
  EXPECT_EQ(mount.mount_options, (std::vector<std::string>{"rw", "nosuid", "relatime"}));
  EXPECT_EQ(mount.optional_fields, std::vector<std::string>{"shared:2"});  // "/" is shared.
  EXPECT_EQ(mount.super_options, (std::vector<std::string>{"rw", "size=1m"}));

  ExpectRuns({"/bin/umount", "--", "/mnt/a"});
  EXPECT_EQ(Findmnt("/mnt/a"), "/      ext4\n");
  EXPECT_EQ(host_->Mounts()->size(), 3u);
  ExpectFailure({"/bin/umount", "--", "/mnt/a"}, 32, "umount: /mnt/a: not mounted.\n");
}

// systemd-run --scope returns the status and output of the mount it runs.
TEST_F(HostCommandEmulationTest, AMountInASystemdScopeIsThatMount) {
  ExpectRuns({"/bin/systemd-run", "--description=d", "--scope", "--", "/bin/mount", "-t",
              "fuse.x", "--", "src", "/mnt/a"});
  EXPECT_EQ(Findmnt("/mnt/a"), "/mnt/a fuse.x\n");
  EXPECT_EQ(host_->Mounts()->back().source, "src");
  ExpectFailure({"/bin/systemd-run", "--description=d", "--scope", "--", "/bin/mount", "-t",
                 "fuse.x", "--", "src", "/nope"},
                32,
                "mount: /nope: mount point does not exist.\n"
                "       dmesg(1) may have more information after failed mount system call.\n");
}

TEST_F(HostCommandEmulationTest, TheSystemdScopeProbeSucceedsAndChangesNothing) {
  const std::vector<MountInfo> before = *host_->Mounts();
  ExpectRuns({"/bin/systemd-run", "--description=d", "--scope", "--", "true"});
  EXPECT_EQ(host_->Mounts()->size(), before.size());
}

TEST_F(HostCommandEmulationTest, ABindMountShowsItsSourcesFileSystemAndPeerGroup) {
  ExpectRuns({"/bin/mount", "-o", "bind", "--", "/srv/vol", "/mnt/b"});
  const MountInfo bind = host_->Mounts()->back();
  EXPECT_EQ(bind.mount_point, "/mnt/b");
  EXPECT_EQ(bind.root, "/data/vol");  // /srv shows /data of the disk.
  EXPECT_EQ(bind.major, 254u);
  EXPECT_EQ(bind.optional_fields, std::vector<std::string>{"shared:1"});
  ExpectRuns({"/bin/mount", "-o", "bind,remount,ro", "--", "/srv/vol", "/mnt/b"});
  EXPECT_EQ(host_->Mounts()->back().mount_options, (std::vector<std::string>{"ro", "relatime"}));
}

TEST_F(HostCommandEmulationTest, MakeRSharedSharesTheMountAndTheMountsBelowIt) {
  ExpectRuns({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", "/proc/sys"});  // Under a private mount.
  EXPECT_TRUE(host_->Mounts()->back().optional_fields.empty());
  ExpectRuns({"/bin/mount", "--make-rshared", "--", "/proc"});
  const std::vector<MountInfo> table = *host_->Mounts();
  EXPECT_EQ(table[1].optional_fields, std::vector<std::string>{"shared:2"});
  EXPECT_EQ(table[3].optional_fields, std::vector<std::string>{"shared:3"});
  EXPECT_EQ(table[0].optional_fields, std::vector<std::string>{"shared:1"});
  ExpectFailure({"/bin/mount", "--make-rshared", "--", "/mnt/a"}, 32,
                "mount: /mnt/a: not mount point or bad option.\n"
                "       dmesg(1) may have more information after failed mount system call.\n");
}

TEST_F(HostCommandEmulationTest, MountAndUmountFailuresAreUtilLinuxs) {
  ExpectFailure({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", "/nope"}, 32,
                "mount: /nope: mount point does not exist.\n"
                "       dmesg(1) may have more information after failed mount system call.\n");
  ExpectFailure({"/bin/mount", "-o", "bind", "--", "/nope", "/mnt/b"}, 32,
                "mount: /mnt/b: special device /nope does not exist.\n"
                "       dmesg(1) may have more information after failed mount system call.\n");
  ExpectFailure({"/bin/mount", "-o", "bind,remount,ro", "--", "/mnt/a", "/mnt/b"}, 32,
                "mount: /mnt/b: mount point not mounted or bad option.\n"
                "       dmesg(1) may have more information after failed mount system call.\n");
  ExpectFailure({"/bin/umount", "--", "/nope"}, 32, "umount: /nope: no mount point specified.\n");
  ExpectRuns({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", "/mnt/a"});
  ExpectRuns({"/bin/mkdir", "-p", "--", "/mnt/a/in"});
  ExpectRuns({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", "/mnt/a/in"});
  ExpectFailure({"/bin/umount", "--", "/mnt/a"}, 32, "umount: /mnt/a: target is busy.\n");
  EXPECT_EQ(host_->Mounts()->size(), 5u);
}

TEST_F(HostCommandEmulationTest, AProgramThatIsNotExecutableIsNsentersFailure) {
  ExpectFailure({"/opt/broken/touch", "--", "/mnt/a/f"}, 126,
                "nsenter: failed to execute /opt/broken/touch: Permission denied\n");
  EXPECT_FALSE(host_->Lstat("/mnt/a/f").ok());
}

TEST_F(HostCommandEmulationTest, FormsTheFakeHostDoesNotModelAreRefused) {
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"/bin/mount", "--", "/dev/sdb1", "/mnt/a"},
           {"/bin/mount", "-o", "rbind", "--", "/srv", "/mnt/a"},
           {"/bin/mkdir", "-p", "--", "/mnt/../x"},
           {"/bin/mount", "--make-shared", "--", "/srv"},
           {"/bin/stat", "--", "/srv"}}) {
    SCOPED_TRACE(::testing::PrintToString(argv));
    Result<std::string> out = Run(argv);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed) << out.error().ToString();
    EXPECT_THAT(out.error().message(), HasSubstr("mount-host.json"));
  }
  EXPECT_EQ(host_->Mounts()->size(), 3u);
}

TEST_F(HostCommandEmulationTest, TableCommandsWithoutARecordedTableAreRefused) {
  std::string json = kHost;
  json.erase(json.find(",\n  \"mountinfo\""), json.find("]\n}") + 2 - json.find(",\n  \"mountinfo\""));
  ASSERT_NO_FATAL_FAILURE(Load(json));
  ASSERT_FALSE(host_->Mounts());
  Result<std::string> out = Run({"/bin/umount", "--", "/mnt/a"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kExecFailed);
  EXPECT_THAT(out.error().message(), HasSubstr("records no mount table"));
  ExpectRuns({"/bin/mkdir", "-p", "--", "/mnt/c"});  // The tree is still there.
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_F(HostCommandEmulationTest, AMaterializedHostKeepsItsMountTableAndTreeInStep) {
  TempDir root;
  ASSERT_TRUE(host_->Materialize(root.path()).ok());
  const std::string mountinfo = root.path() + "/proc/1/mountinfo";
  EXPECT_EQ(ReadFile(mountinfo),
            "1 0 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
            "2 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
            "3 1 254:1 /data /srv rw,relatime shared:1 - ext4 /dev/vda1 rw\n");
  ExpectRuns({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", "/mnt/a"});
  EXPECT_THAT(ReadFile(mountinfo), HasSubstr("\n4 1 0:22 / /mnt/a rw,relatime shared:2 - tmpfs tmpfs rw\n"));
  EXPECT_EQ(*ParseMountInfo(ReadFile(mountinfo)), *host_->Mounts());
  ExpectRuns({"/bin/mkdir", "-p", "--", "/mnt/a/new"});
  struct stat info;
  ASSERT_EQ(stat((root.path() + "/mnt/a/new").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);
}

TEST_F(HostCommandEmulationTest, CommandsFromManyThreadsEachChangeTheHostOnce) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([this, i] {
      const std::string dir = "/mnt/a/t" + std::to_string(i);
      EXPECT_TRUE(Run({"/bin/mkdir", "-p", "--", dir + "/m"}).ok());
      EXPECT_TRUE(Run({"/bin/mount", "-t", "tmpfs", "--", "tmpfs", dir + "/m"}).ok());
      EXPECT_TRUE(Run({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", dir}).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<MountInfo> table = *host_->Mounts();
  ASSERT_EQ(table.size(), 3u + kThreads);
  std::set<int> ids;
  for (const MountInfo& mount : table) ids.insert(mount.id);
  EXPECT_EQ(ids.size(), table.size());  // Each mount got its own id.
}

TEST(FakeHostChangeTest, MakeDirectoryAndMakeFileRefuseWhatMkdirAndOpenWould) {
  Result<Fixture> fixture = ParseFixture(kHost, "mount-host.json");
  ASSERT_TRUE(fixture.ok());
  std::shared_ptr<FakeHost> host = *FakeHost::Create(*fixture);
  EXPECT_EQ(host->MakeDirectory("/mnt/a").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(host->MakeDirectory("/nope/x").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(host->MakeFile("/etc/passwd/x").error().code(), ErrorCode::kNotADirectory);
  EXPECT_EQ(host->MakeFile("/mnt/../x").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(host->MakeFile("relative").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(host->MakeFile("/mnt/new").ok());
}

}  // namespace
}  // namespace nsenter::fakehost
