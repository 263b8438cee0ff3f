// libFuzzer target: CheckFixtureInput (fixture_check.h) on every input, which
// aborts on a broken property. Built with clang by tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fakehost/fuzz/fixture_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> broken = nsenter::fakehost::CheckFixtureInput(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (broken) {
    std::fprintf(stderr, "fixture_fuzzer: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
