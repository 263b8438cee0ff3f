// nsenterctl mount, umount and mkdir in a privileged container on a real
// host, with each backend: a tmpfs mounted with `mount` reaches the
// container's rslave view and `is-mount-point`, `umount` reverses it, and a
// second `umount` exits 1 saying the target is not mounted; `mkdir -m`
// makes a directory with exactly that mode, and `mkdir --safe-under`
// refuses a symlink below its base.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/exec.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/process_executor.h"

namespace nsenter::privileged {
namespace {

using ::testing::HasSubstr;

class CliMountTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
};

// nsenterctl COMMAND --rootfs ROOTFS [--backend native] ARGS...
CliRun Nsenterctl(const Container& container, Backend backend, const std::string& command,
                  const std::vector<std::string>& args) {
  const std::string binary = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                             std::getenv("TEST_WORKSPACE") + "/tools/nsenterctl";
  std::vector<std::string> words = {command, "--rootfs", container.rootfs};
  if (backend == Backend::kNative) words.insert(words.end(), {"--backend", "native"});
  words.insert(words.end(), args.begin(), args.end());
  Result<std::string> out = ProcessExecutor().Command(binary, words)->Output();
  if (out.ok()) return {0, *out, ""};
  return {out.error().has_exit_status() ? out.error().exit_status() : -1,
          out.error().stdout_data(), out.error().stderr_data()};
}

TEST_P(CliMountTest, MountIsMountPointAndUmountActOnTheHost) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::string target = container.scratch;
    CliRun run = Nsenterctl(container, backend, "mount",
                            {"-t", "tmpfs", "-o", "size=1m,nosuid", "--", "cli-test", target});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(IsMountPoint(container.rootfs + target)) << "the mount did not reach the container";
    run = Nsenterctl(container, backend, "is-mount-point", {target});
    EXPECT_EQ(run.out, "yes\n") << run.err;

    run = Nsenterctl(container, backend, "umount", {target});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_FALSE(IsMountPoint(container.rootfs + target)) << "the unmount did not reach it";
    run = Nsenterctl(container, backend, "umount", {target});
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("nsenterctl: '" + target + "' is not mounted on the host"));
  });
}

TEST_P(CliMountTest, MkdirModeIsExactAndSafeUnderRefusesASymlink) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::string dir = container.scratch + "/made";
    CliRun run = Nsenterctl(container, backend, "mkdir", {"-m", "2751", dir});
    ASSERT_EQ(run.status, 0) << run.err;
    struct stat st;
    ASSERT_EQ(stat((container.rootfs + dir).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 02751u);
    run = Nsenterctl(container, backend, "mkdir", {dir});
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("File exists"));

    // A symlink below the base, leading out of it, is never followed.
    ASSERT_EQ(symlink(container.host_only_mount.c_str(),
                      (container.rootfs + dir + "/out").c_str()), 0);
    run = Nsenterctl(container, backend, "mkdir", {"--safe-under", dir, dir + "/out/x"});
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("'" + dir + "/out' is a symlink; refusing to follow it"));
    run = Nsenterctl(container, backend, "mkdir",
                     {"--safe-under", dir, "-m", "0700", dir + "/in/x"});
    ASSERT_EQ(run.status, 0) << run.err;
    ASSERT_EQ(stat((container.rootfs + dir + "/in/x").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0700u);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, CliMountTest, testing::ValuesIn(AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
