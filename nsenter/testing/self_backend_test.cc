#include "nsenter/testing/self_backend_test.h"

#include <utility>

#include "nsenter/hardening_test_support.h"

namespace nsenter::testing_support {

void SelfBackendTest::SetUp() {
  if (const auto missing = hardening::MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(hardening::SelfOptions(GetParam()));
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();
  ns_ = std::move(*ns);
}

std::unique_ptr<Cmd> SelfBackendTest::Child(const std::vector<std::string>& args) const {
  return ns_->Exec(hardening::ChildHelperPath(), args);
}

}  // namespace nsenter::testing_support
