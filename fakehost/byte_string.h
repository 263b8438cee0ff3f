// How fixtures carry byte strings: paths, symlink targets, argv words and
// process output are bytes on Linux, but JSON strings are Unicode text.
//
// A byte string is written either as
//   - a JSON string: its UTF-8 encoding is the bytes ("/usr/bin", "caf\u00e9"),
//     which covers every name that is valid UTF-8 and keeps fixtures
//     readable; or
//   - an object {"base64": "..."}: the bytes in base64 (RFC 4648, standard
//     alphabet, with padding), for bytes that are not valid UTF-8:
//     {"base64": "L3RtcC9m/w=="} is "/tmp/f" followed by the byte 0xff.
// Writers use the string form whenever the bytes are valid UTF-8.
//
// Thread-safety: pure functions.
#ifndef FAKEHOST_BYTE_STRING_H_
#define FAKEHOST_BYTE_STRING_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakehost/json_reader.h"

namespace nsenter::fakehost {

// The bytes `value` holds, in either form. Throws SchemaError for anything
// else (naming the value's pointer, or that of its "base64" member).
std::string ReadByteString(const JsonValue& value);

// Whether `bytes` are well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF): what a JSON string can carry.
bool IsValidUtf8(std::string_view bytes);

// `bytes` in the string form if they are well-formed UTF-8, else in the
// base64 form.
nlohmann::ordered_json ByteStringToJson(std::string_view bytes);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_BYTE_STRING_H_
