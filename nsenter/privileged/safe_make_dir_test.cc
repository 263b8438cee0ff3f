// SafeMakeDir against a real host, both backends: a symlinked component is
// refused, and a component swapped for a symlink leading out of the base
// while SafeMakeDir runs never makes it create anything outside the base.
#include "nsenter/mount/safe_make_dir.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/unique_fd.h"

namespace nsenter::privileged {
namespace {

class SafeMakeDirTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

constexpr int kRaceIterations = 10000;

std::unique_ptr<Nsenter> CreateNsenter(const Container& container, Backend backend) {
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
  EXPECT_TRUE(created.ok()) << created.error().ToString();
  return created.ok() ? std::move(*created) : nullptr;
}

TEST_P(SafeMakeDirTest, MakesUnderTheBaseAndRefusesASymlinkedComponent) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const std::string base = container.scratch + "/base";
    const std::string outside = container.scratch + "/outside";
    // The scratch directory is shared: the container writes the host's tree.
    const std::string seen_base = container.rootfs + base;
    const std::string seen_outside = container.rootfs + outside;
    std::filesystem::create_directories(seen_base);
    std::filesystem::create_directories(seen_outside);
    std::filesystem::create_directory_symlink(outside, seen_base + "/link");

    Status made = SafeMakeDir(*ns, "a/b", base, 0710);
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    struct stat st;
    ASSERT_EQ(stat((seen_base + "/a/b").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0710u);

    Status refused = SafeMakeDir(*ns, "link/b", base, 0755);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied) << refused.error().ToString();
    EXPECT_FALSE(std::filesystem::exists(seen_outside + "/b")) << "made outside the base";
  });
}

TEST_P(SafeMakeDirTest, AComponentSwappedForASymlinkInARaceNeverLeadsOutside) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const std::string base = container.scratch + "/base";
    const std::string outside = container.scratch + "/outside";
    const std::string seen_base = container.rootfs + base;
    const std::string seen_outside = container.rootfs + outside;
    std::filesystem::create_directories(seen_base + "/a");
    std::filesystem::create_directories(seen_outside);
    // "a" and "a-link" trade places, atomically, again and again.
    std::filesystem::create_directory_symlink(outside, seen_base + "/a-link");
    const UniqueFd base_fd(open(seen_base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    const UniqueFd real_dir(open((seen_base + "/a").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(base_fd.valid() && real_dir.valid()) << strerror(errno);
    ASSERT_EQ(renameat2(base_fd.get(), "a", base_fd.get(), "a-link", RENAME_EXCHANGE), 0)
        << "RENAME_EXCHANGE: " << strerror(errno);

    std::atomic<bool> stop = false;
    std::atomic<int> swap_errno = 0;
    std::thread swapper([&] {
      while (!stop.load()) {
        if (renameat2(base_fd.get(), "a", base_fd.get(), "a-link", RENAME_EXCHANGE) != 0) {
          swap_errno = errno;
          return;
        }
      }
    });
    int made = 0;
    int refused = 0;
    int escapes = 0;
    std::string other_error;
    for (int i = 0; i < kRaceIterations && other_error.empty(); ++i) {
      Status status = SafeMakeDir(*ns, "a/new", base, 0755);
      if (status.ok()) {
        ++made;
      } else if (status.error().code() == ErrorCode::kPermissionDenied) {
        ++refused;
      } else {
        other_error = status.error().ToString();
      }
      if (rmdir((seen_outside + "/new").c_str()) == 0) ++escapes;
      unlinkat(real_dir.get(), "new", AT_REMOVEDIR);
    }
    stop = true;
    swapper.join();
    EXPECT_EQ(swap_errno.load(), 0) << strerror(swap_errno.load());
    EXPECT_EQ(other_error, "");
    EXPECT_EQ(escapes, 0) << "made " << made << ", refused " << refused;
    // Both outcomes happened: the race was run, not missed.
    EXPECT_GT(made, 0);
    EXPECT_GT(refused, 0);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, SafeMakeDirTest, testing::ValuesIn(AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
