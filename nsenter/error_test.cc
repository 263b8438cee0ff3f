#include "nsenter/error.h"

#include <cerrno>
#include <string>

#include "gtest/gtest.h"

namespace nsenter {
namespace {

TEST(ErrorTest, ToStringNamesCodeMessageAndStderr) {
  const Error error = Error::FromProcess(ErrorCode::kNonZeroExit, "'/bin/false' exited with status 1",
                                         1, "out", "boom\n");
  EXPECT_EQ(error.ToString(), "non-zero exit: '/bin/false' exited with status 1; stderr: boom");
  EXPECT_TRUE(error.has_exit_status());
  EXPECT_EQ(error.exit_status(), 1);
  EXPECT_EQ(error.stdout_data(), "out");
}

TEST(ErrorTest, PlainErrorHasNoProcessDetails) {
  const Error error(ErrorCode::kInvalidArgument, "path is empty");
  EXPECT_FALSE(error.has_exit_status());
  EXPECT_EQ(error.ToString(), "invalid argument: path is empty");
}

TEST(ErrorTest, WithCodeKeepsProcessDetails) {
  const Error error = Error::FromProcess(ErrorCode::kNonZeroExit, "m", 127, "", "nsenter: x\n");
  const Error mapped = error.WithCode(ErrorCode::kNotFound, "host program not found");
  EXPECT_EQ(mapped.code(), ErrorCode::kNotFound);
  EXPECT_EQ(mapped.message(), "host program not found");
  EXPECT_EQ(mapped.exit_status(), 127);
  EXPECT_EQ(mapped.stderr_data(), "nsenter: x\n");
}

TEST(ErrorTest, ErrnoMapping) {
  EXPECT_EQ(ErrorCodeFromErrno(ENOENT), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeFromErrno(ELOOP), ErrorCode::kLoop);
  EXPECT_EQ(ErrorCodeFromErrno(ENOTDIR), ErrorCode::kNotADirectory);
  EXPECT_EQ(ErrorCodeFromErrno(EEXIST), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ErrorCodeFromErrno(EACCES), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrorCodeFromErrno(EROFS), ErrorCode::kPermissionDenied);  // A read-only file system.
  EXPECT_EQ(ErrorCodeFromErrno(ENAMETOOLONG), ErrorCode::kNameTooLong);
  EXPECT_EQ(ErrorCodeFromErrno(EIO), ErrorCode::kInternal);
}

TEST(ResultTest, HoldsValueOrError) {
  Result<std::string> value = std::string("x");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, "x");
  EXPECT_EQ(value->size(), 1u);

  Result<std::string> failure = Error(ErrorCode::kNotFound, "nope");
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.error().code(), ErrorCode::kNotFound);
}

TEST(ResultTest, StatusOkAndError) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status failed = Error(ErrorCode::kTimeout, "slow");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "slow");
}

}  // namespace
}  // namespace nsenter
