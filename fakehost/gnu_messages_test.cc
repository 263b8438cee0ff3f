#include "fakehost/gnu_messages.h"

#include <string>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gtest/gtest.h"
#include "nsenter/process_executor.h"

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
  // gnulib's test expects ''$'\t'\'''$'\t' here; coreutils 9.1's gnulib
  // starts its second pass inside the escape the first pass ended in (see
  // AgreesWithTheRealRealpathOverGeneratedNames), and realpath prints this.
  EXPECT_EQ(QuoteFileName("\t'\t"), "'\\t'\\'''$'\\t'");
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

// Every name of 1 to 3 bytes over an alphabet of the bytes that decide the
// quoting, and names from reports, quoted as the real GNU realpath quotes them
// in `realpath: NAME: No such file or directory` (none exists in an empty
// working directory).
TEST(QuoteFileNameTest, AgreesWithTheRealRealpathOverGeneratedNames) {
  const char* realpath = "/usr/bin/realpath";
  nsenter::Result<std::string> version =
      nsenter::ProcessExecutor().Command(realpath, {"--version"})->Output();
  if (!version.ok() || version->find("(GNU coreutils)") == std::string::npos) {
    GTEST_SKIP() << "no GNU realpath at " << realpath;
  }
  const std::string alphabet = std::string("a'\n\x01 \xff\"$:~#{\\", 13);
  std::vector<std::string> names = {"/tmp/it's\n", "it's\x01x", "\x01'\x02", "a'b\xff"};
  for (const char a : alphabet) {
    names.push_back({a});
    for (const char b : alphabet) {
      names.push_back({a, b});
      for (const char c : alphabet) names.push_back({a, b, c});
    }
  }
  TempDir empty;
  std::vector<std::string> args = {"-e", "--"};
  args.insert(args.end(), names.begin(), names.end());
  std::unique_ptr<nsenter::Cmd> cmd = nsenter::ProcessExecutor().Command(realpath, args);
  cmd->SetEnv({"LC_ALL=C"});
  cmd->SetDir(empty.path());
  nsenter::Result<std::string> out = cmd->Output();
  ASSERT_FALSE(out.ok()) << "some name exists";
  const std::string& err = out.error().stderr_data();
  size_t start = 0;
  size_t differ = 0;
  for (const std::string& name : names) {
    const size_t end = err.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "fewer lines than names";
    const std::string line = err.substr(start, end - start);
    start = end + 1;
    const std::string expected =
        std::string(realpath) + ": " + QuoteFileName(name) + ": No such file or directory";
    if (line != expected && ++differ <= 5) ADD_FAILURE() << line << "\n  emulated: " << expected;
  }
  EXPECT_EQ(differ, 0u) << "of " << names.size() << " names";
}

// As coreutils 9.1's stat and touch quote names ("cannot statx %s").
TEST(QuoteFileNameAlwaysTest, AsStatPrintsNames) {
  EXPECT_EQ(QuoteFileNameAlways("/nope/plain"), "'/nope/plain'");
  EXPECT_EQ(QuoteFileNameAlways("/nope/a b"), "'/nope/a b'");
  EXPECT_EQ(QuoteFileNameAlways("/nope/it's"), "\"/nope/it's\"");
  EXPECT_EQ(QuoteFileNameAlways("/nope/nl\nx"), "'/nope/nl'$'\\n''x'");
  EXPECT_EQ(QuoteFileNameAlways("/nope/back\\slash"), "'/nope/back\\slash'");
  EXPECT_EQ(QuoteFileNameAlways("/nope/co:lon"), "'/nope/co:lon'");
  EXPECT_EQ(QuoteFileNameAlways("/nope/dq\"x"), "'/nope/dq\"x'");
}

// As coreutils 9.1's mkdir quotes names ("cannot create directory %s").
TEST(QuoteLocaleTest, AsMkdirPrintsNames) {
  EXPECT_EQ(QuoteLocale("/tmp/plain"), "'/tmp/plain'");
  EXPECT_EQ(QuoteLocale("/tmp/a b"), "'/tmp/a b'");
  EXPECT_EQ(QuoteLocale("/tmp/it's"), "'/tmp/it\\'s'");
  EXPECT_EQ(QuoteLocale("/tmp/nl\nx"), "'/tmp/nl\\nx'");
  EXPECT_EQ(QuoteLocale("/tmp/back\\slash"), "'/tmp/back\\\\slash'");
  EXPECT_EQ(QuoteLocale("/tmp/dq\"x"), "'/tmp/dq\"x'");
  EXPECT_EQ(QuoteLocale("/tmp/hi\xff"), "'/tmp/hi\\377'");
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
