// Replays the mountinfo fuzzer's committed inputs (its seeds and reproducers
// of past findings) through the fuzzer's own check, built with the default
// toolchain; and checks the check itself on a table written out and parsed.
#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <vector>

#include "fakehost/fuzz/corpus.h"
#include "nsenter/fuzz/mountinfo_check.h"

namespace nsenter {
namespace {

TEST(MountInfoCorpusTest, EveryCommittedInputKeepsTheFuzzedProperties) {
  const std::vector<fakehost::CorpusInput> corpus =
      fakehost::ReadCorpus({"nsenter/fuzz/corpus/mountinfo"});
  ASSERT_GE(corpus.size(), 5u) << "the corpus was not found in the runfiles";
  for (const fakehost::CorpusInput& input : corpus) {
    std::cerr << "replaying " << input.file << "\n";  // Names the culprit of a crash.
    EXPECT_EQ(CheckMountInfoInput(input.bytes), std::nullopt) << input.file;
  }
}

TEST(MountInfoCorpusTest, WrittenTablesEscapeAsTheKernelDoes) {
  MountInfo m;
  m.id = 3;
  m.parent_id = 1;
  m.major = 0;
  m.minor = 42;
  m.root = "/";
  m.mount_point = "/a b\\c";
  m.mount_options = {"rw", "x,y"};
  m.optional_fields = {"shared:2"};
  m.fs_type = "tmpfs";
  m.source = "";
  m.super_options = {"rw"};
  EXPECT_EQ(WriteMountInfo({m}), "3 1 0:42 / /a\\040b\\134c rw,x\\054y shared:2 - tmpfs  rw\n");
}

}  // namespace
}  // namespace nsenter
