// libFuzzer target: CheckMountInfoInput (mountinfo_check.h) on every input,
// which aborts on a broken property. Built with clang by tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "nsenter/fuzz/mountinfo_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> broken =
      nsenter::CheckMountInfoInput(std::string_view(reinterpret_cast<const char*>(data), size));
  if (broken) {
    std::fprintf(stderr, "mountinfo_fuzzer: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
