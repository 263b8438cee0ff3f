#include "nsenter/fuzz/mountinfo_check.h"

#include <cstdio>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

// `text` with each byte of `special` written as a three-digit octal escape.
std::string Escape(const std::string& text, std::string_view special) {
  std::string escaped;
  for (const char c : text) {
    if (special.find(c) == std::string_view::npos) {
      escaped.push_back(c);
      continue;
    }
    char octal[5];
    std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned char>(c));
    escaped += octal;
  }
  return escaped;
}

constexpr std::string_view kFieldSpecial = std::string_view(" \t\n\\", 4);
constexpr std::string_view kOptionSpecial = std::string_view(" \t\n\\,", 5);

std::string Options(const std::vector<std::string>& options) {
  std::string joined;
  for (const std::string& option : options) {
    if (!joined.empty()) joined += ',';
    joined += Escape(option, kOptionSpecial);
  }
  return joined;
}

}  // namespace

std::string WriteMountInfo(const std::vector<MountInfo>& table) {
  std::string text;
  for (const MountInfo& m : table) {
    text += std::to_string(m.id) + ' ' + std::to_string(m.parent_id) + ' ' +
            std::to_string(m.major) + ':' + std::to_string(m.minor) + ' ' +
            Escape(m.root, kFieldSpecial) + ' ' + Escape(m.mount_point, kFieldSpecial) + ' ' +
            Options(m.mount_options);
    for (const std::string& field : m.optional_fields) text += ' ' + Escape(field, kFieldSpecial);
    text += " - " + Escape(m.fs_type, kFieldSpecial) + ' ' + Escape(m.source, kFieldSpecial) +
            ' ' + Options(m.super_options) + '\n';
  }
  return text;
}

std::optional<std::string> CheckMountInfoInput(std::string_view input) {
  Result<std::vector<MountInfo>> table = ParseMountInfo(input);
  if (!table.ok()) {
    if (table.error().message().starts_with("mountinfo line ")) return std::nullopt;
    return "a refusal does not name its line: " + Quote(table.error().message());
  }
  const std::string written = WriteMountInfo(*table);
  Result<std::vector<MountInfo>> again = ParseMountInfo(written);
  if (!again.ok()) {
    return "the written table " + Quote(written) + " is refused: " + again.error().message();
  }
  if (*again != *table) return "the written table " + Quote(written) + " parses differently";
  return std::nullopt;
}

}  // namespace nsenter
