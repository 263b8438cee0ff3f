// HostMounter against a real host: mounts made through it reach the host,
// show in the container's rslave view and in List(), and go with Unmount;
// a bind mount with "ro" is read-only; IsMountPoint and IsLikelyNotMountPoint
// see a tmpfs and a bind mount of a directory onto itself; sensitive options
// are mounted and never logged or shown in errors; listed types go through
// the host's systemd-run --scope (a recording script). Both backends.
#include "nsenter/mount/host_mounter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/mounts.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/quote.h"

namespace nsenter::privileged {
namespace {

class HostMounterTest : public PrivilegedTest, public testing::WithParamInterface<Backend> {};

constexpr char kSource[] = "host-mounter-test";

std::unique_ptr<Nsenter> CreateNsenter(const Container& container, Backend backend) {
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(NsenterOptions(container, backend));
  EXPECT_TRUE(created.ok()) << created.error().ToString();
  if (!created.ok()) return nullptr;
  return std::move(*created);
}

// The host's mount at `path` in List(), or null.
std::unique_ptr<MountInfo> Listed(const HostMounter& mounter, const std::string& path) {
  Result<std::vector<MountInfo>> table = mounter.List();
  EXPECT_TRUE(table.ok()) << table.error().ToString();
  if (!table.ok()) return nullptr;
  const auto found = std::find_if(table->rbegin(), table->rend(),
                                  [&](const MountInfo& m) { return m.mount_point == path; });
  return found == table->rend() ? nullptr : std::make_unique<MountInfo>(*found);
}

// Both IsMountPoint and IsLikelyNotMountPoint tell `mount_point` of `path`.
void ExpectMountPoint(const HostMounter& mounter, const std::string& path, bool mount_point) {
  Result<bool> exact = mounter.IsMountPoint(path);
  ASSERT_TRUE(exact.ok()) << exact.error().ToString();
  EXPECT_EQ(*exact, mount_point) << "IsMountPoint " << path;
  Result<bool> likely_not = mounter.IsLikelyNotMountPoint(path);
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().ToString();
  EXPECT_EQ(*likely_not, !mount_point) << "IsLikelyNotMountPoint " << path;
}

TEST_P(HostMounterTest, ATmpfsMountReachesTheContainerAndListAndUnmountReversesIt) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string kubelet_path = container.rootfs + container.scratch;
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, false));

    Status mounted = mounter.Mount({kSource, container.scratch, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    EXPECT_TRUE(IsMountPoint(kubelet_path)) << "the mount did not reach the container";
    const std::unique_ptr<MountInfo> listed = Listed(mounter, container.scratch);
    ASSERT_NE(listed, nullptr) << "List() misses the mount";
    EXPECT_EQ(listed->fs_type, "tmpfs");
    EXPECT_EQ(listed->source, kSource);
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, true));

    Status unmounted = mounter.Unmount(container.scratch);
    ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();
    EXPECT_FALSE(IsMountPoint(kubelet_path)) << "the unmount did not reach the container";
    EXPECT_EQ(Listed(mounter, container.scratch), nullptr);
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, container.scratch, false));

    Status again = mounter.Unmount(container.scratch);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code(), ErrorCode::kNotMounted) << again.error().ToString();
  });
}

TEST_P(HostMounterTest, ABindMountWithRoIsReadOnly) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string source = container.scratch + "/source";
    const std::string target = container.scratch + "/target";
    Status made = ns->Exec("mkdir", {"-p", source, target})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();

    Status mounted = mounter.Mount({source, target, "", {"bind", "ro"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    const std::unique_ptr<MountInfo> listed = Listed(mounter, target);
    ASSERT_NE(listed, nullptr);
    EXPECT_EQ(listed->mount_options.front(), "ro");
    EXPECT_FALSE(ns->Exec("touch", {target + "/file"})->Run().ok()) << "the bind is writable";
    Status touched = ns->Exec("touch", {source + "/file"})->Run();
    EXPECT_TRUE(touched.ok()) << touched.error().ToString();

    Status unmounted = mounter.Unmount(target);
    EXPECT_TRUE(unmounted.ok()) << unmounted.error().ToString();
  });
}

TEST_P(HostMounterTest, ABindMountOfADirectoryOntoItselfIsAMountPoint) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string self = container.scratch + "/self";
    const std::string inside = self + "/inside";
    Status made = ns->Exec("mkdir", {"-p", inside})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, false));

    Status mounted = mounter.Mount({self, self, "", {"bind"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, true));
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, inside, false));

    Status unmounted = mounter.Unmount(self);
    ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();
    ASSERT_NO_FATAL_FAILURE(ExpectMountPoint(mounter, self, false));
  });
}

bool IsShared(const MountInfo& mount) {
  return std::any_of(mount.optional_fields.begin(), mount.optional_fields.end(),
                     [](const std::string& field) { return field.starts_with("shared:"); });
}

