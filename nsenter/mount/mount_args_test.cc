#include "nsenter/mount/mount_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nsenter {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::vector<std::string>> ArgsOf(const MountRequest& request) {
  Result<std::vector<MountCommand>> commands = BuildMountCommands(request);
  EXPECT_TRUE(commands.ok()) << commands.error().message();
  std::vector<std::vector<std::string>> args;
  if (commands.ok()) {
    for (const MountCommand& command : *commands) args.push_back(command.args);
  }
  return args;
}

TEST(BuildMountCommandsTest, TypeOptionsThenSourceAndTargetAfterDoubleDash) {
  EXPECT_THAT(ArgsOf({"tmpfs", "/mnt/t", "tmpfs", {"size=8m", "mode=0755"}, {}}),
              ElementsAre(ElementsAre("-t", "tmpfs", "-o", "size=8m,mode=0755", "--", "tmpfs",
                                      "/mnt/t")));
}

TEST(BuildMountCommandsTest, LeavesOutAnEmptyTypeAndNoOptions) {
  EXPECT_THAT(ArgsOf({"/dev/sdb1", "/mnt/d", "", {}, {}}),
              ElementsAre(ElementsAre("--", "/dev/sdb1", "/mnt/d")));
}

TEST(BuildMountCommandsTest, PlainBindIsOneCommand) {
  EXPECT_THAT(ArgsOf({"/var/a", "/mnt/a", "", {"bind"}, {}}),
              ElementsAre(ElementsAre("-o", "bind", "--", "/var/a", "/mnt/a")));
}

TEST(BuildMountCommandsTest, BindWithOptionsIsBindThenRemount) {
  EXPECT_THAT(ArgsOf({"/var/a", "/mnt/a", "", {"ro", "rbind", "nosuid"}, {}}),
              ElementsAre(ElementsAre("-o", "rbind", "--", "/var/a", "/mnt/a"),
                          ElementsAre("-o", "rbind,remount,ro,nosuid", "--", "/var/a", "/mnt/a")));
}

TEST(BuildMountCommandsTest, SensitiveOptionsAreRunAfterTheOthers) {
  Result<std::vector<MountCommand>> commands = BuildMountCommands(
      {"//server/share", "/mnt/s", "cifs", {"vers=3.0"}, {"username=u", "password=hunter2"}});
  ASSERT_TRUE(commands.ok()) << commands.error().message();
  ASSERT_EQ(commands->size(), 1u);
  EXPECT_THAT((*commands)[0].args,
              ElementsAre("-t", "cifs", "-o", "vers=3.0,username=u,password=hunter2", "--",
                          "//server/share", "/mnt/s"));
}

TEST(BuildMountCommandsTest, SensitiveOptionsOfABindGoToTheRemountOnly) {
  Result<std::vector<MountCommand>> commands =
      BuildMountCommands({"/var/a", "/mnt/a", "", {"bind"}, {"secret=x"}});
  ASSERT_TRUE(commands.ok()) << commands.error().message();
  ASSERT_EQ(commands->size(), 2u);
  EXPECT_THAT((*commands)[0].args, ElementsAre("-o", "bind", "--", "/var/a", "/mnt/a"));
  EXPECT_THAT((*commands)[1].args,
              ElementsAre("-o", "bind,remount,secret=x", "--", "/var/a", "/mnt/a"));
}

TEST(BuildMountCommandsTest, ASensitiveOptionIsNeverShownInAnError) {
  Result<std::vector<MountCommand>> commands =
      BuildMountCommands({"tmpfs", "/mnt/t", "tmpfs", {}, {"password=hunter2", "p=x,suid"}});
  ASSERT_FALSE(commands.ok());
  EXPECT_EQ(commands.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(commands.error().message(), HasSubstr("sensitive option #2 holds a comma"));
  EXPECT_THAT(commands.error().message(), Not(HasSubstr("p=x")));
  EXPECT_THAT(commands.error().message(), Not(HasSubstr("hunter2")));
}

TEST(BuildUnmountArgsTest, TargetAfterDoubleDash) {
  Result<std::vector<std::string>> args = BuildUnmountArgs("/mnt/-x");
  ASSERT_TRUE(args.ok()) << args.error().message();
  EXPECT_THAT(*args, ElementsAre("--", "/mnt/-x"));
}

struct Refused {
  MountRequest request;
  std::string says;
};

class BuildMountCommandsRefusalTest : public ::testing::TestWithParam<Refused> {};

TEST_P(BuildMountCommandsRefusalTest, RefusesWithAMessageNamingTheFault) {
  Result<std::vector<MountCommand>> commands = BuildMountCommands(GetParam().request);
  ASSERT_FALSE(commands.ok()) << GetParam().says;
  EXPECT_EQ(commands.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(commands.error().message(), HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    HostileInput, BuildMountCommandsRefusalTest,
    ::testing::Values(
        Refused{{"tmpfs", "", "tmpfs", {}, {}}, "mount target is empty"},
        Refused{{"tmpfs", "mnt/t", "tmpfs", {}, {}}, "mount target 'mnt/t' is not absolute"},
        Refused{{"tmpfs", std::string("/mnt\0/t", 7), "tmpfs", {}, {}}, "contains a NUL byte"},
        Refused{{"", "/mnt/t", "tmpfs", {}, {}}, "mount source is empty"},
        Refused{{"-oexec", "/mnt/t", "tmpfs", {}, {}}, "mount source '-oexec' starts with '-'"},
        Refused{{std::string("a\0b", 3), "/mnt/t", "tmpfs", {}, {}}, "contains a NUL byte"},
        Refused{{"var/a", "/mnt/a", "", {"bind"}, {}}, "bind source 'var/a' is not absolute"},
        Refused{{"tmpfs", "/mnt/t", "-oexec", {}, {}}, "file-system type '-oexec'"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs,suid", {}, {}}, "is not a plain name"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"nosuid,suid"}, {}},
                "mount option 'nosuid,suid' holds a comma"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"size=1m,exec"}, {}}, "holds a comma"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"context=\"a", "dev\""}, {}},
                "holds a double quote"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"ro\nsuid"}, {}}, "holds a control character"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {std::string("ro\0dev", 6)}, {}},
                "holds a control character"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {""}, {}}, "mount option '' is empty"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"=suid"}, {}}, "starts with '-' or '='"},
        Refused{{"tmpfs", "/mnt/t", "tmpfs", {"-oexec"}, {}}, "starts with '-' or '='"}));

class BuildUnmountArgsRefusalTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BuildUnmountArgsRefusalTest, RefusesABadTarget) {
  Result<std::vector<std::string>> args = BuildUnmountArgs(GetParam());
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(args.error().message(), HasSubstr("unmount target"));
}

INSTANTIATE_TEST_SUITE_P(HostileInput, BuildUnmountArgsRefusalTest,
                         ::testing::Values("", "-l", "mnt", std::string("/m\0n", 4)));

}  // namespace
TEST(ParseOctalModeTest, TakesOneToFourOctalDigitsAndNothingElse) {
  EXPECT_EQ(ParseOctalMode("0"), mode_t{0});
  EXPECT_EQ(ParseOctalMode("750"), mode_t{0750});
  EXPECT_EQ(ParseOctalMode("2775"), mode_t{02775});
  EXPECT_EQ(ParseOctalMode("7777"), mode_t{07777});
  for (const char* refused : {"", "8", "07777", "12345", "-1", "+7", " 7", "7 ", "0x7", "75a"}) {
    EXPECT_EQ(ParseOctalMode(refused), std::nullopt) << refused;
  }
}

}  // namespace nsenter
