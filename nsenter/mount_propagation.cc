#include "nsenter/mount_propagation.h"

#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <fstream>
#include <sstream>
#include <vector>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (start < line.size()) {
    const size_t end = std::min(line.find(' ', start), line.size());
    if (end > start) fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool escaped = text[i] == '\\' && i + 3 < text.size() &&
                         text.substr(i + 1, 3).find_first_not_of("01234567") == std::string_view::npos;
    if (escaped) {
      out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool Holds(const std::string& mount_point, const std::string& path) {
  if (mount_point == "/") return true;
  return path == mount_point ||
         (path.starts_with(mount_point) && path[mount_point.size()] == '/');
}

Propagation FromOptionalFields(const std::vector<std::string_view>& optional) {
  bool shared = false, slave = false, unbindable = false;
  for (const std::string_view field : optional) {
    shared = shared || field.starts_with("shared:");
    slave = slave || field.starts_with("master:");
    unbindable = unbindable || field == "unbindable";
  }
  if (shared && slave) return Propagation::kSharedAndSlave;
  if (shared) return Propagation::kShared;
  if (slave) return Propagation::kSlave;
  return unbindable ? Propagation::kUnbindable : Propagation::kPrivate;
}

}  // namespace

std::string_view PropagationName(Propagation propagation) {
  switch (propagation) {
    case Propagation::kShared: return "shared";
    case Propagation::kSlave: return "slave";
    case Propagation::kSharedAndSlave: return "shared and slave";
    case Propagation::kPrivate: return "private";
    case Propagation::kUnbindable: return "unbindable";
  }
  return "unknown";
}

Result<MountPropagation> ParseMountPropagation(std::string_view mountinfo, const std::string& path) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  const std::string clean = CleanAbsolutePath(path);
  std::optional<MountPropagation> best;
  size_t start = 0;
  while (start < mountinfo.size()) {
    const size_t end = std::min(mountinfo.find('\n', start), mountinfo.size());
    const std::string_view line = mountinfo.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    const std::vector<std::string_view> fields = Fields(line);
    size_t separator = 6;
    while (separator < fields.size() && fields[separator] != "-") ++separator;
    if (fields.size() < 7 || separator >= fields.size()) {
      return Error(ErrorCode::kInternal, "not a mountinfo line: " + Quote(line));
    }
    const std::string mount_point = Unescape(fields[4]);
    if (!Holds(mount_point, clean)) continue;
    if (best && mount_point.size() < best->mount_point.size()) continue;
    best = MountPropagation{
        mount_point,
        FromOptionalFields({fields.begin() + 6, fields.begin() + static_cast<long>(separator)})};
  }
  if (!best) return Error(ErrorCode::kNotFound, "no mount holds " + Quote(path));
  return *best;
}

Result<MountPropagation> MountPropagationOf(const std::string& path) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  char resolved[PATH_MAX];
  const std::string lookup = realpath(path.c_str(), resolved) != nullptr ? resolved : path;
  std::ifstream file("/proc/self/mountinfo");
  std::stringstream text;
  if (!file || !(text << file.rdbuf())) {
    return Error(ErrorCodeFromErrno(errno),
                 std::string("cannot read /proc/self/mountinfo: ") + std::strerror(errno));
  }
  return ParseMountPropagation(text.str(), lookup);
}

}  // namespace nsenter
