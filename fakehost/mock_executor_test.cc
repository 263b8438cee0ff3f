// The mocks as a user writes against them: code that takes an Nsenter or an
// Executor, tested for what it runs.
#include "fakehost/mock_executor.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nsenter::fakehost {
namespace {

using ::testing::ByMove;
using ::testing::ElementsAre;
using ::testing::Return;
using ::testing::StrictMock;

// Code under test: unmounts a host path if it resolves.
Status UnmountOnHost(const Nsenter& ns, const std::string& path) {
  Result<std::string> resolved = ns.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  return ns.Exec("umount", {"--", *resolved})->Run();
}

TEST(MockNsenterTest, DrivesCodeWrittenAgainstNsenter) {
  StrictMock<MockNsenter> ns;
  auto cmd = std::make_unique<StrictMock<MockCmd>>();
  EXPECT_CALL(*cmd, Run()).WillOnce(Return(Status()));
  EXPECT_CALL(ns, EvalSymlinks("/var/lib/kubelet/pods/x", true))
      .WillOnce(Return(std::string("/data/kubelet/pods/x")));
  EXPECT_CALL(ns, Exec("umount", ElementsAre("--", "/data/kubelet/pods/x")))
      .WillOnce(Return(ByMove(std::move(cmd))));
  EXPECT_TRUE(UnmountOnHost(ns, "/var/lib/kubelet/pods/x").ok());
}

TEST(MockNsenterTest, ErrorsPassThrough) {
  StrictMock<MockNsenter> ns;
  EXPECT_CALL(ns, EvalSymlinks("/gone", true))
      .WillOnce(Return(Error(ErrorCode::kNotFound, "realpath -e of '/gone' on the host")));
  const Status status = UnmountOnHost(ns, "/gone");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kNotFound);
}

TEST(MockExecutorTest, ReturnsScriptedCommands) {
  MockExecutor executor;
  auto cmd = std::make_unique<StrictMock<MockCmd>>();
  EXPECT_CALL(*cmd, Output()).WillOnce(Return(std::string("5.10\n")));
  EXPECT_CALL(executor, Command("uname", ElementsAre("-r"))).WillOnce(Return(ByMove(std::move(cmd))));
  EXPECT_EQ(*executor.Command("uname", {"-r"})->Output(), "5.10\n");
}

}  // namespace
}  // namespace nsenter::fakehost
