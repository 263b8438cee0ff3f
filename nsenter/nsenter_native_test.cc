// The Nsenter facade with Backend::kNative, in this process's own mount
// namespace (entering it again is allowed to root): commands run through
// setns, and EvalSymlinks resolves inside the host root.
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/testing/host_root.h"

namespace nsenter {
namespace {

using ::testing::HasSubstr;

class NativeNsenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "setns needs root with CAP_SYS_ADMIN";
    root_.WriteFile("etc/hostname", "host\n");
    root_.Symlink("abs", "/etc");
  }

  std::unique_ptr<Nsenter> Make() {
    Options options;
    options.host_root = root_.path();
    options.backend = Backend::kNative;
    options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
    options.log = [this](int verbosity, std::string_view message) {
      logged_.emplace_back(verbosity, std::string(message));
    };
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(std::move(options));
    EXPECT_TRUE(ns.ok()) << ns.error().ToString();
    return ns.ok() ? std::move(*ns) : nullptr;
  }

  testing_support::HostRoot root_;
  std::vector<std::pair<int, std::string>> logged_;
};

TEST_F(NativeNsenterTest, ExecRunsThroughSetns) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->backend(), Backend::kNative);
  Result<std::string> out = ns->Exec("/bin/echo", {"on", "the host"})->Output();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, "on the host\n");
}

TEST_F(NativeNsenterTest, MissingHostProgramIsNotFoundAsThroughNsenter) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  Result<std::string> out = ns->Exec("/no/such/tool", {})->Output();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kNotFound);
}

TEST_F(NativeNsenterTest, FallsBackToTheHostRootWithAWarning) {
  // The tree has no proc/1/root: symlinks are resolved in the tree itself.
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->resolution_root(), root_.path());
  ASSERT_FALSE(logged_.empty());
  EXPECT_EQ(logged_[0].first, 0);
  EXPECT_THAT(logged_[0].second, HasSubstr("not in the target's root"));
}

TEST_F(NativeNsenterTest, UsesTheTargetsRootWhenItCanBeOpened) {
  root_.Symlink("proc/1/root", root_.path() + "/target");
  root_.WriteFile("target/etc/hostname", "target\n");
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->resolution_root(), root_.path() + "/proc/1/root");
  EXPECT_TRUE(logged_.empty());
  EXPECT_EQ(*ns->EvalSymlinks("/etc/hostname", true), "/etc/hostname");
}

TEST_F(NativeNsenterTest, EvalSymlinksResolvesInsideTheHostRoot) {
  std::unique_ptr<Nsenter> ns = Make();
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(*ns->EvalSymlinks("/abs/hostname", true), "/etc/hostname");
  EXPECT_EQ(*ns->EvalSymlinks("/abs/missing/x", false), "/etc/missing/x");
  // This machine has /etc/passwd; the host root does not.
  Result<std::string> outside = ns->EvalSymlinks("/abs/passwd", true);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code(), ErrorCode::kNotFound);
  Result<std::string> relative = ns->EvalSymlinks("abs", true);
  ASSERT_FALSE(relative.ok());
  EXPECT_EQ(relative.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(NativeNsenterTest, AWrongNamespaceFileFailsCreate) {
  Options options;
  options.host_root = root_.path();
  options.backend = Backend::kNative;
  options.log = [](int, std::string_view) {};
  Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);  // <root>/proc/1/ns/mnt
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(ns.error().message(), HasSubstr(root_.path() + "/proc/1/ns/mnt"));

  options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/net";
  ns = Nsenter::Create(options);
  ASSERT_FALSE(ns.ok());
  EXPECT_EQ(ns.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(ns.error().message(), HasSubstr("is not a mount namespace"));
}

}  // namespace
}  // namespace nsenter
