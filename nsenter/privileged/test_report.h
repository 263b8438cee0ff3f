// Carries GoogleTest results from a test body that runs in another process
// (the container of the privileged suite) back to the test that started it.
//
// The process running the body collects every assertion result with
// `CaptureResults`, encodes them and writes them to a pipe (pipe_io.h); the
// test decodes them and `ReplayResults` reports each part in the current
// test at the file and line where it happened: failures fail the test, a
// GTEST_SKIP skips it.
//
// Example:
//   // In the forked child, inside a TEST:
//   WriteAll(pipe_write_end, EncodeResults(CaptureResults([&] { body(); })));
//   // In the test:
//   ReplayResults(DecodeResults(ReadAll(pipe_read_end)));
//
// Inside the body assertions behave as usual (ASSERT_NO_FATAL_FAILURE and
// HasFailure see the body's own results); the child prints nothing, so that
// each result is printed once, by the test.
//
// The encoding is private to one build of the test binary: both sides are
// the same program on the same machine.
//
// Errors: DecodeResults turns malformed input into a failure that says so.
//
// Thread-safety: CaptureResults must be called from a test's thread, in a
// process that ends after it (it stops this process's result printing).
#ifndef NSENTER_PRIVILEGED_TEST_REPORT_H_
#define NSENTER_PRIVILEGED_TEST_REPORT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace nsenter::privileged {

// Runs `body` inside the current test and returns the results of every
// assertion it made. An exception escaping `body` becomes a failure naming it.
std::vector<testing::TestPartResult> CaptureResults(const std::function<void()>& body);

std::string EncodeResults(const std::vector<testing::TestPartResult>& results);
std::vector<testing::TestPartResult> DecodeResults(std::string_view bytes);

// Reports `results` in the current test.
void ReplayResults(const std::vector<testing::TestPartResult>& results);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_TEST_REPORT_H_
