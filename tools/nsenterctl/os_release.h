// Reading a host's /etc/os-release (os-release(5)) into a fixture's
// host.os_release.
//
// Thread-safety: pure function.
#ifndef TOOLS_NSENTERCTL_OS_RELEASE_H_
#define TOOLS_NSENTERCTL_OS_RELEASE_H_

#include <map>
#include <string>
#include <vector>

namespace nsenterctl {

struct OsRelease {
  std::map<std::string, std::string> fields;  // KEY -> value, outer quotes removed.
  // One note per line left out because its key or value is not UTF-8, which
  // a fixture's metadata (plain JSON text) cannot carry without loss.
  std::vector<std::string> notes;
};

// The KEY=value lines of `text`; comments, blank lines and lines without '='
// are ignored, and a later line wins over an earlier one with the same key.
OsRelease ParseOsRelease(const std::string& text);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_OS_RELEASE_H_
