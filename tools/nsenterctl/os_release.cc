#include "tools/nsenterctl/os_release.h"

#include "fakehost/byte_string.h"
#include "nsenter/quote.h"

namespace nsenterctl {

OsRelease ParseOsRelease(const std::string& text) {
  OsRelease release;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    const size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    if (!nsenter::fakehost::IsValidUtf8(line)) {
      release.notes.push_back("os-release line " + nsenter::Quote(line) +
                              " not recorded: it is not UTF-8");
      continue;
    }
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    release.fields[line.substr(0, equals)] = value;
  }
  return release;
}

}  // namespace nsenterctl
