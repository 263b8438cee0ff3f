#include "fakehost/byte_string.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace nsenter::fakehost {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64Member = "base64";

// Value of each base64 character; -1 for the rest.
constexpr std::array<int8_t, 256> Base64Values() {
  std::array<int8_t, 256> values{};
  values.fill(-1);
  for (size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    values[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  }
  return values;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  static constexpr std::array<int8_t, 256> kValues = Base64Values();
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::string bytes;
  uint32_t bits = 0;
  int bit_count = 0;
  for (const char c : text.substr(0, text.size() - padding)) {
    const int value = kValues[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes += static_cast<char>((bits >> bit_count) & 0xff);
    }
  }
  return bytes;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string text;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (size_t j = 0; j < 4; ++j) {
      text += j <= n ? kBase64Alphabet[(group >> (18 - 6 * j)) & 0x3f] : '=';
    }
  }
  return text;
}

// Length of the well-formed UTF-8 sequence at the start of `bytes`, or 0.
size_t Utf8SequenceLength(std::string_view bytes) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_min = 0xa0;  // No overlong forms.
    if (lead == 0xed) second_max = 0x9f;  // No surrogates.
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_min = 0x90;  // No overlong forms.
    if (lead == 0xf4) second_max = 0x8f;  // Nothing above U+10FFFF.
  } else {
    return 0;
  }
  if (bytes.size() < length || byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t length = Utf8SequenceLength(bytes);
    if (length == 0) return false;
    bytes.remove_prefix(length);
  }
  return true;
}

std::string ReadByteString(const JsonValue& value) {
  if (value.value().is_string()) return value.String();
  if (!value.value().is_object()) {
    value.Fail("expected a string or {\"base64\": \"...\"}, got " +
               std::string(value.TypeDescription()));
  }
  value.ExpectOnlyMembers({kBase64Member});
  const JsonValue encoded = value.Get(kBase64Member, "a base64 string");
  std::optional<std::string> bytes = DecodeBase64(encoded.String());
  if (!bytes)
    encoded.Fail("expected base64 (RFC 4648: A-Z a-z 0-9 + /, padded with = to a multiple of 4)");
  return *std::move(bytes);
}

nlohmann::ordered_json ByteStringToJson(std::string_view bytes) {
  if (IsValidUtf8(bytes)) return std::string(bytes);
  return {{std::string(kBase64Member), EncodeBase64(bytes)}};
}

}  // namespace nsenter::fakehost
