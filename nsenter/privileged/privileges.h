// Whether this process may build the privileged suite's namespaces, and the
// test fixture that skips (rather than fails) where it may not.
//
// The suite needs root with CAP_SYS_ADMIN and a kernel and seccomp policy
// that allow new PID and mount namespaces. A container started without
// `--privileged` usually lacks one of these; the suite then reports every
// test as skipped, naming what is missing.
//
// Example:
//   using PropagationTest = nsenter::privileged::PrivilegedTest;
//   TEST_F(PropagationTest, ...) { ... }
//
// Thread-safety: MissingPrivilege computes its answer once per process.
#ifndef NSENTER_PRIVILEGED_PRIVILEGES_H_
#define NSENTER_PRIVILEGED_PRIVILEGES_H_

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace nsenter::privileged {

// Why the suite cannot run here ("needs root (running as uid 1000)", ...), or
// nothing when it can. Checked by trying: a child process creates the
// namespaces and changes the propagation of its copy of "/".
const std::optional<std::string>& MissingPrivilege();

// A fixture whose tests are skipped when MissingPrivilege() says why.
class PrivilegedTest : public testing::Test {
 protected:
  void SetUp() override;
};

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_PRIVILEGES_H_
