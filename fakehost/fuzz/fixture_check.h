// What the fixture fuzzer (fixture_fuzzer.cc) checks of arbitrary bytes, and
// what //fakehost/fuzz:fixture_corpus_test checks of every committed input.
//
// ParseFixture must accept or refuse any input without crashing, leaking or
// undefined behaviour; a refusal must be the documented kBadFixture error
// whose message starts with the source name. An accepted fixture must survive
// FormatFixture and ParseFixture unchanged (an equal Fixture), and formatting
// it again must give the same text.
//
// Thread-safety: a pure function.
#ifndef FAKEHOST_FUZZ_FIXTURE_CHECK_H_
#define FAKEHOST_FUZZ_FIXTURE_CHECK_H_

#include <optional>
#include <string>
#include <string_view>

namespace nsenter::fakehost {

// The broken property, described, or nullopt if `input` behaves as above.
std::optional<std::string> CheckFixtureInput(std::string_view input);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_FUZZ_FIXTURE_CHECK_H_
