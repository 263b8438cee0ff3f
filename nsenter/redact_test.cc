#include "nsenter/redact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fakehost/mock_executor.h"

namespace nsenter {
namespace {

using ::testing::ElementsAre;
using ::testing::Return;

TEST(RedactTest, MasksEveryOccurrenceOfEachSecret) {
  EXPECT_EQ(Redact("a=pw,b=pw;pw", {"pw"}), "a=<masked>,b=<masked>;<masked>");
  EXPECT_EQ(Redact("user=u,password=x", {"user=u", "password=x"}), "<masked>,<masked>");
}

TEST(RedactTest, MasksTheQuotedFormOfASecret) {
  // Quote escapes the quote and the tab: a message quoting the argument
  // holds "it\'s\tme", not the raw bytes.
  EXPECT_EQ(Redact("argument 'it\\'s\\tme'", {"it's\tme"}), "argument '<masked>'");
}

TEST(RedactTest, MasksALongerSecretWholeBeforeAShorterOneInIt) {
  EXPECT_EQ(Redact("key=abcdef", {"abc", "key=abcdef"}), "<masked>");
}

TEST(RedactTest, MasksOverlappingSecretsWholeAsOne) {
  EXPECT_EQ(Redact("password=abcdefgh", {"password=abc", "abcdefgh"}), "<masked>");
  EXPECT_EQ(Redact("x abcdefgh y", {"cdefgh", "abcd"}), "x <masked> y");
}

TEST(RedactTest, MasksSecretsThatTouchAsOneRun) {
  EXPECT_EQ(Redact("[abcd]", {"ab", "cd"}), "[<masked>]");
}

TEST(RedactTest, ASecretInsideTheMaskDoesNotCorruptIt) {
  EXPECT_EQ(Redact("ask me", {"ask"}), "<masked> me");
  EXPECT_EQ(Redact("mask", {"ask", "m"}), "<masked>");
  EXPECT_EQ(Redact("a<b", {"<", "a"}), "<masked>b");
}

TEST(RedactTest, IgnoresEmptySecretsAndLeavesOtherTextAlone) {
  EXPECT_EQ(Redact("nothing secret", {"", "pw"}), "nothing secret");
}

TEST(RedactTest, MasksEachArgument) {
  EXPECT_THAT(Redact(std::vector<std::string>{"-o", "ro,password=x", "--"}, {"password=x"}),
              ElementsAre("-o", "ro,<masked>", "--"));
}

TEST(RedactTest, MasksAnErrorsMessageAndOutputAndKeepsItsStatus) {
  const Error error = Redact(
      Error::FromProcess(ErrorCode::kNonZeroExit, "'mount' pw exited", 32, "out pw", "err pw\n"),
      {"pw"});
  EXPECT_EQ(error.code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(error.exit_status(), 32);
  EXPECT_EQ(error.message(), "'mount' <masked> exited");
  EXPECT_EQ(error.stdout_data(), "out <masked>");
  EXPECT_EQ(error.stderr_data(), "err <masked>\n");
}

TEST(RedactTest, ARedactingCmdMasksItsErrorsButNotItsOutput) {
  auto inner = std::make_unique<fakehost::MockCmd>();
  EXPECT_CALL(*inner, Output()).WillOnce(Return(Result<std::string>(std::string("pw ok"))));
  EXPECT_CALL(*inner, Run())
      .WillOnce(Return(Status(Error::FromSignal("'x' pw killed", 9, "", "pw"))));
  EXPECT_CALL(*inner, Start()).WillOnce(Return(Status(Error(ErrorCode::kTimeout, "pw late"))));
  std::unique_ptr<Cmd> cmd = MakeRedactingCmd(std::move(inner), {"pw"});
  EXPECT_EQ(*cmd->Output(), "pw ok");
  const Status run = cmd->Run();
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().signal_number(), 9);
  EXPECT_EQ(run.error().message(), "'x' <masked> killed");
  EXPECT_EQ(run.error().stderr_data(), "<masked>");
  const Status started = cmd->Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().ToString(), "timeout: <masked> late");
}

}  // namespace
}  // namespace nsenter
