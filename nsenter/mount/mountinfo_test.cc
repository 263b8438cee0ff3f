#include "nsenter/mount/mountinfo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nsenter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(ParseMountInfoTest, ReadsEveryFieldOfTheProcManPageExample) {
  Result<std::vector<MountInfo>> table = ParseMountInfo(
      "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n");
  ASSERT_TRUE(table.ok()) << table.error().message();
  ASSERT_EQ(table->size(), 1u);
  const MountInfo& m = (*table)[0];
  EXPECT_EQ(m.id, 36);
  EXPECT_EQ(m.parent_id, 35);
  EXPECT_EQ(m.major, 98u);
  EXPECT_EQ(m.minor, 0u);
  EXPECT_EQ(m.root, "/mnt1");
  EXPECT_EQ(m.mount_point, "/mnt2");
  EXPECT_THAT(m.mount_options, ElementsAre("rw", "noatime"));
  EXPECT_THAT(m.optional_fields, ElementsAre("master:1"));
  EXPECT_EQ(m.fs_type, "ext3");
  EXPECT_EQ(m.source, "/dev/root");
  EXPECT_THAT(m.super_options, ElementsAre("rw", "errors=continue"));
}

TEST(ParseMountInfoTest, ReadsSeveralLinesAndOptionalFieldsInOrder) {
  Result<std::vector<MountInfo>> table = ParseMountInfo(
      "1 0 8:1 / / rw shared:1 master:7 - ext4 /dev/sda1 rw\n"
      "2 1 0:5 / /proc rw,nosuid - proc proc rw\n"
      "3 1 0:6 / /unb rw unbindable propagate_from:4 - tmpfs tmpfs rw,size=8k");
  ASSERT_TRUE(table.ok()) << table.error().message();
  ASSERT_EQ(table->size(), 3u);
  EXPECT_THAT((*table)[0].optional_fields, ElementsAre("shared:1", "master:7"));
  EXPECT_THAT((*table)[1].optional_fields, IsEmpty());
  EXPECT_EQ((*table)[1].mount_point, "/proc");
  EXPECT_THAT((*table)[2].optional_fields, ElementsAre("unbindable", "propagate_from:4"));
  EXPECT_THAT((*table)[2].super_options, ElementsAre("rw", "size=8k"));
}

TEST(ParseMountInfoTest, DecodesOctalEscapesInEveryStringField) {
  Result<std::vector<MountInfo>> table = ParseMountInfo(
      "5 1 0:7 /a\\040b /mnt/x\\011y\\012z rw,x\\054y - fuse\\040z src\\134q "
      "rw,lowerdir=/l\\054m\n");
  ASSERT_TRUE(table.ok()) << table.error().message();
  const MountInfo& m = (*table)[0];
  EXPECT_EQ(m.root, "/a b");
  EXPECT_EQ(m.mount_point, "/mnt/x\ty\nz");
  EXPECT_THAT(m.mount_options, ElementsAre("rw", "x,y"));
  EXPECT_EQ(m.fs_type, "fuse z");
  EXPECT_EQ(m.source, "src\\q");
  EXPECT_THAT(m.super_options, ElementsAre("rw", "lowerdir=/l,m"));
}

TEST(ParseMountInfoTest, AcceptsAnEmptySourceAndAnEmptyText) {
  Result<std::vector<MountInfo>> table = ParseMountInfo("7 1 0:9 / /e rw - tmpfs  rw\n");
  ASSERT_TRUE(table.ok()) << table.error().message();
  EXPECT_EQ((*table)[0].source, "");
  EXPECT_EQ((*table)[0].fs_type, "tmpfs");

  Result<std::vector<MountInfo>> empty = ParseMountInfo("");
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, IsEmpty());
}

