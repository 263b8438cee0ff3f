// The native resolver (ResolveRealpath over a RootFileView) is never led
// out of its root, and never blocks (hostile-inputs.md B3, B5, B11, C1, C2,
// C5, I9): absolute and climbing symlinks, a directory swapped for a symlink
// to "/" while resolutions run, FIFOs and devices in the way, and procfs
// links, also with procfs bound into the root and a `var/tmp ->
// /proc/1/root/var/tmp` loop. Every test runs with both lookups of
// RootFileView: openat2 and the component walk.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/hardening_test_support.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"

namespace nsenter {
namespace {

using fakehost::TempDir;
using hardening::MissingSetnsPrivilege;
using ::testing::HasSubstr;
using Lookup = RootFileView::Lookup;

constexpr RealpathMode kE = RealpathMode::kMustExist;
constexpr RealpathMode kM = RealpathMode::kAllowMissing;

std::string ModeName(RealpathMode mode) { return mode == kE ? "-e" : "-m"; }

std::shared_ptr<const RootFileView> OpenView(const std::string& root, Lookup lookup) {
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(root, lookup);
  EXPECT_TRUE(view.ok()) << view.error().ToString();
  return view.ok() ? std::shared_ptr<const RootFileView>(std::move(*view)) : nullptr;
}

// Resolves `path` on a thread of its own and waits at most a second: a
// lookup that blocks (on a FIFO, a device, a procfs loop) fails the test
// instead of hanging it. On timeout the thread is left behind (nothing can
// interrupt a blocked open); it holds its own reference to the view.
std::optional<Result<std::string>> ResolveWithinASecond(std::shared_ptr<const RootFileView> view,
                                                        const std::string& path,
                                                        RealpathMode mode) {
  auto answer = std::make_shared<std::promise<Result<std::string>>>();
  std::future<Result<std::string>> future = answer->get_future();
  std::thread([answer, view, path, mode] {
    answer->set_value(ResolveRealpath(*view, path, mode));
  }).detach();
  if (future.wait_for(std::chrono::seconds(1)) != std::future_status::ready) return std::nullopt;
  return future.get();
}

// The device and inode that `path` names when opened below `root` with
// openat2(RESOLVE_IN_ROOT): what a caller acting on a result would reach.
std::optional<std::pair<dev_t, ino_t>> IdentityInRoot(const std::string& root,
                                                      const std::string& path) {
  const int root_fd = open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  open_how how = {};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const int fd = static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
  close(root_fd);
  struct stat info;
  const bool found = fd >= 0 && fstat(fd, &info) == 0;
  if (fd >= 0) close(fd);
  if (!found) return std::nullopt;
  return std::pair{info.st_dev, info.st_ino};
}

std::pair<dev_t, ino_t> Identity(const std::string& path) {
  struct stat info = {};
  EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
  return {info.st_dev, info.st_ino};
}

class EscapeTest : public ::testing::TestWithParam<Lookup> {
 protected:
  std::shared_ptr<const RootFileView> View() const { return OpenView(tree_.path(), GetParam()); }