TEST_P(HostMounterTest, MakeRSharedTurnsAPrivateMountAndAPlainDirectoryRshared) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const std::unique_ptr<Nsenter> ns = CreateNsenter(container, backend);
    ASSERT_NE(ns, nullptr);
    const HostMounter mounter(*ns);
    const std::string private_mount = container.scratch + "/private";
    const std::string plain = container.scratch + "/plain";
    Status made = ns->Exec("mkdir", {"-p", private_mount, plain})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    Status mounted = mounter.Mount({kSource, private_mount, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    Status privatized = ns->Exec("mount", {"--make-private", private_mount})->Run();
    ASSERT_TRUE(privatized.ok()) << privatized.error().ToString();
    std::unique_ptr<MountInfo> listed = Listed(mounter, private_mount);
    ASSERT_NE(listed, nullptr);
    ASSERT_FALSE(IsShared(*listed)) << "the mount was not made private";

    for (const std::string& path : {private_mount, plain}) {
      Status shared = mounter.MakeRShared(path);
      ASSERT_TRUE(shared.ok()) << shared.error().ToString();
      listed = Listed(mounter, path);
      ASSERT_NE(listed, nullptr) << path << " is not a mount point";
      EXPECT_TRUE(IsShared(*listed)) << path << " is not shared";
    }
  });
}

// Sensitive options reach mount(8) (the tmpfs gets the mode given as one)
// and no log line, at any verbosity, or error text of a mount, succeeding
// or failing, shows them.
TEST_P(HostMounterTest, SensitiveOptionsAreMountedButNeverLoggedOrInErrors) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    auto logged = std::make_shared<std::vector<std::string>>();
    Options options = NsenterOptions(container, backend);
    options.log = [logged](int verbosity, std::string_view message) {
      logged->push_back(std::to_string(verbosity) + ": " + std::string(message));
    };
    Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(options);
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    const HostMounter mounter(**created);

    Status mounted =
        mounter.Mount({kSource, container.scratch, "tmpfs", {"size=1m"}, {"mode=0711"}});
    ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
    const std::unique_ptr<MountInfo> listed = Listed(mounter, container.scratch);
    ASSERT_NE(listed, nullptr);
    EXPECT_THAT(listed->super_options, testing::Contains("mode=711"));
    Status unmounted = mounter.Unmount(container.scratch);
    ASSERT_TRUE(unmounted.ok()) << unmounted.error().ToString();

    Status failed = mounter.Mount({kSource, container.scratch, "tmpfs", {}, {"password=hunter2"}});
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code(), ErrorCode::kNonZeroExit) << failed.error().ToString();
    EXPECT_THAT(failed.error().message(), testing::HasSubstr("'-o' '<masked>'"));
    EXPECT_THAT(failed.error().ToString(), testing::Not(testing::HasSubstr("hunter2")));
    EXPECT_THAT(failed.error().stdout_data(), testing::Not(testing::HasSubstr("hunter2")));
    EXPECT_THAT(*logged, testing::Contains(testing::HasSubstr("'-o' 'size=1m,<masked>'")));
    for (const std::string& line : *logged) {
      EXPECT_THAT(line, testing::Not(testing::HasSubstr("mode=0711")));
      EXPECT_THAT(line, testing::Not(testing::HasSubstr("hunter2")));
    }
  });
}

// A host whose systemd-run is a script that records the arguments of each
// run, one a line and a line "." after the run's last, in
// <scratch>/systemd-run.argv. One that works runs what follows "--" (the
// mount, or the probe's `true`); one that does not fails every run as
// systemd-run does on a host whose init is not systemd.
struct RecordingSystemdRun {
  RecordingSystemdRun(const Container& container, bool works)
      : dir(container.scratch + "/bin"), record(container.scratch + "/systemd-run.argv") {
    std::filesystem::create_directories(dir);
    std::ofstream script(dir + "/systemd-run");
    script << "#!/bin/sh\n"
           << "printf '%s\\n' \"$@\" . >> '" << record << "'\n";
    if (works) {
      script << "while [ \"$#\" -gt 0 ] && [ \"$1\" != -- ]; do shift; done\n"
             << "shift\n"
             << "exec \"$@\"\n";
    } else {
      script << "echo 'System has not been booted with systemd as init system (PID 1).' >&2\n"
             << "exit 1\n";
    }
    script.close();
    std::filesystem::permissions(dir + "/systemd-run", std::filesystem::perms(0755));
  }

  // The arguments of each run since the last call, in order; then forgets
  // them.
  std::vector<std::vector<std::string>> TakeRuns() const {
    std::vector<std::vector<std::string>> runs(1);
    std::ifstream in(record);
    for (std::string line; std::getline(in, line);) {
      if (line == ".") {
        runs.emplace_back();
      } else {
        runs.back().push_back(line);
      }
    }
    runs.pop_back();
    std::filesystem::remove(record);
    return runs;
  }

  std::string dir;
  std::string record;
};

using Runs = std::vector<std::vector<std::string>>;