TEST(ParseMountInfoTest, ReadsLargeDeviceNumbers) {
  Result<std::vector<MountInfo>> table =
      ParseMountInfo("2147483647 1 4095:1048575 / /big rw - ext4 /dev/x rw\n");
  ASSERT_TRUE(table.ok()) << table.error().message();
  EXPECT_EQ((*table)[0].id, 2147483647);
  EXPECT_EQ((*table)[0].major, 4095u);
  EXPECT_EQ((*table)[0].minor, 1048575u);
}

struct BadLine {
  std::string text;
  std::string says;  // What the message must contain besides the line.
};

class ParseMountInfoErrorTest : public ::testing::TestWithParam<BadLine> {};

TEST_P(ParseMountInfoErrorTest, RefusesNamingTheLineAndTheFault) {
  const std::string good = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n";
  Result<std::vector<MountInfo>> table = ParseMountInfo(good + GetParam().text + "\n");
  ASSERT_FALSE(table.ok()) << GetParam().text;
  EXPECT_EQ(table.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(table.error().message(), HasSubstr("mountinfo line 2 "));
  EXPECT_THAT(table.error().message(), HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseMountInfoErrorTest,
    ::testing::Values(
        BadLine{"", "empty line"},
        BadLine{"1 0 8:1 / / rw ext4 /dev/sda1 rw", "no \"-\" separator"},
        BadLine{"1 0 8:1 / / rw - ext4 /dev/sda1", "found 2"},
        BadLine{"1 0 8:1 / / rw - ext4 /dev/sda1 rw extra", "found 4"},
        BadLine{"x 0 8:1 / / rw - ext4 /dev/sda1 rw", "mount id 'x' is not a number"},
        BadLine{"1 -1 8:1 / / rw - ext4 /dev/sda1 rw", "parent id '-1' is not a number"},
        BadLine{"99999999999 0 8:1 / / rw - ext4 /dev/sda1 rw", "mount id '99999999999'"},
        BadLine{"1 0 8 / / rw - ext4 /dev/sda1 rw", "device '8' is not MAJOR:MINOR"},
        BadLine{"1 0 8:x / / rw - ext4 /dev/sda1 rw", "device '8:x'"},
        BadLine{"1 0 8:1  / rw - ext4 /dev/sda1 rw", "root is empty"},
        BadLine{"1 0 8:1 / /a\\04 rw - ext4 /dev/sda1 rw", "mount point: bad escape '\\\\04'"},
        BadLine{"1 0 8:1 / /a\\777 rw - ext4 /dev/sda1 rw", "bad escape '\\\\777'"},
        BadLine{"1 0 8:1 / /a\\x41 rw - ext4 /dev/sda1 rw", "bad escape"},
        BadLine{"1 0 8:1 / / rw,,ro - ext4 /dev/sda1 rw", "option is empty"},
        BadLine{"1 0 8:1 / /  - ext4 /dev/sda1 rw", "mount options are empty"},
        BadLine{"1 0 8:1 / / rw  - ext4 /dev/sda1 rw", "optional field is empty"},
        BadLine{"1 0 8:1 / / rw - ext4 /dev/sda1 ", "super options are empty"},
        BadLine{"1 0 8:1 / / rw -  /dev/sda1 rw", "file-system type is empty"}));

TEST(FormatMountInfoTest, WritesWhatTheKernelWritesAndReadsBackEqual) {
  const std::vector<MountInfo> mounts = {
      {1, 0, 8, 1, "/", "/", {"rw", "relatime"}, {"shared:1"}, "ext4", "/dev/sda1", {"rw"}},
      {40, 1, 0, 42, "/a b", "/mnt/tab\there\nnl\\", {"ro"}, {}, "tmpfs", "", {"rw", "x=a,b"}}};
  const std::string text = FormatMountInfo(mounts);
  EXPECT_EQ(text,
            "1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            "40 1 0:42 /a\\040b /mnt/tab\\011here\\012nl\\134 ro - tmpfs  rw,x=a\\054b\n");
  Result<std::vector<MountInfo>> parsed = ParseMountInfo(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(*parsed, mounts);
}

}  // namespace
}  // namespace nsenter
