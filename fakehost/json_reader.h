// Reading hand-edited JSON documents: parsing with errors that give a line and
// column, and typed access to values with errors that name the value's JSON
// pointer (RFC 6901) and say what was expected.
//
// Example:
//   nsenter::Result<nlohmann::json> doc =
//       ParseJson(text, "hosts/debian.json", {.max_depth = 32, .max_values = 100'000});
//   if (!doc.ok()) return doc.error();  // "hosts/debian.json:3:14: malformed JSON: ..."
//   try {
//     JsonValue root(*doc);
//     const std::string& format = root.Get("format", "a string").String();
//   } catch (const SchemaError& e) {
//     // e.what() == "/format: missing; expected a string"
//   }
//
// Errors: `ParseJson` returns kBadFixture for text that is not exactly one
// JSON document (syntax, invalid UTF-8, a number out of range, or a key that
// appears twice in one object), or one past its JsonLimits. The accessors of
// `JsonValue` throw `SchemaError`; its users catch it and turn it into an
// error of their own. Nothing here throws anything else: values are never
// printed whole, and nothing recurses into a document.
//
// Memory: the document costs a few dozen bytes per value (more for an object
// member) plus its strings' bytes, whatever the text's size: a 2-byte "0,"
// becomes a 16-byte value, a 2-byte "[" an array, so JsonLimits is what keeps
// a document in proportion to the text it came from.
//
// Thread-safety: `JsonValue` is a view of a document the caller keeps alive;
// const use from many threads is safe.
#ifndef FAKEHOST_JSON_READER_H_
#define FAKEHOST_JSON_READER_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nsenter/error.h"

namespace nsenter::fakehost {

// What ParseJson builds at most: arrays and objects nested `max_depth` deep
// (the document itself at depth 1), and `max_values` values in all (each
// array, object, member value and element counts one).
struct JsonLimits {
  size_t max_depth;
  size_t max_values;
};

// Parses `text` as one JSON document within `limits`. Errors are kBadFixture,
// prefixed with "<source>:<line>:<column>: " for syntax errors and
// "<source>: <pointer>: " for a duplicate key; past a limit, "<source>: "
// and the limit, the parse stopping there.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source,
                                 const JsonLimits& limits);

// `token` escaped for use in a JSON pointer ("~" → "~0", "/" → "~1").
std::string EscapePointerToken(std::string_view token);

// A value that is not what the schema wants: `pointer` is its JSON pointer
// ("" for the whole document), `problem` what is wrong and what was expected.
class SchemaError : public std::exception {
 public:
  SchemaError(const std::string& pointer, const std::string& problem);

  // "<pointer>: <problem>", the whole document named "(top level)".
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

// A value inside a document, with its JSON pointer.
class JsonValue {
 public:
  explicit JsonValue(const nlohmann::json& value, std::string pointer = "");

  const nlohmann::json& value() const { return *value_; }
  // "a string", "an object", ... for messages.
  std::string_view TypeDescription() const;

  // The value, if it has the type; else throws "expected <type>, got <type>".
  const std::string& String() const;
  bool Bool() const;
  // An integer in [min, max]; floats and out-of-range numbers are refused.
  int64_t Integer(int64_t min, int64_t max) const;
  // The elements of an array.
  std::vector<JsonValue> Elements() const;
  // The members of an object, in key order.
  std::vector<std::pair<std::string, JsonValue>> Members() const;

  // Members of an object (each throws if this is not an object): the member
  // `key` if present; the member `key`, or "missing; expected <what>";
  // nothing, or a SchemaError naming the first member not in `known`.
  std::optional<JsonValue> Find(std::string_view key) const;
  JsonValue Get(std::string_view key, std::string_view what) const;
  void ExpectOnlyMembers(std::initializer_list<std::string_view> known) const;

  // Throws a SchemaError about this value.
  [[noreturn]] void Fail(std::string problem) const;

 private:
  void ExpectType(nlohmann::json::value_t type, std::string_view expected) const;
  std::string MemberPointer(std::string_view key) const;

  const nlohmann::json* value_;
  std::string pointer_;
};

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_JSON_READER_H_
