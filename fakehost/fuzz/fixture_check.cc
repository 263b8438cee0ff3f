#include "fakehost/fuzz/fixture_check.h"

#include "fakehost/fixture.h"
#include "nsenter/error.h"
#include "nsenter/quote.h"

namespace nsenter::fakehost {
namespace {

constexpr std::string_view kSource = "fuzz-input";

}  // namespace

std::optional<std::string> CheckFixtureInput(std::string_view input) {
  const Result<Fixture> parsed = ParseFixture(input, kSource);
  if (!parsed.ok()) {
    const Error& error = parsed.error();
    if (error.code() != ErrorCode::kBadFixture || !error.message().starts_with(kSource)) {
      return "ParseFixture refused the input with an undocumented error: " + error.ToString();
    }
    return std::nullopt;
  }
  const std::string text = FormatFixture(*parsed);
  const Result<Fixture> reparsed = ParseFixture(text, kSource);
  if (!reparsed.ok()) {
    return "ParseFixture refused what FormatFixture wrote: " + reparsed.error().ToString() +
           "\nwritten: " + Quote(text);
  }
  if (!(*reparsed == *parsed)) {
    return "FormatFixture then ParseFixture changed the fixture; written: " + Quote(text);
  }
  if (const std::string again = FormatFixture(*reparsed); again != text) {
    return "FormatFixture of the read-back fixture differs: " + Quote(text) + " then " +
           Quote(again);
  }
  return std::nullopt;
}

}  // namespace nsenter::fakehost
