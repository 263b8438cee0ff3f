#include "nsenter/quote.h"

namespace nsenter {

std::string Quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': quoted += "\\\\"; break;
      case '\'': quoted += "\\'"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\0': quoted += "\\0"; break;
      default:
        if (byte >= 0x20 && byte < 0x7f) {
          quoted += c;
        } else {
          quoted += "\\x";
          quoted += kHex[byte >> 4];
          quoted += kHex[byte & 0xf];
        }
    }
  }
  quoted += '\'';
  return quoted;
}

std::string QuoteArgv(const std::vector<std::string>& argv) {
  std::string joined;
  for (const std::string& word : argv) {
    if (!joined.empty()) joined += ' ';
    joined += Quote(word);
  }
  return joined;
}

}  // namespace nsenter
