#include "nsenter/mount_propagation.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"

namespace nsenter {
namespace {

// Lines in the format of proc(5), as a container with `-v /:/rootfs:rslave` has them.
constexpr char kMountinfo[] =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "23 22 0:21 / /proc rw,nosuid - proc proc rw\n"
    "40 22 8:1 / /rootfs rw,relatime master:1 - ext4 /dev/sda1 rw\n"
    "41 40 0:50 / /rootfs/var/lib/kubelet rw shared:7 master:3 - tmpfs tmpfs rw\n"
    "42 22 0:51 / /mnt/with\\040space rw unbindable - tmpfs tmpfs rw\n"
    "43 22 0:52 / /stacked rw shared:9 - tmpfs tmpfs rw\n"
    "44 43 0:53 / /stacked rw - tmpfs tmpfs rw\n";

Propagation Of(const std::string& path) {
  Result<MountPropagation> found = ParseMountPropagation(kMountinfo, path);
  EXPECT_TRUE(found.ok()) << found.error().ToString();
  return found.ok() ? found->propagation : Propagation::kUnbindable;
}

TEST(ParseMountPropagationTest, FindsTheMountHoldingThePath) {
  Result<MountPropagation> rootfs = ParseMountPropagation(kMountinfo, "/rootfs/var/log");
  ASSERT_TRUE(rootfs.ok());
  EXPECT_EQ(rootfs->mount_point, "/rootfs");
  EXPECT_EQ(rootfs->propagation, Propagation::kSlave);
  EXPECT_TRUE(rootfs->receives_host_mounts());

  EXPECT_EQ(Of("/"), Propagation::kShared);
  EXPECT_EQ(Of("/rootfs"), Propagation::kSlave);
  EXPECT_EQ(Of("/rootfs/var/lib/kubelet/pods"), Propagation::kSharedAndSlave);
  EXPECT_EQ(Of("/proc/self"), Propagation::kPrivate);
  EXPECT_FALSE(ParseMountPropagation(kMountinfo, "/proc")->receives_host_mounts());
}

TEST(ParseMountPropagationTest, MatchesWholeComponentsOnly) {
  EXPECT_EQ(ParseMountPropagation(kMountinfo, "/rootfsx")->mount_point, "/");
  EXPECT_EQ(ParseMountPropagation(kMountinfo, "/rootfs/../proc")->mount_point, "/proc");
}

TEST(ParseMountPropagationTest, UnescapesMountPointsAndTakesTheTopOfAStack) {
  Result<MountPropagation> spaced = ParseMountPropagation(kMountinfo, "/mnt/with space/x");
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->mount_point, "/mnt/with space");
  EXPECT_EQ(spaced->propagation, Propagation::kUnbindable);
  EXPECT_EQ(Of("/stacked/x"), Propagation::kPrivate);
}

// A private tmpfs on /t/a/b, then a shared tmpfs over /t/a, which hides the
// first: /t/a/b (made anew inside the second) lives in the shared one,
// although the hidden mount's point is longer.
TEST(ParseMountPropagationTest, AMountHiddenByALaterOneOnAParentIsNotTheAnswer) {
  constexpr char kCovered[] =
      "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
      "50 22 0:60 / /t/a/b rw - tmpfs tmpfs rw\n"
      "51 22 0:61 / /t/a rw shared:20 - tmpfs tmpfs rw\n"
      "52 51 0:62 / /t/a/c rw unbindable - tmpfs tmpfs rw\n";
  Result<MountPropagation> covered = ParseMountPropagation(kCovered, "/t/a/b/x");
  ASSERT_TRUE(covered.ok()) << covered.error().ToString();
  EXPECT_EQ(covered->mount_point, "/t/a");
  EXPECT_EQ(covered->propagation, Propagation::kShared);
  // A mount made on the covering one is found through it.
  EXPECT_EQ(ParseMountPropagation(kCovered, "/t/a/c")->propagation, Propagation::kUnbindable);
}

// A lookup starts at the process's root (22) and never crosses a mount
// stacked over "/" (60, as `mount -t tmpfs ovr /` makes): /proc is still the
// shared child of the root.
TEST(ParseMountPropagationTest, AMountStackedOverTheRootIsNotCrossed) {
  constexpr char kOverRoot[] =
      "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "23 22 0:21 / /proc rw shared:5 - proc proc rw\n"
      "60 22 0:70 / / rw unbindable - tmpfs ovr rw\n"
      "61 60 0:71 / /proc rw - tmpfs tmpfs rw\n";
  Result<MountPropagation> proc = ParseMountPropagation(kOverRoot, "/proc/self");
  ASSERT_TRUE(proc.ok()) << proc.error().ToString();
  EXPECT_EQ(proc->mount_point, "/proc");
  EXPECT_EQ(proc->propagation, Propagation::kShared);
  EXPECT_EQ(ParseMountPropagation(kOverRoot, "/")->propagation, Propagation::kPrivate);
  EXPECT_EQ(ParseMountPropagation(kOverRoot, "/etc")->propagation, Propagation::kPrivate);
}

// `count` mounts stacked on `mount_point`, each on the one before, the first
// on mount 1; the top one shared, the others private.
std::string Stack(int count, const std::string& mount_point) {
  std::string table;
  for (int id = 2; id < count + 2; ++id) {
    const std::string optional = id == count + 1 ? "shared:9 " : "";
    table += std::to_string(id) + " " + std::to_string(id - 1) + " 0:1 / " + mount_point + " rw " +
             optional + "- tmpfs tmpfs rw\n";
  }
  return table;
}

// A tall stack is walked once per level of the index, not by a scan of the
// table per level (the suite's timeout guards against a walk quadratic in
// the height).
TEST(ParseMountPropagationTest, WalksATallStackToItsTop) {
  constexpr int kHeight = 20000;
  const std::string root = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n";
  Result<MountPropagation> top = ParseMountPropagation(root + Stack(kHeight, "/x"), "/x/y");
  ASSERT_TRUE(top.ok()) << top.error().ToString();
  EXPECT_EQ(top->mount_point, "/x");
  EXPECT_EQ(top->propagation, Propagation::kShared);
  // Stacked over "/", the same height is never climbed: the root answers.
  Result<MountPropagation> over_root = ParseMountPropagation(root + Stack(kHeight, "/"), "/y");
  ASSERT_TRUE(over_root.ok()) << over_root.error().ToString();
  EXPECT_EQ(over_root->propagation, Propagation::kPrivate);
}

TEST(ParseMountPropagationTest, Errors) {
  EXPECT_EQ(ParseMountPropagation(kMountinfo, "rootfs").error().code(),
            ErrorCode::kInvalidArgument);
  Result<MountPropagation> garbage = ParseMountPropagation("not mountinfo\n", "/");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(garbage.error().message(), "not a mountinfo line: 'not mountinfo'");
  EXPECT_EQ(ParseMountPropagation("", "/").error().code(), ErrorCode::kNotFound);
  Result<MountPropagation> bad_id =
      ParseMountPropagation("x 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "/");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code(), ErrorCode::kInternal);
  // A forged table whose ids make a cycle of mounts stacked on /x: the walk
  // still ends.
  Result<MountPropagation> cycle = ParseMountPropagation(
      "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "5 1 0:1 / /x rw - tmpfs tmpfs rw\n"
      "6 5 0:2 / /x rw - tmpfs tmpfs rw\n"
      "5 6 0:3 / /x rw - tmpfs tmpfs rw\n",
      "/x/y");
  ASSERT_TRUE(cycle.ok()) << cycle.error().ToString();
  EXPECT_EQ(cycle->mount_point, "/x");
}

TEST(PropagationNameTest, Names) {
  EXPECT_EQ(PropagationName(Propagation::kSharedAndSlave), "shared and slave");
  EXPECT_EQ(PropagationName(Propagation::kPrivate), "private");
}

// In a mount namespace of its own, a tmpfs made shared, then slave (of a
// peer bind mount), then private: MountPropagationOf reads each from the
// kernel. The child reports the first mismatch through its exit status.
TEST(MountPropagationOfTest, ReadsThisProcesssMounts) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN to make mounts";
  fakehost::TempDir dir;
  const std::string mount_point = dir.MakeDir("m");
  const std::string peer = dir.MakeDir("peer");
  const pid_t child = fork();
  if (child == 0) {
    const auto is = [&](Propagation want) {
      Result<MountPropagation> got = MountPropagationOf(mount_point + "/x");
      return got.ok() && got->mount_point == mount_point && got->propagation == want;
    };
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("tmpfs", mount_point.c_str(), "tmpfs", 0, nullptr) != 0) {
      _exit(10);
    }
    if (!is(Propagation::kPrivate)) _exit(1);
    if (mount(nullptr, mount_point.c_str(), nullptr, MS_SHARED, nullptr) != 0 || !is(Propagation::kShared)) {
      _exit(2);
    }
    if (mount(mount_point.c_str(), peer.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
        mount(nullptr, mount_point.c_str(), nullptr, MS_SLAVE, nullptr) != 0 || !is(Propagation::kSlave)) {
      _exit(3);
    }
    if (mount(nullptr, mount_point.c_str(), nullptr, MS_PRIVATE, nullptr) != 0 || !is(Propagation::kPrivate)) {
      _exit(4);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1 private, 2 shared, 3 slave, 4 private again, 10 setup";
}

// The same situation as AMountHiddenByALaterOneOnAParentIsNotTheAnswer,
// made in a mount namespace of a child's own and read from the kernel.
TEST(MountPropagationOfTest, AMountHiddenByALaterOneOnAParentIsNotTheAnswer) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN to make mounts";
  fakehost::TempDir dir;
  const std::string a = dir.MakeDir("a");
  const std::string b = dir.MakeDir("a/b");
  const pid_t child = fork();
  if (child == 0) {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("tmpfs", b.c_str(), "tmpfs", 0, nullptr) != 0 ||
        mount("tmpfs", a.c_str(), "tmpfs", 0, nullptr) != 0 ||
        mount(nullptr, a.c_str(), nullptr, MS_SHARED, nullptr) != 0 || mkdir(b.c_str(), 0755) != 0) {
      _exit(10);
    }
    Result<MountPropagation> got = MountPropagationOf(b);
    _exit(got.ok() && got->mount_point == a && got->propagation == Propagation::kShared ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1 the hidden private mount was reported, 10 setup";
}

// The same situation as AMountStackedOverTheRootIsNotCrossed, made in a
// mount namespace of a child's own and read from the kernel: a shared tmpfs
// on a directory, then a private tmpfs over "/".
TEST(MountPropagationOfTest, AMountStackedOverTheRootIsNotCrossed) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root with CAP_SYS_ADMIN to make mounts";
  fakehost::TempDir dir;
  const std::string shared = dir.MakeDir("shared");
  const pid_t child = fork();
  if (child == 0) {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("tmpfs", shared.c_str(), "tmpfs", 0, nullptr) != 0 ||
        mount(nullptr, shared.c_str(), nullptr, MS_SHARED, nullptr) != 0 ||
        mount("ovr", "/", "tmpfs", 0, nullptr) != 0) {
      _exit(10);
    }
    Result<MountPropagation> got = MountPropagationOf(shared);
    _exit(got.ok() && got->mount_point == shared && got->propagation == Propagation::kShared ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1 the mount over / was crossed, 10 setup";
}

}  // namespace
}  // namespace nsenter
