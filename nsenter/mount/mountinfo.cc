#include "nsenter/mount/mountinfo.h"

#include <charconv>
#include <cstddef>
#include <optional>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

constexpr std::string_view kSeparator = "-";
constexpr size_t kFieldsBeforeOptional = 6;
constexpr size_t kFieldsAfterSeparator = 3;

std::vector<std::string_view> Split(std::string_view text, char delimiter) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(delimiter, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// A decimal number without sign or spaces that fits `T`.
template <typename T>
std::optional<T> ParseNumber(std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || text[0] == '-' || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// Parses one line; errors say what is wrong with it, the caller says where.
class LineParser {
 public:
  explicit LineParser(std::string_view line) : line_(line) {}

  Result<MountInfo> Parse() {
    const std::vector<std::string_view> fields = Split(line_, ' ');
    size_t separator = kFieldsBeforeOptional;
    while (separator < fields.size() && fields[separator] != kSeparator) ++separator;
    if (separator == fields.size()) return Fail("no \"-\" separator after the optional fields");
    if (fields.size() - separator - 1 != kFieldsAfterSeparator) {
      return Fail("expected 3 fields after \"-\" (type, source, super options), found " +
                  std::to_string(fields.size() - separator - 1));
    }
    MountInfo info;
    if (!Number(fields[0], "mount id", &info.id) || !Number(fields[1], "parent id", &info.parent_id) ||
        !Device(fields[2], &info) || !Text(fields[3], "root", &info.root) ||
        !Text(fields[4], "mount point", &info.mount_point) ||
        !Options(fields[5], "mount options", &info.mount_options)) {
      return *error_;
    }
    for (size_t i = kFieldsBeforeOptional; i < separator; ++i) {
      std::string field;
      if (!Text(fields[i], "optional field", &field)) return *error_;
      info.optional_fields.push_back(std::move(field));
    }
    const std::string_view fs_type = fields[separator + 1];
    const std::string_view source = fields[separator + 2];
    if (!Text(fs_type, "file-system type", &info.fs_type) ||
        (!source.empty() && !Text(source, "source", &info.source)) ||
        !Options(fields[separator + 3], "super options", &info.super_options)) {
      return *error_;
    }
    return info;
  }

 private:
  Error Fail(std::string what) { return Error(ErrorCode::kInvalidArgument, std::move(what)); }
  bool Failed(std::string what) {
    error_ = Fail(std::move(what));
    return false;
  }

  template <typename T>
  bool Number(std::string_view field, std::string_view name, T* out) {
    const std::optional<T> value = ParseNumber<T>(field);
    if (!value) return Failed(std::string(name) + " " + Quote(field) + " is not a number");
    *out = *value;
    return true;
  }

  bool Device(std::string_view field, MountInfo* info) {
    const size_t colon = field.find(':');
    const std::optional<unsigned> major =
        colon == std::string_view::npos ? std::nullopt : ParseNumber<unsigned>(field.substr(0, colon));
    const std::optional<unsigned> minor =
        colon == std::string_view::npos ? std::nullopt : ParseNumber<unsigned>(field.substr(colon + 1));
    if (!major || !minor) return Failed("device " + Quote(field) + " is not MAJOR:MINOR");
    info->major = *major;
    info->minor = *minor;
    return true;
  }

  bool Text(std::string_view field, std::string_view name, std::string* out) {
    if (field.empty()) return Failed(std::string(name) + " is empty");
    Result<std::string> decoded = DecodeMountInfoEscapes(field);
    if (!decoded.ok()) return Failed(std::string(name) + ": " + decoded.error().message());
    *out = std::move(*decoded);
    return true;
  }

  bool Options(std::string_view field, std::string_view name, std::vector<std::string>* out) {
    if (field.empty()) return Failed(std::string(name) + " are empty");
    for (std::string_view option : Split(field, ',')) {
      std::string decoded;
      if (!Text(option, std::string(name) + " in " + Quote(field) + ": option", &decoded)) {
        return false;
      }
      out->push_back(std::move(decoded));
    }
    return true;
  }

  std::string_view line_;
  std::optional<Error> error_;
};

// `text` with every byte of `special` as a three-digit octal escape.
std::string Escape(std::string_view text, std::string_view special) {
  std::string escaped;
  for (const char c : text) {
    if (special.find(c) == std::string_view::npos) {
      escaped.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    escaped += {'\\', static_cast<char>('0' + (byte >> 6)), static_cast<char>('0' + ((byte >> 3) & 7)),
                static_cast<char>('0' + (byte & 7))};
  }
  return escaped;
}

constexpr std::string_view kFieldSpecials = " \t\n\\";
constexpr std::string_view kOptionSpecials = ", \t\n\\";

std::string JoinOptions(const std::vector<std::string>& options) {
  std::string joined;
  for (const std::string& option : options) {
    if (!joined.empty()) joined += ',';
    joined += Escape(option, kOptionSpecials);
  }
  return joined;
}

}  // namespace

std::string FormatMountInfo(const std::vector<MountInfo>& mounts) {
  std::string text;
  for (const MountInfo& mount : mounts) {
    text += std::to_string(mount.id) + " " + std::to_string(mount.parent_id) + " " +
            std::to_string(mount.major) + ":" + std::to_string(mount.minor) + " " +
            Escape(mount.root, kFieldSpecials) + " " + Escape(mount.mount_point, kFieldSpecials) +
            " " + JoinOptions(mount.mount_options);
    for (const std::string& field : mount.optional_fields) {
      text += " " + Escape(field, kFieldSpecials);
    }
    text += " - " + Escape(mount.fs_type, kFieldSpecials) + " " +
            Escape(mount.source, kFieldSpecials) + " " + JoinOptions(mount.super_options) + "\n";
  }
  return text;
}

Result<std::string> DecodeMountInfoEscapes(std::string_view field) {
  std::string decoded;
  decoded.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      decoded.push_back(field[i]);
      continue;
    }
    const std::string_view digits = field.substr(i + 1, 3);
    int value = 0;
    bool octal = digits.size() == 3;
    for (const char digit : digits) {
      octal = octal && digit >= '0' && digit <= '7';
      value = value * 8 + (digit - '0');
    }
    if (!octal || value > 0377) {
      return Error(ErrorCode::kInvalidArgument,
                   "bad escape " + Quote(field.substr(i, 4)) + " (expected \\ and 3 octal digits)");
    }
    decoded.push_back(static_cast<char>(value));
    i += 3;
  }
  return decoded;
}

Result<std::vector<MountInfo>> ParseMountInfo(std::string_view text) {
  std::vector<MountInfo> mounts;
  if (text.empty()) return mounts;
  if (text.back() == '\n') text.remove_suffix(1);
  size_t number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++number;
    Result<MountInfo> info =
        line.empty() ? Error(ErrorCode::kInvalidArgument, "empty line") : LineParser(line).Parse();
    if (!info.ok()) {
      return Error(ErrorCode::kInvalidArgument, "mountinfo line " + std::to_string(number) + " " +
                                                    Quote(line) + ": " + info.error().message());
    }
    mounts.push_back(std::move(*info));
  }
  return mounts;
}

}  // namespace nsenter
