#include "nsenter/tool_messages.h"

#include <array>
#include <cerrno>
#include <string>
#include <utility>

namespace nsenter {
namespace {

// The strerror texts of the C locale that host file tools report.
constexpr std::array<std::pair<int, std::string_view>, 8> kTexts = {{
    {ENOENT, "No such file or directory"},
    {ENOTDIR, "Not a directory"},
    {EEXIST, "File exists"},
    {ELOOP, "Too many levels of symbolic links"},
    {EACCES, "Permission denied"},
    {EPERM, "Operation not permitted"},
    {EROFS, "Read-only file system"},
    {ENAMETOOLONG, "File name too long"},
}};

// The last line of `text` that is not empty.
std::string_view LastLine(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const size_t newline = text.rfind('\n');
  return newline == std::string_view::npos ? text : text.substr(newline + 1);
}

}  // namespace

std::optional<ReportedError> ReportedErrorOf(std::string_view stderr_data) {
  const std::string_view line = LastLine(stderr_data);
  for (const auto& [errno_value, text] : kTexts) {
    if (line.ends_with(": " + std::string(text))) {
      return ReportedError{ErrorCodeFromErrno(errno_value), text};
    }
  }
  return std::nullopt;
}

}  // namespace nsenter
