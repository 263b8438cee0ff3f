#include "fakehost/gnu_messages.h"

#include <array>
#include <utility>

namespace nsenter::fakehost {
namespace {

// How one byte of a name takes part in quoting (gnulib's quotearg_buffer_restyled
// in shell-escape style with ':' in quote_these_too, unibyte C locale).
struct ByteRole {
  bool forces_quotes;    // The name cannot be printed bare.
  bool double_quotable;  // gnulib's "c_and_shell_quote_compat".
};

bool IsPrintable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

ByteRole RoleOf(std::string_view name, size_t i) {
  const auto c = static_cast<unsigned char>(name[i]);
  const bool alone = name.size() == 1;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return {false, true};
  }
  switch (c) {
    case '%':
    case '+':
    case ',':
    case '-':
    case '.':
    case '/':
    case ']':
    case '_':
    case '@': return {false, true};
    case ':':  // Quoted by quotef, since messages use ':' as a separator.
    case ' ':
    case '\'': return {true, true};
    case '#':
    case '~': return {i == 0, i == 0};
    case '{':
    case '}': return {alone, alone};
    default:
      // Shell specials (! " $ & ( ) * ; < = > ? [ \ ^ ` |) and non-printable bytes.
      return {true, false};
  }
}

// The letter of a C escape for `c`, or 0.
char EscapeLetter(unsigned char c) {
  switch (c) {
    case '\a': return 'a';
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\v': return 'v';
    case '\f': return 'f';
    case '\r': return 'r';
    default: return 0;
  }
}

// `name` in single quotes; `in_escape` as if a $'...' part were already open.
std::string SingleQuoted(std::string_view name, bool in_escape) {
  std::string quoted = "'";
  for (const char byte : name) {
    const auto c = static_cast<unsigned char>(byte);
    if (c == '\'') {
      quoted += "'\\''";
      in_escape = false;
    } else if (IsPrintable(c)) {
      if (in_escape) quoted += "''";
      in_escape = false;
      quoted += byte;
    } else {
      if (!in_escape) quoted += "'$'";
      in_escape = true;
      quoted += '\\';
      if (const char letter = EscapeLetter(c)) {
        quoted += letter;
      } else {
        quoted += static_cast<char>('0' + (c >> 6));
        quoted += static_cast<char>('0' + ((c >> 3) & 7));
        quoted += static_cast<char>('0' + (c & 7));
      }
    }
  }
  quoted += '\'';
  return quoted;
}

}  // namespace

std::string QuoteFileName(std::string_view name) {
  bool needs_quotes = name.empty();
  bool double_quotable = true;
  bool has_single_quote = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const ByteRole role = RoleOf(name, i);
    needs_quotes = needs_quotes || role.forces_quotes;
    double_quotable = double_quotable && role.double_quotable;
    has_single_quote = has_single_quote || name[i] == '\'';
  }
  if (!needs_quotes) return std::string(name);
  if (has_single_quote && double_quotable) return "\"" + std::string(name) + "\"";
  // gnulib, having met a single quote, first measures the name and then
  // quotes it in a second pass that starts with the first pass's state: if
  // that ended inside a $'...' part (the last byte is not printable), the
  // second pass begins "inside" one too. A printable first byte then closes
  // it with "''", and a non-printable one opens none ("'''/tmp/it'\''s'$'\n'").
  const bool stale_escape =
      has_single_quote && !IsPrintable(static_cast<unsigned char>(name.back()));
  return SingleQuoted(name, stale_escape);
}

std::string QuoteFileNameAlways(std::string_view name) {
  std::string quoted = QuoteFileName(name);
  if (quoted == name) return "'" + quoted + "'";
  return quoted;
}

std::string QuoteLocale(std::string_view name) {
  std::string quoted = "'";
  for (const char byte : name) {
    const auto c = static_cast<unsigned char>(byte);
    if (c == '\'' || c == '\\') {
      quoted += '\\';
      quoted += byte;
    } else if (IsPrintable(c)) {
      quoted += byte;
    } else if (const char letter = EscapeLetter(c)) {
      quoted += {'\\', letter};
    } else {
      quoted += {'\\', static_cast<char>('0' + (c >> 6)), static_cast<char>('0' + ((c >> 3) & 7)),
                 static_cast<char>('0' + (c & 7))};
    }
  }
  return quoted + "'";
}

std::optional<std::string_view> LookupErrorText(ErrorCode code) {
  static constexpr std::array<std::pair<ErrorCode, std::string_view>, 5> kTexts = {{
      {ErrorCode::kNotFound, "No such file or directory"},
      {ErrorCode::kNotADirectory, "Not a directory"},
      {ErrorCode::kLoop, "Too many levels of symbolic links"},
      {ErrorCode::kPermissionDenied, "Permission denied"},
      {ErrorCode::kNameTooLong, "File name too long"},
  }};
  for (const auto& [known, text] : kTexts) {
    if (known == code) return text;
  }
  return std::nullopt;
}

}  // namespace nsenter::fakehost
