#include "nsenter/tool_messages.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace nsenter {
namespace {

TEST(ToolMessagesTest, TheTextEndingTheLastLineGivesTheCodeItsErrnoHasNatively) {
  const struct {
    std::string stderr_data;
    ErrorCode code;
    std::string text;
  } cases[] = {
      {"stat: cannot statx '/a/b': No such file or directory\n", ErrorCode::kNotFound,
       "No such file or directory"},
      {"stat: cannot statx '/etc/passwd/x': Not a directory\n", ErrorCode::kNotADirectory,
       "Not a directory"},
      {"mkdir: cannot stat '/p/loop': Too many levels of symbolic links\n", ErrorCode::kLoop,
       "Too many levels of symbolic links"},
      {"touch: cannot touch '/root/x': Permission denied\n", ErrorCode::kPermissionDenied,
       "Permission denied"},
      {"mkdir: cannot create directory '/ro/d': Read-only file system\n",
       ErrorCode::kPermissionDenied, "Read-only file system"},
      {"realpath: /a: File name too long", ErrorCode::kNameTooLong, "File name too long"},
      {"mkdir: cannot create directory '/sys/x': Operation not permitted\n",
       ErrorCode::kPermissionDenied, "Operation not permitted"},
      {"mkdir: cannot create directory '/d': File exists\n", ErrorCode::kAlreadyExists,
       "File exists"},
      // The last line counts, blank lines after it aside.
      {"warning: No such file or directory\ntouch: cannot touch '/d': Not a directory\n\n",
       ErrorCode::kNotADirectory, "Not a directory"},
  };
  for (const auto& c : cases) {
    const std::optional<ReportedError> reported = ReportedErrorOf(c.stderr_data);
    ASSERT_TRUE(reported.has_value()) << c.stderr_data;
    EXPECT_EQ(reported->code, c.code) << c.stderr_data;
    EXPECT_EQ(reported->text, c.text) << c.stderr_data;
  }
}

TEST(ToolMessagesTest, AMessageWithoutAKnownTextAtTheEndReportsNothing) {
  for (const std::string stderr_data :
       {"", "\n", "stat: missing operand\n", "mkdir: cannot create directory '/d': Disk quota exceeded\n",
        "No such file or directory\n",  // Not after ": ".
        "touch: cannot touch '/d': Not a directory\nand then something else\n"}) {
    EXPECT_FALSE(ReportedErrorOf(stderr_data).has_value()) << stderr_data;
  }
}

}  // namespace
}  // namespace nsenter
