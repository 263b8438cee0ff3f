#include "nsenter/fuzz/resolver_input.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "fakehost/fixture.h"

namespace nsenter {
namespace {

using fakehost::EntryType;
using Listing = std::vector<std::tuple<std::string, EntryType, std::string>>;

Listing EntriesOf(const ResolverInput& decoded) {
  Listing listing;
  for (const fakehost::Entry& entry : decoded.tree.entries) {
    listing.emplace_back(entry.path, entry.type, entry.target);
  }
  return listing;
}

TEST(ResolverInputTest, DecodesEachKindOfLineAndItsEscapes) {
  const ResolverInput decoded = DecodeResolverInput(
      "d /a\n"
      "f /a/x\\x20y\n"
      "l /l ../a//x y/\n"
      "# a comment\n"
      "q /l/\\xff\\\\\\q\n"
      "q rel\\x00ative");
  EXPECT_EQ(EntriesOf(decoded), (Listing{{"/a", EntryType::kDirectory, ""},
                                         {"/a/x y", EntryType::kFile, ""},
                                         {"/l", EntryType::kSymlink, "../a//x y/"}}));
  EXPECT_EQ(decoded.queries,
            (std::vector<std::string>{"/l/\xff\\\\q", std::string("rel\0ative", 9)}));
  EXPECT_TRUE(fakehost::ValidateFixture(decoded.tree).ok());
}

TEST(ResolverInputTest, MakesEntryPathsCleanAndAddsTheirParents) {
  EXPECT_EQ(EntriesOf(DecodeResolverInput("f a//b/./../c/\n")),
            (Listing{{"/a", EntryType::kDirectory, ""}, {"/a/c", EntryType::kFile, ""}}));
}

TEST(ResolverInputTest, DropsEntriesTheTreeCannotHoldWithTheirParents) {
  const std::string beyond_name_max = "d /" + std::string(256, 'n') + "\n";
  const ResolverInput decoded = DecodeResolverInput(
      "f /f\n"
      "d /f/x/y\n"          // Inside a file.
      "f /f\n"              // Listed twice.
      "d /\n"               // The root.
      "l /no-target\n"      // Not a symlink line.
      "l /empty-target \n"  // Linux has no empty symlinks.
      "l /nul a\\x00b\n"    // readlink never returns a NUL.
      + beyond_name_max);
  EXPECT_EQ(EntriesOf(decoded), (Listing{{"/f", EntryType::kFile, ""}}));
}

TEST(ResolverInputTest, KeepsTreesAndPathsSmall) {
  std::string input;
  for (int i = 0; i < 20; ++i) input += "d /d" + std::to_string(i) + "\n";
  EXPECT_EQ(DecodeResolverInput(input).tree.entries.size(), kMaxTreeEntries);

  std::string deep = "f ";
  for (size_t i = 0; i < kMaxTreeEntries; ++i) deep += "/x";
  EXPECT_EQ(DecodeResolverInput(deep).tree.entries.size(), kMaxTreeEntries) << "15 parents, a file";
  EXPECT_TRUE(DecodeResolverInput(deep + "/x").tree.entries.empty()) << "one more level";

  const std::string component(200, 'c');
  std::string long_path = "f ";
  while (long_path.size() <= kMaxEntryPathBytes + 2) long_path += "/" + component;
  EXPECT_TRUE(DecodeResolverInput(long_path).tree.entries.empty());
}

TEST(ResolverInputTest, KeepsQueriesByteForByteUpToTheLimit) {
  std::string input = "q \nq //x/../.\n";
  for (int i = 0; i < 10; ++i) input += "q /" + std::to_string(i) + "\n";
  const ResolverInput decoded = DecodeResolverInput(input);
  ASSERT_EQ(decoded.queries.size(), kMaxQueries);
  EXPECT_EQ(decoded.queries[0], "");
  EXPECT_EQ(decoded.queries[1], "//x/../.");
  EXPECT_EQ(decoded.queries[7], "/5");
}

}  // namespace
}  // namespace nsenter
