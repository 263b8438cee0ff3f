#include "nsenter/quote.h"

#include <string>

#include "gtest/gtest.h"

namespace nsenter {
namespace {

TEST(QuoteTest, PrintableTextIsQuotedAsIs) { EXPECT_EQ(Quote("/var/lib a"), "'/var/lib a'"); }

TEST(QuoteTest, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(Quote("it's"), "'it\\'s'");
  EXPECT_EQ(Quote("a\\b"), "'a\\\\b'");
  EXPECT_EQ(Quote("nl\n"), "'nl\\n'");
  EXPECT_EQ(Quote(std::string("a\0b", 3)), "'a\\0b'");
  EXPECT_EQ(Quote("\xff\x01"), "'\\xff\\x01'");
}

TEST(QuoteTest, ArgvIsQuotedWordByWord) {
  EXPECT_EQ(QuoteArgv({"nsenter", "--", "a b"}), "'nsenter' '--' 'a b'");
}

}  // namespace
}  // namespace nsenter
