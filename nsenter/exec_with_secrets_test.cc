// ExecWithSecrets with real processes, in both backends on this machine
// (skipped without CAP_SYS_ADMIN): the program gets the secret; the log, at
// every verbosity, and every error text (a non-zero exit with the program's
// output, a timeout) show "<masked>" instead.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/nsenter.h"

namespace nsenter {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "password=hunter2";
constexpr char kHidden[] = "hunter2";

class ExecWithSecretsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const auto missing = hardening::MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
    Options options = hardening::SelfOptions(GetParam());
    options.log = [this](int verbosity, std::string_view message) {
      std::lock_guard<std::mutex> lock(mutex_);
      logged_.push_back(std::to_string(verbosity) + ": " + std::string(message));
    };
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
  }

  // sh -c SCRIPT sh "ro,password=hunter2", the secret given as such.
  std::unique_ptr<Cmd> Shell(const std::string& script) const {
    return ns_->ExecWithSecrets("sh", {"-c", script, "sh", "ro," + std::string(kSecret)},
                                {kSecret});
  }

  std::vector<std::string> Logged() {
    std::lock_guard<std::mutex> lock(mutex_);
    return logged_;
  }

  std::unique_ptr<Nsenter> ns_;
  std::mutex mutex_;
  std::vector<std::string> logged_;
};

TEST_P(ExecWithSecretsTest, TheProgramGetsTheSecretAndTheLogLineMasksIt) {
  Result<std::string> out = Shell("printf '%s' \"$1\"")->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "ro," + std::string(kSecret));  // Output on success is the program's own.
  EXPECT_THAT(Logged(), Contains(HasSubstr("'sh' 'ro,<masked>'")));
  EXPECT_THAT(Logged(), Each(Not(HasSubstr(kHidden))));
}

TEST_P(ExecWithSecretsTest, AFailureEchoingTheSecretIsMaskedInItsMessageAndOutput) {
  Result<std::string> out = Shell("echo \"out $1\"; echo \"err $1\" >&2; exit 32")->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(out.error().exit_status(), 32);
  EXPECT_EQ(out.error().stdout_data(), "out ro,<masked>\n");
  EXPECT_EQ(out.error().stderr_data(), "err ro,<masked>\n");
  EXPECT_THAT(out.error().ToString(), Not(HasSubstr(kHidden)));
  EXPECT_THAT(Logged(), Each(Not(HasSubstr(kHidden))));
}

TEST_P(ExecWithSecretsTest, ATimeoutIsMasked) {
  std::unique_ptr<Cmd> cmd = Shell("echo \"err $1\" >&2; exec sleep 30");
  cmd->SetTimeout(std::chrono::milliseconds(300));
  Result<std::string> out = cmd->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kTimeout) << out.error().ToString();
  EXPECT_THAT(out.error().ToString(), Not(HasSubstr(kHidden)));
  EXPECT_THAT(out.error().stderr_data(), Not(HasSubstr(kHidden)));
  EXPECT_THAT(Logged(), Each(Not(HasSubstr(kHidden))));
}

TEST_P(ExecWithSecretsTest, AProgramThatCannotStartIsMasked) {
  Result<std::string> out =
      ns_->ExecWithSecrets("/nonexistent/tool", {kSecret}, {kSecret})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound) << out.error().ToString();
  EXPECT_THAT(out.error().ToString(), Not(HasSubstr(kHidden)));
  EXPECT_THAT(Logged(), Contains(HasSubstr("'/nonexistent/tool' '<masked>'")));
  EXPECT_THAT(Logged(), Each(Not(HasSubstr(kHidden))));
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecWithSecretsTest,
                         ::testing::Values(Backend::kNsenter, Backend::kNative),
                         [](const auto& info) { return hardening::BackendName(info.param); });

}  // namespace
}  // namespace nsenter
