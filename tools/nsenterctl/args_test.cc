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

TEST(ParseArgsTest, ShortNamesAreTheSameOptions) {
  const std::vector<OptionSpec> specs = {{"type", true, false, 't'}, {"parents", false, false, 'p'}};
  const ParsedArgs args = ParseArgs({"-t", "tmpfs", "-p", "/x", "-p"}, specs);
  EXPECT_EQ(args.Value("type"), "tmpfs");
  EXPECT_TRUE(args.Has("parents"));
  EXPECT_EQ(args.operands(), (std::vector<std::string>{"/x", "-p"}));
  EXPECT_THROW(ParseArgs({"-t", "a", "--type", "b"}, specs), UsageError);  // Given twice.
  EXPECT_THROW(ParseArgs({"-t"}, specs), UsageError);                      // No value.
  EXPECT_THROW(ParseArgs({"-ttmpfs"}, specs), UsageError);                 // One letter each.
  EXPECT_THROW(ParseArgs({"-pt", "tmpfs"}, specs), UsageError);
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

TEST(ParseDurationTest, ABareNumberIsSeconds) {
  EXPECT_EQ(ParseDuration("7"), std::chrono::seconds(7));
  EXPECT_EQ(ParseDuration("0.25"), std::chrono::milliseconds(250));
}

TEST(ParseDurationTest, Units) {
  EXPECT_EQ(ParseDuration("1500ms"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseDuration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(ParseDuration("1h"), std::chrono::hours(1));
  EXPECT_EQ(ParseDuration("0.5h"), std::chrono::minutes(30));
  EXPECT_EQ(ParseDuration("999999999h"), std::chrono::hours(999999999));
}

// The message of the UsageError ParseDuration throws for `text`.
std::string DurationError(const std::string& text) {
  try {
    ParseDuration(text);
  } catch (const UsageError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(ParseDurationTest, MistakesAreUsageErrorsNamingTheInput) {
  const std::string forms = " (want a number of seconds, or a number with a unit: 500ms, 1.5s, 2m, 1h)";
  for (const char* bad : {"", "s", "-1s", "1d", "1.s", ".5s", "1.2345s", "1e3", "1 s",
                          "1000000000s", "soon"}) {
    EXPECT_EQ(DurationError(bad), std::string("invalid duration '") + bad + "'" + forms) << bad;
  }
  EXPECT_EQ(DurationError("0"), "duration '0' must be positive");
  EXPECT_EQ(DurationError("0.000s"), "duration '0.000s' must be positive");
  EXPECT_EQ(DurationError("1.5ms"), "duration '1.5ms' is finer than a millisecond");
}

TEST(AbsolutePathOperandTest, RefusesWhatTheLibraryRefuses) {
  EXPECT_EQ(AbsolutePathOperand("path", "/a"), "/a");
  EXPECT_THROW(AbsolutePathOperand("path", ""), UsageError);
  EXPECT_THROW(AbsolutePathOperand("path", std::string("/a\0b", 4)), UsageError);
  try {
    AbsolutePathOperand("host path", "a/b");
    ADD_FAILURE() << "a relative path was accepted";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(), "host path 'a/b' is not absolute");
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
