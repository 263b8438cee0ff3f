// The committed inputs of the fuzz targets, for the tests that replay them
// under `bazel test`: seeds, and reproducers of crashes once found, so that
// what a fuzzer found stays fixed.
//
// Thread-safety: no shared state.
#ifndef FAKEHOST_FUZZ_CORPUS_H_
#define FAKEHOST_FUZZ_CORPUS_H_

#include <string>
#include <vector>

namespace nsenter::fakehost {

struct CorpusInput {
  std::string file;   // Path of the file, for messages.
  std::string bytes;  // Its contents.
};

// Every regular file directly in each of `dirs` (paths relative to the
// workspace, found in the test's runfiles), sorted by path. A directory that
// is missing or unreadable contributes nothing; tests check the count.
std::vector<CorpusInput> ReadCorpus(const std::vector<std::string>& dirs);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_FUZZ_CORPUS_H_