// A Nsenter of `container` whose discovery finds `systemd_run`.
std::shared_ptr<const Nsenter> WithSystemdRun(const Container& container, Backend backend,
                                              const RecordingSystemdRun& systemd_run) {
  Options options = NsenterOptions(container, backend);
  options.search_dirs.insert(options.search_dirs.begin(), systemd_run.dir);
  Result<std::unique_ptr<Nsenter>> created = Nsenter::Create(options);
  EXPECT_TRUE(created.ok()) << created.error().ToString();
  if (!created.ok()) return nullptr;
  EXPECT_EQ((*created)->SupportsSystemd().path, systemd_run.dir + "/systemd-run");
  return std::move(*created);
}

const std::vector<std::string> kProbe = {"--description=Transient mount scope probe", "--scope",
                                         "--", "true"};

// Both backends: a FUSE-like type of the default list goes through the
// host's systemd-run --scope, after the probe that systemd-run works (its
// mount fails: the kernel has no such type), a type the options list
// (tmpfs) is mounted through it for real, and an unlisted type is a plain
// mount.
TEST_P(HostMounterTest, ListedTypesGoThroughSystemdRunScopeAndOthersDoNot) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const RecordingSystemdRun systemd_run(container, true);
    const std::shared_ptr<const Nsenter> ns = WithSystemdRun(container, backend, systemd_run);
    ASSERT_NE(ns, nullptr);
    const std::string mount = ns->AbsHostPath("mount");
    const std::string target = container.scratch + "/volume";
    Status made = ns->Exec("mkdir", {"-p", target})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    const std::vector<std::string> scope = {"--description=Transient mount for " + Quote(target),
                                            "--scope", "--", mount};

    const HostMounter by_default(*ns);
    Status fuse = by_default.Mount({"test-source", target, "fuse.test", {}, {}});
    EXPECT_FALSE(fuse.ok()) << "the kernel mounted a fuse.test";
    std::vector<std::string> expected = scope;
    expected.insert(expected.end(), {"-t", "fuse.test", "--", "test-source", target});
    EXPECT_EQ(systemd_run.TakeRuns(), (Runs{kProbe, expected}));

    Status plain = by_default.Mount({kSource, target, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(plain.ok()) << plain.error().ToString();
    EXPECT_EQ(systemd_run.TakeRuns(), Runs{}) << "tmpfs went through the scope";
    ASSERT_TRUE(by_default.Unmount(target).ok());

    const HostMounter tmpfs_scoped(*ns, {.systemd_scope_fs_types = {"tmpfs"}});
    Status scoped = tmpfs_scoped.Mount({kSource, target, "tmpfs", {"size=1m"}, {}});
    ASSERT_TRUE(scoped.ok()) << scoped.error().ToString();
    expected = scope;
    expected.insert(expected.end(), {"-t", "tmpfs", "-o", "size=1m", "--", kSource, target});
    EXPECT_EQ(systemd_run.TakeRuns(), (Runs{kProbe, expected}));
    EXPECT_TRUE(IsMountPoint(container.rootfs + target))
        << "the scoped mount did not reach the container";
    ASSERT_NE(Listed(tmpfs_scoped, target), nullptr);
    ASSERT_TRUE(tmpfs_scoped.Unmount(target).ok());
  });
}

// Both backends: where the host's systemd-run fails the probe (installed,
// but the host's init is not systemd), a listed type is a plain mount, the
// probe is run once, and the fallback is logged.
TEST_P(HostMounterTest, AListedTypeIsAPlainMountWhereSystemdRunFailsTheProbe) {
  RunInContainer(Propagation::kRslave, [backend = GetParam()](const Container& container) {
    const RecordingSystemdRun systemd_run(container, false);
    const std::shared_ptr<const Nsenter> ns = WithSystemdRun(container, backend, systemd_run);
    ASSERT_NE(ns, nullptr);
    const std::string target = container.scratch + "/volume";
    Status made = ns->Exec("mkdir", {"-p", target})->Run();
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    std::vector<std::string> logged;
    const HostMounter tmpfs_scoped(
        *ns, {.systemd_scope_fs_types = {"tmpfs"},
              .log = [&](int, std::string_view message) { logged.emplace_back(message); }});

    for (int round = 0; round < 2; ++round) {
      Status mounted = tmpfs_scoped.Mount({kSource, target, "tmpfs", {"size=1m"}, {}});
      ASSERT_TRUE(mounted.ok()) << mounted.error().ToString();
      EXPECT_TRUE(IsMountPoint(container.rootfs + target))
          << "the mount did not reach the container";
      ASSERT_TRUE(tmpfs_scoped.Unmount(target).ok());
    }
    EXPECT_EQ(systemd_run.TakeRuns(), Runs{kProbe});
    EXPECT_THAT(logged, testing::Contains(testing::HasSubstr("not been booted with systemd")));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, HostMounterTest, testing::ValuesIn(AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace nsenter::privileged
