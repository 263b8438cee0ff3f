#include "nsenter/host_path.h"

#include <string>

#include "gtest/gtest.h"

namespace nsenter {
namespace {

TEST(JoinHostPathTest, SquashesSlashes) {
  EXPECT_EQ(JoinHostPath("/rootfs", "/usr/bin/mount"), "/rootfs/usr/bin/mount");
  EXPECT_EQ(JoinHostPath("/rootfs/", "//usr/bin/"), "/rootfs/usr/bin");
  EXPECT_EQ(JoinHostPath("/", "/"), "/");
  EXPECT_EQ(JoinHostPath("/rootfs", "/"), "/rootfs");
}

TEST(CleanAbsolutePathTest, AppliesDotDotWithoutClimbingAboveRoot) {
  EXPECT_EQ(CleanAbsolutePath("/a/./b/../c"), "/a/c");
  EXPECT_EQ(CleanAbsolutePath("/../../etc"), "/etc");
  EXPECT_EQ(CleanAbsolutePath("/a/../../.."), "/");
  EXPECT_EQ(CleanAbsolutePath("//"), "/");
}

// The cases of k8s.io/utils/nsenter's TestKubeletPath, and the escapes of
// filepath.Join that the original allowed.
TEST(KubeletPathTest, JoinsUnderTheRoot) {
  EXPECT_EQ(*KubeletPath("/rootfs", "/some/path"), "/rootfs/some/path");
  EXPECT_EQ(*KubeletPath("/rootfs", "//some/path"), "/rootfs/some/path");
  EXPECT_EQ(*KubeletPath("/rootfs/", "/some/path"), "/rootfs/some/path");
  EXPECT_EQ(*KubeletPath("/rootfs/", "//some/path"), "/rootfs/some/path");
  EXPECT_EQ(*KubeletPath("/rootfs", "/"), "/rootfs");
}

TEST(KubeletPathTest, DotDotNeverClimbsAboveTheRoot) {
  EXPECT_EQ(*KubeletPath("/rootfs", "/../etc/passwd"), "/rootfs/etc/passwd");
  EXPECT_EQ(*KubeletPath("/rootfs", "/a/../../../etc"), "/rootfs/etc");
}

TEST(KubeletPathTest, RejectsBadPaths) {
  for (const std::string& bad : {std::string(""), std::string("relative/x"),
                                 std::string("/a\0b", 4)}) {
    const Result<std::string> path = KubeletPath("/rootfs", bad);
    ASSERT_FALSE(path.ok()) << bad;
    EXPECT_EQ(path.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(path.error().message().find("host path"), std::string::npos);
  }
  const Result<std::string> bad_root = KubeletPath("rootfs", "/x");
  ASSERT_FALSE(bad_root.ok());
  EXPECT_NE(bad_root.error().message().find("host root 'rootfs' is not absolute"),
            std::string::npos);
}

}  // namespace
}  // namespace nsenter
