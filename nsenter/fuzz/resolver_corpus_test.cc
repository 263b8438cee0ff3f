// Replays the resolver fuzzer's committed inputs (its seeds and reproducers
// of past findings) through the fuzzer's own check, built with the default
// toolchain.
#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <vector>

#include "fakehost/fuzz/corpus.h"
#include "nsenter/fuzz/resolver_check.h"

namespace nsenter {
namespace {

TEST(ResolverCorpusTest, EveryCommittedInputKeepsTheFuzzedProperties) {
  const std::vector<fakehost::CorpusInput> corpus =
      fakehost::ReadCorpus({"nsenter/fuzz/corpus/resolver"});
  ASSERT_GE(corpus.size(), 5u) << "the corpus was not found in the runfiles";
  for (const fakehost::CorpusInput& input : corpus) {
    std::cerr << "replaying " << input.file << "\n";  // Names the culprit of a crash.
    EXPECT_EQ(CheckResolverInput(input.bytes), std::nullopt) << input.file;
  }
}

}  // namespace
}  // namespace nsenter
