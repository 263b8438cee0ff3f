// The library's two backends, for tests that run once with each.
//
// Example:
//   class ExecTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};
//   INSTANTIATE_TEST_SUITE_P(Backends, ExecTest, testing::ValuesIn(AllBackends()),
//                            BackendParamName);
//
// Thread-safety: constant data and pure functions.
#ifndef NSENTER_PRIVILEGED_BACKENDS_H_
#define NSENTER_PRIVILEGED_BACKENDS_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"

namespace nsenter::privileged {

inline const std::vector<Backend>& AllBackends() {
  static const std::vector<Backend> backends = {Backend::kNsenter, Backend::kNative};
  return backends;
}

// "Nsenter" or "Native".
inline const char* BackendName(Backend backend) {
  return backend == Backend::kNsenter ? "Nsenter" : "Native";
}

// A test name suffix for INSTANTIATE_TEST_SUITE_P.
inline std::string BackendParamName(const testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_BACKENDS_H_
