#include "fakehost/gnu_messages.h"

#include <string>

#include "gtest/gtest.h"

namespace nsenter::fakehost {
namespace {

// What GNU realpath printed for these names (hostile-inputs.md, E1 and E4).
TEST(QuoteFileNameTest, AsRealpathPrintsNames) {
  EXPECT_EQ(QuoteFileName("/nonexist dir/x"), "'/nonexist dir/x'");
  EXPECT_EQ(QuoteFileName("/tmp/a\nb"), "'/tmp/a'$'\\n''b'");
  EXPECT_EQ(QuoteFileName("/tmp/it's"), "\"/tmp/it's\"");
  EXPECT_EQ(QuoteFileName(""), "''");
  EXPECT_EQ(QuoteFileName("f/"), "f/");
  EXPECT_EQ(QuoteFileName("-x"), "-x");
}

// gnulib's own expectations for quotearg_colon in shell-escape style
// (tests/test-quotearg-simple.c, the quoting coreutils' quotef uses).
TEST(QuoteFileNameTest, AsGnulibTestsExpect) {
  EXPECT_EQ(QuoteFileName("simple"), "simple");
  EXPECT_EQ(QuoteFileName("\t'\t"), "''$'\\t'\\'''$'\\t'");
  EXPECT_EQ(QuoteFileName(" \t\n'\"\033?\?/\\"), "' '$'\\t\\n'\\''\"'$'\\033''?\?/\\'");
  EXPECT_EQ(QuoteFileName("a:b"), "'a:b'");
  EXPECT_EQ(QuoteFileName("a\\b"), "'a\\b'");
  EXPECT_EQ(QuoteFileName("a' b"), "\"a' b\"");
}

TEST(QuoteFileNameTest, ShellSpecialCharactersOnlyWhereTheShellWouldExpandThem) {
  EXPECT_EQ(QuoteFileName("/a~b#c{d}"), "/a~b#c{d}");
  EXPECT_EQ(QuoteFileName("~x"), "'~x'");
  EXPECT_EQ(QuoteFileName("#x"), "'#x'");
  EXPECT_EQ(QuoteFileName("{"), "'{'");
  EXPECT_EQ(QuoteFileName("/a$b"), "'/a$b'");
  EXPECT_EQ(QuoteFileName("/a*b"), "'/a*b'");
  EXPECT_EQ(QuoteFileName("/a@b"), "/a@b");
  // A single quote with a character that double quotes would expand.
  EXPECT_EQ(QuoteFileName("it's $HOME"), "'it'\\''s $HOME'");
  // "#" after the start is plain, but not safe inside double quotes.
  EXPECT_EQ(QuoteFileName("a#b's"), "'a#b'\\''s'");
}

TEST(QuoteFileNameTest, BytesThatAreNotPrintableAreOctalInTheCLocale) {
  EXPECT_EQ(QuoteFileName("/tmp/f\xff"), "'/tmp/f'$'\\377'");
  EXPECT_EQ(QuoteFileName("caf\xc3\xa9"), "'caf'$'\\303\\251'");
  EXPECT_EQ(QuoteFileName("a\x7f"), "'a'$'\\177'");
  EXPECT_EQ(QuoteFileName("\x01z"), "''$'\\001''z'");
  EXPECT_EQ(QuoteFileName("nl\n"), "'nl'$'\\n'");
}

TEST(LookupErrorTextTest, CLocaleStrerrorOfLookupErrors) {
  EXPECT_EQ(LookupErrorText(ErrorCode::kNotFound), "No such file or directory");
  EXPECT_EQ(LookupErrorText(ErrorCode::kNotADirectory), "Not a directory");
  EXPECT_EQ(LookupErrorText(ErrorCode::kLoop), "Too many levels of symbolic links");
  EXPECT_EQ(LookupErrorText(ErrorCode::kPermissionDenied), "Permission denied");
  EXPECT_EQ(LookupErrorText(ErrorCode::kNameTooLong), "File name too long");
  EXPECT_EQ(LookupErrorText(ErrorCode::kInternal), std::nullopt);
}

}  // namespace
}  // namespace nsenter::fakehost
