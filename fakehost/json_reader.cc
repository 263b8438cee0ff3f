#include "fakehost/json_reader.h"

#include <algorithm>
#include <utility>

namespace nsenter::fakehost {
namespace {

using nlohmann::json;

// How much of a value, or of the parser's reason, goes into a message.
constexpr size_t kMaxValueBytes = 80;
constexpr size_t kMaxReasonBytes = 200;

std::string Shortened(std::string text, size_t max_bytes = kMaxValueBytes) {
  if (text.size() > max_bytes) {
    text.resize(max_bytes);
    text += "...";
  }
  return text;
}

// nlohmann's message without its "[json.exception...] " tag and position,
// which ParseJson reports itself.
std::string ParserReason(const std::string& what) {
  std::string_view reason = what;
  if (const size_t tag_end = reason.find("] "); tag_end != std::string_view::npos) {
    reason.remove_prefix(tag_end + 2);
  }
  if (reason.starts_with("parse error at line ")) {
    if (const size_t colon = reason.find(": "); colon != std::string_view::npos) {
      reason.remove_prefix(colon + 2);
    }
  }
  return Shortened(std::string(reason), kMaxReasonBytes);
}

// "<line>:<column>" of the character at `chars_read` (1-based, as the parser
// counts), both 1-based.
std::string LineAndColumn(std::string_view text, size_t chars_read) {
  const size_t index = std::min(chars_read == 0 ? 0 : chars_read - 1, text.size());
  const std::string_view before = text.substr(0, index);
  const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const size_t last_newline = before.rfind('\n');
  const size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  return std::to_string(line) + ":" + std::to_string(index - line_start + 1);
}

// Builds a document from the parser's events. Unlike nlohmann's own builder,
// it refuses a key that appears twice in one object (which would otherwise
// silently keep the last value), and keeps where the first error occurred.
class DocumentBuilder final : public nlohmann::json_sax<json> {
 public:
  explicit DocumentBuilder(const JsonLimits& limits) : limits_(limits) {}

