#include "tools/nsenterctl/args.h"

#include <stdlib.h>

#include "gtest/gtest.h"

namespace nsenterctl {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {"rootfs", true, false}, {"probe", true, true}, {"json", false, false}};

TEST(ParseArgsTest, OptionsThenOperands) {
  const ParsedArgs args = ParseArgs({"--rootfs", "/r", "--json", "/a", "--json"}, kSpecs);
  EXPECT_EQ(args.Value("rootfs"), "/r");
  EXPECT_TRUE(args.Has("json"));
  // Parsing stops at the first operand: later words are operands.
  EXPECT_EQ(args.operands(), (std::vector<std::string>{"/a", "--json"}));
}

TEST(ParseArgsTest, EqualsFormRepeatsAndDoubleDash) {
  const ParsedArgs args =
      ParseArgs({"--rootfs=/r", "--probe", "/a", "--probe=/b", "--", "-x", "--help"}, kSpecs);
  EXPECT_EQ(args.Value("rootfs"), "/r");
  EXPECT_EQ(args.Values("probe"), (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(args.operands(), (std::vector<std::string>{"-x", "--help"}));
  EXPECT_EQ(args.Value("absent", "dflt"), "dflt");
}

TEST(ParseArgsTest, MistakesAreUsageErrors) {
  EXPECT_THROW(ParseArgs({"--bogus"}, kSpecs), UsageError);
  EXPECT_THROW(ParseArgs({"-x"}, kSpecs), UsageError);
  EXPECT_THROW(ParseArgs({"--rootfs"}, kSpecs), UsageError);
  EXPECT_THROW(ParseArgs({"--json=yes"}, kSpecs), UsageError);
  EXPECT_THROW(ParseArgs({"--rootfs", "/a", "--rootfs", "/b"}, kSpecs), UsageError);
  try {
    ParseArgs({"--rootfs"}, kSpecs);
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(), "option '--rootfs' needs a value");
  }
}

TEST(ParseDurationTest, Units) {
  EXPECT_EQ(ParseDuration("1500ms"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(ParseDuration("7"), std::chrono::seconds(7));
  for (const char* bad : {"", "s", "-1s", "1h", "0", "1.5s", "99999999999s"}) {
    EXPECT_THROW(ParseDuration(bad), UsageError) << bad;
  }
}

TEST(UserPathTest, RelativePathsResolveAgainstTheUsersDirectory) {
  ASSERT_EQ(setenv("BUILD_WORKING_DIRECTORY", "/home/user/src", 1), 0);
  EXPECT_EQ(UserPath("fixture.json"), "/home/user/src/fixture.json");
  EXPECT_EQ(UserPath("/abs"), "/abs");
  ASSERT_EQ(unsetenv("BUILD_WORKING_DIRECTORY"), 0);
}

}  // namespace
}  // namespace nsenterctl
