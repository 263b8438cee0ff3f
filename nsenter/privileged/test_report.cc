#include "nsenter/privileged/test_report.h"

#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>

namespace nsenter::privileged {
namespace {

// A part is encoded as: type, line, file size, file, message size, message;
// the numbers as native int32.
void AppendNumber(std::string& out, int32_t number) {
  out.append(reinterpret_cast<const char*>(&number), sizeof number);
}

void AppendString(std::string& out, std::string_view text) {
  AppendNumber(out, static_cast<int32_t>(text.size()));
  out.append(text);
}

// Consumes encoded values from the front of a byte string.
class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  bool done() const { return bytes_.empty(); }

  std::optional<int32_t> Number() {
    int32_t number;
    if (bytes_.size() < sizeof number) return std::nullopt;
    std::memcpy(&number, bytes_.data(), sizeof number);
    bytes_.remove_prefix(sizeof number);
    return number;
  }

  std::optional<std::string> String() {
    const std::optional<int32_t> size = Number();
    if (!size || *size < 0 || static_cast<size_t>(*size) > bytes_.size()) return std::nullopt;
    std::string text(bytes_.substr(0, static_cast<size_t>(*size)));
    bytes_.remove_prefix(static_cast<size_t>(*size));
    return text;
  }

 private:
  std::string_view bytes_;
};

std::optional<testing::TestPartResult> DecodePart(Decoder& decoder) {
  const std::optional<int32_t> type = decoder.Number();
  const std::optional<int32_t> line = decoder.Number();
  const std::optional<std::string> file = decoder.String();
  const std::optional<std::string> message = decoder.String();
  if (!type || !line || !file || !message) return std::nullopt;
  return testing::TestPartResult(static_cast<testing::TestPartResult::Type>(*type),
                                 file->empty() ? nullptr : file->c_str(), *line,
                                 message->c_str());
}

}  // namespace

std::vector<testing::TestPartResult> CaptureResults(const std::function<void()>& body) {
  testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  const testing::TestResult& result =
      *testing::UnitTest::GetInstance()->current_test_info()->result();
  const int before = result.total_part_count();
  try {
    body();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "uncaught exception: " << error.what();
  }
  std::vector<testing::TestPartResult> results;
  for (int i = before; i < result.total_part_count(); ++i) {
    results.push_back(result.GetTestPartResult(i));
  }
  return results;
}

std::string EncodeResults(const std::vector<testing::TestPartResult>& results) {
  std::string out;
  for (const testing::TestPartResult& part : results) {
    AppendNumber(out, static_cast<int32_t>(part.type()));
    AppendNumber(out, part.line_number());
    AppendString(out, part.file_name() != nullptr ? part.file_name() : "");
    AppendString(out, part.message());
  }
  return out;
}

std::vector<testing::TestPartResult> DecodeResults(std::string_view bytes) {
  std::vector<testing::TestPartResult> results;
  Decoder decoder(bytes);
  while (!decoder.done()) {
    std::optional<testing::TestPartResult> part = DecodePart(decoder);
    if (!part) {
      results.emplace_back(testing::TestPartResult::kFatalFailure, __FILE__, __LINE__,
                           "the report of the container process is truncated");
      break;
    }
    results.push_back(std::move(*part));
  }
  return results;
}

void ReplayResults(const std::vector<testing::TestPartResult>& results) {
  for (const testing::TestPartResult& part : results) {
    const char* file = part.file_name() != nullptr ? part.file_name() : "unknown file";
    switch (part.type()) {
      case testing::TestPartResult::kSuccess:
        break;
      case testing::TestPartResult::kNonFatalFailure:
        ADD_FAILURE_AT(file, part.line_number()) << part.message();
        break;
      case testing::TestPartResult::kFatalFailure:
        // GTEST_FAIL_AT returns from the enclosing function: keep it in one.
        [&] { GTEST_FAIL_AT(file, part.line_number()) << part.message(); }();
        break;
      case testing::TestPartResult::kSkip:
        [&] { GTEST_SKIP() << file << ":" << part.line_number() << ": " << part.message(); }();
        break;
    }
  }
}

}  // namespace nsenter::privileged
