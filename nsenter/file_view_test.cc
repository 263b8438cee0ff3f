#include "nsenter/file_view.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nsenter {
namespace {

// A view that resolves nothing and reads nothing of its own.
class PathOnlyView final : public FileView {
 public:
  Result<FileStat> Lstat(const std::string& /*host_path*/) const override {
    return FileStat{FileType::kRegular, 1, 1, 0644};
  }
  Result<std::string> Readlink(const std::string& host_path) const override {
    return Error(ErrorCode::kInvalidArgument, host_path + " is not a symlink");
  }
};

TEST(FileViewTest, AViewThatDoesNotReadFilesSaysSoNamingThePath) {
  Result<std::string> read = PathOnlyView().ReadFile("/proc/1/mountinfo");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(read.error().message(), ::testing::HasSubstr("cannot read '/proc/1/mountinfo'"));
}

}  // namespace
}  // namespace nsenter