  bool null() override { return Add(json(nullptr)); }
  bool boolean(bool value) override { return Add(json(value)); }
  bool number_integer(number_integer_t value) override { return Add(json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return Add(json(value)); }
  bool number_float(number_float_t value, const string_t&) override { return Add(json(value)); }
  bool string(string_t& value) override { return Add(json(std::move(value))); }
  // JSON text has no binary values; the parser never reports one.
  bool binary(binary_t&) override { return false; }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool key(string_t& key) override {
    if (open_.back().value->contains(key)) {
      duplicate_key_pointer_ = OpenPointer() + "/" + EscapePointerToken(key);
      return false;
    }
    pending_key_ = std::move(key);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_array() override { return Close(); }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    error_position_ = position;
    error_reason_ = ParserReason(error.what());
    return false;
  }

  json& document() { return document_; }
  const std::optional<std::string>& duplicate_key_pointer() const { return duplicate_key_pointer_; }
  const std::optional<size_t>& error_position() const { return error_position_; }
  const std::string& error_reason() const { return error_reason_; }
  // The limit passed, if the parse stopped at one.
  const std::optional<std::string>& limit_passed() const { return limit_passed_; }

 private:
  // An array or object being filled, and its token in its parent.
  struct Frame {
    json* value;
    std::string token;
  };

  // Places `value` in the innermost open container (or as the document) and
  // returns where it now lives. Earlier frames stay valid: only the innermost
  // container grows.
  json* Place(json value) {
    if (open_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    json& parent = *open_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[pending_key_];
    slot = std::move(value);
    return &slot;
  }

  // Counts one more value; false once past max_values.
  bool CountValue() {
    if (++values_ <= limits_.max_values) return true;
    limit_passed_ = "more than " + std::to_string(limits_.max_values) + " values";
    return false;
  }

  bool Add(json value) {
    if (!CountValue()) return false;
    Place(std::move(value));
    return true;
  }

  bool Open(json container) {
    if (!CountValue()) return false;
    if (open_.size() >= limits_.max_depth) {
      limit_passed_ = "arrays and objects nested more than " + std::to_string(limits_.max_depth) +
                      " deep";
      return false;
    }
    std::string token;
    if (!open_.empty()) {
      const json& parent = *open_.back().value;
      token = parent.is_array() ? std::to_string(parent.size()) : pending_key_;
    }
    open_.push_back({Place(std::move(container)), std::move(token)});
    return true;
  }

  bool Close() {
    open_.pop_back();
    return true;
  }

  std::string OpenPointer() const {
    std::string pointer;
    for (size_t i = 1; i < open_.size(); ++i) pointer += "/" + EscapePointerToken(open_[i].token);
    return pointer;
  }

  const JsonLimits limits_;
  size_t values_ = 0;
  std::optional<std::string> limit_passed_;
  json document_;
  std::vector<Frame> open_;
  std::string pending_key_;
  std::optional<std::string> duplicate_key_pointer_;
  std::optional<size_t> error_position_;
  std::string error_reason_;
};

}  // namespace

Result<json> ParseJson(std::string_view text, std::string_view source, const JsonLimits& limits) {
  DocumentBuilder builder(limits);
  bool parsed = false;
  try {
    parsed = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& error) {
    return Error(ErrorCode::kBadFixture,
                 std::string(source) + ": malformed JSON: " + ParserReason(error.what()));
  }
  if (const auto& limit = builder.limit_passed()) {
    return Error(ErrorCode::kBadFixture,
                 std::string(source) + ": the document has " + *limit + ", past the limit");
  }
  if (const auto& pointer = builder.duplicate_key_pointer()) {
    return Error(ErrorCode::kBadFixture,
                 std::string(source) + ": " + *pointer + ": the key appears twice in one object");
  }
  if (const auto& position = builder.error_position()) {
    return Error(ErrorCode::kBadFixture, std::string(source) + ":" +
                                             LineAndColumn(text, *position) +
                                             ": malformed JSON: " + builder.error_reason());
  }
  if (!parsed) {
    return Error(ErrorCode::kBadFixture, std::string(source) + ": malformed JSON");
  }
  return std::move(builder.document());
}

std::string EscapePointerToken(std::string_view token) {
  std::string escaped;
  for (const char c : token) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

SchemaError::SchemaError(const std::string& pointer, const std::string& problem)
    : what_((pointer.empty() ? "(top level)" : pointer) + ": " + problem) {}

JsonValue::JsonValue(const json& value, std::string pointer)
    : value_(&value), pointer_(std::move(pointer)) {}

std::string_view JsonValue::TypeDescription() const {
  switch (value_->type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
  }
  return "an unknown value";
}

void JsonValue::ExpectType(json::value_t type, std::string_view expected) const {
  if (value_->type() == type) return;
  std::string got(TypeDescription());
  if (value_->is_primitive() && !value_->is_null()) {
    got += " (" + Shortened(value_->dump(-1, ' ', false, json::error_handler_t::replace)) + ")";
  }
  Fail("expected " + std::string(expected) + ", got " + got);
}

const std::string& JsonValue::String() const {
  ExpectType(json::value_t::string, "a string");
  return value_->get_ref<const std::string&>();
}

bool JsonValue::Bool() const {
  ExpectType(json::value_t::boolean, "true or false");
  return value_->get<bool>();
}

int64_t JsonValue::Integer(int64_t min, int64_t max) const {
  const std::string expected =
      "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (value_->is_number_unsigned() && value_->get<uint64_t>() <= static_cast<uint64_t>(max)) {
    const auto number = static_cast<int64_t>(value_->get<uint64_t>());
    if (number >= min) return number;
  } else if (value_->is_number_integer() && !value_->is_number_unsigned()) {
    const auto number = value_->get<int64_t>();
    if (number >= min && number <= max) return number;
  }
  if (!value_->is_number()) ExpectType(json::value_t::number_integer, expected);
  Fail("expected " + expected + ", got " + Shortened(value_->dump()));
}

std::vector<JsonValue> JsonValue::Elements() const {
  ExpectType(json::value_t::array, "an array");
  std::vector<JsonValue> elements;
  elements.reserve(value_->size());
  for (size_t i = 0; i < value_->size(); ++i) {
    elements.emplace_back((*value_)[i], pointer_ + "/" + std::to_string(i));
  }
  return elements;
}

std::vector<std::pair<std::string, JsonValue>> JsonValue::Members() const {
  ExpectType(json::value_t::object, "an object");
  std::vector<std::pair<std::string, JsonValue>> members;
  for (const auto& [key, value] : value_->items()) {
    members.emplace_back(key, JsonValue(value, MemberPointer(key)));
  }
  return members;
}

std::optional<JsonValue> JsonValue::Find(std::string_view key) const {
  ExpectType(json::value_t::object, "an object");
  const auto found = value_->find(key);
  if (found == value_->end()) return std::nullopt;
  return JsonValue(*found, MemberPointer(key));
}

JsonValue JsonValue::Get(std::string_view key, std::string_view what) const {
  std::optional<JsonValue> member = Find(key);
  if (!member) throw SchemaError(MemberPointer(key), "missing; expected " + std::string(what));
  return *member;
}

void JsonValue::ExpectOnlyMembers(std::initializer_list<std::string_view> known) const {
  for (const auto& [key, value] : Members()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string names;
    for (const std::string_view name : known) {
      names += names.empty() ? "" : ", ";
      names += "\"" + std::string(name) + "\"";
    }
    value.Fail("unknown member; expected only " + names + " here");
  }
}

void JsonValue::Fail(std::string problem) const { throw SchemaError(pointer_, problem); }

std::string JsonValue::MemberPointer(std::string_view key) const {
  return pointer_ + "/" + EscapePointerToken(key);
}

}  // namespace nsenter::fakehost
