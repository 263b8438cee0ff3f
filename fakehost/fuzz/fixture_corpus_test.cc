// Replays the fixture fuzzer's committed inputs (its seeds, reproducers of
// past findings, and the recorded fixtures in testdata/hosts) through the
// fuzzer's own check, built with the default toolchain.
#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "fakehost/fuzz/corpus.h"
#include "fakehost/fuzz/fixture_check.h"

namespace nsenter::fakehost {
namespace {

TEST(FixtureCorpusTest, EveryCommittedInputKeepsTheFuzzedProperties) {
  const std::vector<CorpusInput> corpus =
      ReadCorpus({"fakehost/fuzz/corpus/fixture", "testdata/hosts"});
  ASSERT_GE(corpus.size(), 10u) << "the corpus was not found in the runfiles";
  for (const CorpusInput& input : corpus) {
    std::cerr << "replaying " << input.file << "\n";  // Names the culprit of a crash.
    EXPECT_EQ(CheckFixtureInput(input.bytes), std::nullopt) << input.file;
  }
}

}  // namespace
}  // namespace nsenter::fakehost
