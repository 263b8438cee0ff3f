// A fixture for tests that run host commands through each backend on this
// machine: its parameter is the backend, and SetUp makes an Nsenter over
// this process's own mount namespace (hardening::SelfOptions), or skips the
// test where entering a namespace needs privileges this process lacks.
//
// Thread-safety: as a gtest fixture; ns_ may be used from any thread.
#ifndef NSENTER_TESTING_SELF_BACKEND_TEST_H_
#define NSENTER_TESTING_SELF_BACKEND_TEST_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"

namespace nsenter::testing_support {

class SelfBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  // A command running the child helper (process_executor_test_child, which
  // the test must have as data) with `args`.
  std::unique_ptr<Cmd> Child(const std::vector<std::string>& args) const;

  bool ThroughNsenter() const { return GetParam() == Backend::kNsenter; }

  std::unique_ptr<Nsenter> ns_;
};

}  // namespace nsenter::testing_support

#endif  // NSENTER_TESTING_SELF_BACKEND_TEST_H_