  TempDir tree_;
};

// B3, B5: an absolute target restarts at the root and ".." stops there, so
// every link shape lands inside the root, on the root's own files.
TEST_P(EscapeTest, AbsoluteAndClimbingLinksStayInTheRoot) {
  tree_.WriteFile("etc/hostname", "inside\n");
  tree_.Symlink("abs", "/etc");
  tree_.Symlink("up", "../../../../../../../../etc");
  tree_.Symlink("deep/er/up", "../../../../../../../../../etc");
  tree_.Symlink("absup", "/../../../etc");
  tree_.Symlink("chain", "up/../abs/../../../abs");
  const std::shared_ptr<const RootFileView> view = View();
  ASSERT_NE(view, nullptr);
  const std::pair<dev_t, ino_t> inside = Identity(tree_.path() + "/etc/hostname");
  // Each of these names the root's /etc.
  for (const std::string etc :
       {"/abs", "/up", "/deep/er/up", "/absup", "/chain", "/../../../etc"}) {
    Result<std::string> resolved = ResolveRealpath(*view, etc + "/hostname", kE);
    ASSERT_TRUE(resolved.ok()) << etc << ": " << resolved.error().ToString();
    EXPECT_EQ(*resolved, "/etc/hostname") << etc;
    EXPECT_EQ(IdentityInRoot(tree_.path(), *resolved), inside) << etc;

    // This machine has /etc/passwd; the root has not, and nothing finds it.
    Result<std::string> missing = ResolveRealpath(*view, etc + "/passwd", kE);
    ASSERT_FALSE(missing.ok()) << etc << "/passwd resolved to " << *missing;
    EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound) << etc;
    EXPECT_EQ(*ResolveRealpath(*view, etc + "/passwd", kM), "/etc/passwd") << etc;
  }
}

// C1, C2: one thread swaps directory a/b with a symlink to "/" (renameat2
// RENAME_EXCHANGE) while this one resolves below a/b. A lookup that followed
// the symlink in the kernel would reach this machine's "/": "a/b/etc/passwd"
// exists only there. Every answer must be one a still tree could give, or an
// error.
TEST_P(EscapeTest, ADirectorySwappedForALinkToSlashNeverLeadsOut) {
  tree_.WriteFile("a/b/c/d");
  tree_.Symlink("a/b-link", "/");
  const std::shared_ptr<const RootFileView> view = View();
  ASSERT_NE(view, nullptr);
  struct Query {
    std::string path;
    RealpathMode mode;
    std::set<std::string> answers;  // With a/b a directory, and a symlink to "/".
  };
  const Query queries[] = {
      {"/a/b/c/d", kE, {"/a/b/c/d"}},
      {"/a/b/c/d", kM, {"/a/b/c/d", "/c/d"}},
      {"/a/b/etc/passwd", kE, {}},
      {"/a/b/etc/passwd", kM, {"/a/b/etc/passwd", "/etc/passwd"}},
  };

  const std::string b = tree_.path() + "/a/b";
  const std::string link = tree_.path() + "/a/b-link";
  std::atomic<bool> stop{false};
  std::atomic<long> swaps{0};
  std::thread swapper([&] {
    while (!stop) {
      if (syscall(SYS_renameat2, AT_FDCWD, b.c_str(), AT_FDCWD, link.c_str(), RENAME_EXCHANGE) ==
          0) {
        ++swaps;
      }
    }
  });
  while (swaps == 0) std::this_thread::yield();

  // At most 5000 resolutions or one second, whichever ends first.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  std::map<std::string, int> seen;  // Answer (or error code) → count.
  std::vector<std::string> escapes;
  for (int i = 0; i < 5000 && std::chrono::steady_clock::now() < deadline; ++i) {
    const Query& query = queries[i % std::size(queries)];
    Result<std::string> resolved = ResolveRealpath(*view, query.path, query.mode);
    if (!resolved.ok()) {
      ++seen[std::string(ErrorCodeName(resolved.error().code()))];
      continue;
    }
    ++seen[*resolved];
    if (query.answers.count(*resolved) == 0 && escapes.size() < 10) {
      escapes.push_back(ModeName(query.mode) + " " + query.path + " -> " + *resolved);
    }
  }
  stop = true;
  swapper.join();

  EXPECT_THAT(escapes, ::testing::IsEmpty());
  std::string summary = std::to_string(swaps) + " swaps;";
  for (const auto& [answer, count] : seen) summary += " " + answer + ": " + std::to_string(count);
  RecordProperty("outcomes", summary);
}

// C5: a FIFO (and a symlink to one) where a directory is expected: lookups
// use O_PATH, so nothing waits for a writer. The answers are realpath's for
// any non-directory (hostile-inputs.md B1, E1).
TEST_P(EscapeTest, AFifoInThePathNeverBlocks) {
  ASSERT_EQ(mkfifo((tree_.path() + "/fifo").c_str(), 0600), 0);
  tree_.Symlink("lfifo", "fifo");
  const std::shared_ptr<const RootFileView> view = View();
  ASSERT_NE(view, nullptr);
  struct Case {
    std::string path;
    RealpathMode mode;
    std::optional<std::string> answer;  // Nothing: kNotADirectory.
  } cases[] = {
      {"/fifo", kE, "/fifo"},         {"/fifo", kM, "/fifo"},       {"/fifo/x", kE, std::nullopt},
      {"/fifo/x", kM, "/fifo/x"},     {"/fifo/", kE, std::nullopt}, {"/fifo/", kM, "/fifo"},
      {"/fifo/..", kE, std::nullopt}, {"/fifo/..", kM, "/"},        {"/lfifo/x", kE, std::nullopt},
      {"/lfifo/x", kM, "/fifo/x"},
  };
  for (const Case& c : cases) {
    const std::string what = ModeName(c.mode) + " " + c.path;
    const std::optional<Result<std::string>> resolved = ResolveWithinASecond(view, c.path, c.mode);
    ASSERT_TRUE(resolved.has_value()) << what << " blocked for more than a second";
    if (c.answer) {
      ASSERT_TRUE(resolved->ok()) << what << ": " << resolved->error().ToString();
      EXPECT_EQ(**resolved, *c.answer) << what;
    } else {
      ASSERT_FALSE(resolved->ok()) << what << " gave " << **resolved;
      EXPECT_EQ(resolved->error().code(), ErrorCode::kNotADirectory) << what;
    }
  }
}

// C5: a character device (a copy of /dev/null's) where a directory is
// expected; opening it for reading would succeed, but nothing opens it.
TEST_P(EscapeTest, ADeviceInThePathNeverBlocks) {
  const std::string device = tree_.path() + "/null";
  if (mknod(device.c_str(), S_IFCHR | 0600, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod needs CAP_MKNOD: " << std::strerror(errno);
  }
  const std::shared_ptr<const RootFileView> view = View();
  ASSERT_NE(view, nullptr);
  for (const RealpathMode mode : {kE, kM}) {
    const std::optional<Result<std::string>> resolved = ResolveWithinASecond(view, "/null/x", mode);
    ASSERT_TRUE(resolved.has_value()) << ModeName(mode) << " /null/x blocked";
    if (mode == kE) {
      ASSERT_FALSE(resolved->ok());
      EXPECT_EQ(resolved->error().code(), ErrorCode::kNotADirectory);
    } else {
      EXPECT_EQ(**resolved, "/null/x");
    }
  }
}

// Expects `path` to be refused or, under -m, kept with the procfs link
// unresolved (the answer starts with `kept`); never followed, and within a
// second (hostile-inputs.md B11). A refusal is kUnsupported, with a message
// of its own (decision 6.3 first gave it kLoop, which read as a symlink
// loop); under -m the resolver keeps a refused link literally, as realpath
// does a failed readlink (realpath_resolver_test,
// RefusedLookupIsMissingUnderAllowMissing). Either way nothing is followed.
void ExpectProcfsLinkRefused(const std::shared_ptr<const RootFileView>& view,
                             const std::string& path, const std::string& kept) {
  for (const RealpathMode mode : {kE, kM}) {
    const std::string what = ModeName(mode) + " " + path;
    const std::optional<Result<std::string>> resolved = ResolveWithinASecond(view, path, mode);
    ASSERT_TRUE(resolved.has_value()) << what << " took more than a second";
    if (mode == kE || !resolved->ok()) {
      ASSERT_FALSE(resolved->ok()) << what << " gave " << **resolved;
      EXPECT_EQ(resolved->error().code(), ErrorCode::kUnsupported) << what;
      EXPECT_THAT(resolved->error().message(), HasSubstr("refusing to follow the procfs link"))
          << what;
    } else {
      EXPECT_EQ((*resolved)->rfind(kept, 0), 0u) << what << " followed the link: " << **resolved;
    }
  }
}

// B11: magic links of this machine's own /proc, with "/" as the root.
TEST_P(EscapeTest, ProcfsLinksAreRefused) {
  const std::shared_ptr<const RootFileView> view = OpenView("/", GetParam());
  ASSERT_NE(view, nullptr);
  for (const std::string path :
       {"/proc/self/root/etc/passwd", "/proc/self/exe", "/proc/self/cwd/x", "/proc/self/fd/0",
        "/proc/thread-self/root", "/proc/self/root/proc/self/root/etc"}) {
    ExpectProcfsLinkRefused(view, path, path);
  }
  ExpectProcfsLinkRefused(view, "/proc/1/root/etc", "/proc/1/root/etc");
}

// I9: with procfs bound into the root, `var/tmp -> /proc/1/root/var/tmp`
// makes a textual walker loop for ever; here it ends at once. The bind lives
// in a private mount namespace of a helper thread (unshare(2) affects the
// calling thread only), which opens the views and keeps the namespace alive
// until the test is done; lookups through the views' descriptors see the
// mounts of that namespace from any thread.
TEST_P(EscapeTest, ALoopThroughBoundProcfsEnds) {
  if (const auto missing = MissingSetnsPrivilege()) GTEST_SKIP() << *missing;
  tree_.MakeDir("proc");
  tree_.Symlink("var/tmp", "/proc/1/root/var/tmp");
  std::promise<std::string> mounted;
  std::shared_ptr<const RootFileView> view;
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  std::thread holder([&] {
    const std::string proc = tree_.path() + "/proc";
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("/proc", proc.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      mounted.set_value(std::string("cannot bind /proc into the root: ") + std::strerror(errno));
      return;
    }
    view = OpenView(tree_.path(), GetParam());
    mounted.set_value("");
    std::unique_lock<std::mutex> lock(mutex);
    done_changed.wait(lock, [&] { return done; });
  });
  const std::string failure = mounted.get_future().get();
  if (failure.empty() && view != nullptr) {
    ExpectProcfsLinkRefused(view, "/var/tmp/x", "/proc/1/root/");
    ExpectProcfsLinkRefused(view, "/var/tmp", "/proc/1/root/");
    ExpectProcfsLinkRefused(view, "/proc/self/root/var/tmp", "/proc/self/root/var/tmp");
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  done_changed.notify_one();
  holder.join();
  EXPECT_EQ(failure, "");
}

INSTANTIATE_TEST_SUITE_P(Lookups, EscapeTest,
                         ::testing::Values(Lookup::kAuto, Lookup::kComponentWalk),
                         [](const auto& info) {
                           return info.param == Lookup::kAuto ? "Openat2" : "ComponentWalk";
                         });

}  // namespace
}  // namespace nsenter
