#include "nsenter/exec.h"

#include <string>

#include "gtest/gtest.h"

namespace nsenter {
namespace {

TEST(ValidateCommandTest, AcceptsOrdinaryArgv) {
  const std::vector<std::string> env = {"LC_ALL=C"};
  EXPECT_TRUE(ValidateCommand("/bin/ls", {"-l", "--", "/"}, &env).ok());
}

TEST(ValidateCommandTest, RejectsEmptyPath) {
  const Status status = ValidateCommand("", {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
}

TEST(ValidateCommandTest, RejectsNulInPathArgsAndEnv) {
  const std::string with_nul("/var/lib/kubelet\0/../../etc", 27);
  Status status = ValidateCommand(with_nul, {});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("'/var/lib/kubelet\\0/../../etc'"), std::string::npos);

  status = ValidateCommand("/usr/bin/realpath", {"-m", with_nul});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message().find("argument 2"), std::string::npos);

  const std::vector<std::string> env = {std::string("A=b\0c", 5)};
  status = ValidateCommand("/bin/true", {}, &env);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("environment entry"), std::string::npos);
}

TEST(FailedCmdTest, EveryRunReturnsTheError) {
  std::unique_ptr<Cmd> cmd = MakeFailedCmd(Error(ErrorCode::kInvalidArgument, "bad"));
  cmd->SetDir("/");
  EXPECT_EQ(cmd->Run().error().message(), "bad");
  EXPECT_EQ(cmd->Output().error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cmd->CombinedOutput().error().message(), "bad");
}

TEST(FailedCmdTest, StartAndWaitReturnTheErrorAndStopDoesNothing) {
  std::unique_ptr<Cmd> cmd = MakeFailedCmd(Error(ErrorCode::kNotFound, "missing"));
  cmd->Stop();
  EXPECT_EQ(cmd->Start().error().message(), "missing");
  EXPECT_EQ(cmd->Wait().error().code(), ErrorCode::kNotFound);
  cmd->Stop();
  EXPECT_EQ(cmd->Run().error().message(), "missing");
}

}  // namespace
}  // namespace nsenter
