#include "fakehost/fuzz/corpus.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace nsenter::fakehost {
namespace {

// `dir` in the runfiles of the running test, or `dir` itself outside Bazel.
std::filesystem::path RunfilesPath(const std::string& dir) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return dir;
  return std::filesystem::path(srcdir) / workspace / dir;
}

}  // namespace

std::vector<CorpusInput> ReadCorpus(const std::vector<std::string>& dirs) {
  std::vector<std::filesystem::path> files;
  for (const std::string& dir : dirs) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(RunfilesPath(dir), error)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<CorpusInput> corpus;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    corpus.push_back({file.string(), std::string(std::istreambuf_iterator<char>(in), {})});
  }
  return corpus;
}

}  // namespace nsenter::fakehost
