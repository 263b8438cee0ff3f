#include "tools/nsenterctl/os_release.h"

#include "fakehost/fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nsenterctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(OsReleaseTest, ReadsKeysAndUnquotesValues) {
  const OsRelease release = ParseOsRelease(
      "# comment\nID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n\nNAME='x'\nnot a field\n");
  EXPECT_THAT(release.fields, ElementsAre(Pair("ID", "debian"), Pair("NAME", "x"),
                                          Pair("PRETTY_NAME", "Debian GNU/Linux 12")));
  EXPECT_TRUE(release.notes.empty());
}

// Two keys that differ only in bytes that are not UTF-8 were written as one
// key (both bytes replaced by U+FFFD), and the fixture then did not load.
TEST(OsReleaseTest, LeavesOutLinesThatAreNotUtf8WithANote) {
  const OsRelease release = ParseOsRelease("K\xff=1\nK\xfe=2\nID=x\nV=caf\xe9\n");
  EXPECT_THAT(release.fields, ElementsAre(Pair("ID", "x")));
  ASSERT_EQ(release.notes.size(), 3u);
  EXPECT_THAT(release.notes[0], HasSubstr("it is not UTF-8"));
  EXPECT_THAT(release.notes[0], HasSubstr("'K\\xff=1'"));

  // What is kept survives a fixture's round trip through the loader.
  nsenter::fakehost::Fixture fixture;
  fixture.host = {"h", "nsenterctl record", "", "", release.fields};
  const nsenter::Result<nsenter::fakehost::Fixture> loaded =
      nsenter::fakehost::ParseFixture(nsenter::fakehost::FormatFixture(fixture), "recorded");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(loaded->host.os_release, release.fields);
}

}  // namespace
}  // namespace nsenterctl
