// HostMounter's commands and answers, on a strict mock of Nsenter: each test
// pins down the exact argv run, and that refused input runs nothing.
#include "nsenter/mount/host_mounter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/mock_executor.h"
#include "nsenter/mount/host_command_answers.h"
#include "fakehost/temp_dir.h"
#include "nsenter/quote.h"
#include "nsenter/root_file_view.h"

namespace nsenter {
namespace {

using fakehost::MockNsenter;
using mount_testing::Answering;
using mount_testing::Exited;
using ::testing::ByMove;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::InSequence;
using ::testing::Not;
using ::testing::Return;
using ::testing::ReturnRef;
using ::testing::StrictMock;

class HostMounterTest : public ::testing::Test {
 protected:
  HostMounterTest() : mounter_(ns_) {
    EXPECT_CALL(ns_, HostEnvironment())
        .WillRepeatedly(Return(std::vector<std::string>{"PATH=/usr/bin:/bin"}));
    EXPECT_CALL(ns_, backend()).WillRepeatedly(Return(Backend::kNsenter));
  }

  void ExpectRun(const std::string& program, std::vector<std::string> args,
                 Result<std::string> output) {
    EXPECT_CALL(ns_, Exec(program, args)).WillOnce(Return(ByMove(Answering(std::move(output)))));
  }
  void ExpectRun(const std::string& program, std::vector<std::string> args, const char* stdout) {
    ExpectRun(program, std::move(args), Result<std::string>(std::string(stdout)));
  }

  StrictMock<MockNsenter> ns_;
  HostMounter mounter_;
};

TEST_F(HostMounterTest, MountRunsMountWithTypeOptionsAndDoubleDash) {
  ExpectRun("mount", {"-t", "tmpfs", "-o", "size=1m,mode=0700", "--", "tmpfs", "/mnt/t"}, "");
  EXPECT_TRUE(mounter_.Mount({"tmpfs", "/mnt/t", "tmpfs", {"size=1m", "mode=0700"}, {}}).ok());
}

TEST_F(HostMounterTest, BindWithReadOnlyIsBindThenRemount) {
  InSequence in_order;
  ExpectRun("mount", {"-o", "bind", "--", "/var/a", "/mnt/a"}, "");
  ExpectRun("mount", {"-o", "bind,remount,ro", "--", "/var/a", "/mnt/a"}, "");
  EXPECT_TRUE(mounter_.Mount({"/var/a", "/mnt/a", "", {"bind", "ro"}, {}}).ok());
}

TEST_F(HostMounterTest, AFailedBindStopsBeforeTheRemountAndNamesTheCommand) {
  ExpectRun("mount", {"-o", "bind", "--", "/var/a", "/mnt/a"},
            Exited(32, "mount: /mnt/a: special device /var/a does not exist.\n"));
  Status mounted = mounter_.Mount({"/var/a", "/mnt/a", "", {"bind", "ro"}, {}});
  ASSERT_FALSE(mounted.ok());
  EXPECT_EQ(mounted.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_EQ(mounted.error().exit_status(), 32);
  EXPECT_THAT(mounted.error().message(),
              HasSubstr("mount '-o' 'bind' '--' '/var/a' '/mnt/a': '/usr/bin/x' exited"));
  EXPECT_THAT(mounted.error().stderr_data(), HasSubstr("does not exist"));
}

TEST_F(HostMounterTest, SensitiveOptionsRunAsSecretsAndErrorsNameTheCommandMasked) {
  EXPECT_CALL(ns_, ExecWithSecrets("mount",
                                    std::vector<std::string>{"-t", "cifs", "-o",
                                                             "vers=3.0,password=hunter2", "--",
                                                             "//s/share", "/mnt/s"},
                                    std::vector<std::string>{"password=hunter2"}))
      .WillOnce(Return(ByMove(Answering(Exited(32, "mount error(13): Permission denied\n")))));
  Status mounted =
      mounter_.Mount({"//s/share", "/mnt/s", "cifs", {"vers=3.0"}, {"password=hunter2"}});
  ASSERT_FALSE(mounted.ok());
  EXPECT_EQ(mounted.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(mounted.error().message(),
              HasSubstr("mount '-t' 'cifs' '-o' 'vers=3.0,<masked>' '--' '//s/share' '/mnt/s': "));
  EXPECT_THAT(mounted.error().ToString(), Not(HasSubstr("hunter2")));
}

// The systemd-run route: a FUSE-like type on a host with systemd-run.
class HostMounterScopeTest : public HostMounterTest {
 protected:
  void HostHasSystemdRun(bool found) {
    EXPECT_CALL(ns_, SupportsSystemd())
        .WillRepeatedly(
            Return(SystemdSupport{found ? "/usr/bin/systemd-run" : "systemd-run", found}));
    EXPECT_CALL(ns_, AbsHostPath("mount")).WillRepeatedly(Return("/usr/bin/mount"));
  }
};

TEST_F(HostMounterScopeTest, AFuseTypeRunsMountInATransientScope) {
  HostHasSystemdRun(true);
  ExpectRun("/usr/bin/systemd-run",
            {"--description=Transient mount for /mnt/f", "--scope", "--", "/usr/bin/mount", "-t",
             "fuse.sshfs", "-o", "ro", "--", "u@h:/", "/mnt/f"},
            "");
  EXPECT_TRUE(mounter_.Mount({"u@h:/", "/mnt/f", "fuse.sshfs", {"ro"}, {}}).ok());
}

TEST_F(HostMounterScopeTest, EachDefaultTypeIsScopedAndOthersAreNot) {
  HostHasSystemdRun(true);
  for (const std::string type : {"fuse", "fuse.ceph", "fuseblk", "glusterfs", "ceph-fuse"}) {
    ExpectRun("/usr/bin/systemd-run",
              {"--description=Transient mount for /mnt/f", "--scope", "--", "/usr/bin/mount", "-t",
               type, "--", "src", "/mnt/f"},
              "");
    EXPECT_TRUE(mounter_.Mount({"src", "/mnt/f", type, {}, {}}).ok()) << type;
  }
  for (const std::string type : {"tmpfs", "fuse2", "nfs", "ceph", "xfuse.x"}) {
    ExpectRun("mount", {"-t", type, "--", "src", "/mnt/f"}, "");
    EXPECT_TRUE(mounter_.Mount({"src", "/mnt/f", type, {}, {}}).ok()) << type;
  }
}

TEST_F(HostMounterScopeTest, WithoutSystemdRunAFuseTypeIsAPlainMount) {
  HostHasSystemdRun(false);
  ExpectRun("mount", {"-t", "fuse.sshfs", "--", "u@h:/", "/mnt/f"}, "");
  EXPECT_TRUE(mounter_.Mount({"u@h:/", "/mnt/f", "fuse.sshfs", {}, {}}).ok());
}

TEST_F(HostMounterScopeTest, ABindMountIsNeverScoped) {
  HostHasSystemdRun(true);
  ExpectRun("mount", {"-t", "fuse.sshfs", "-o", "bind", "--", "/var/a", "/mnt/a"}, "");
  EXPECT_TRUE(mounter_.Mount({"/var/a", "/mnt/a", "fuse.sshfs", {"bind"}, {}}).ok());
}

TEST_F(HostMounterScopeTest, TheListIsConfigurable) {
  HostHasSystemdRun(true);
  const HostMounter mounter(ns_, {.systemd_scope_fs_types = {"tmpfs"}});
  ExpectRun("/usr/bin/systemd-run",
            {"--description=Transient mount for /mnt/t", "--scope", "--", "/usr/bin/mount", "-t",
             "tmpfs", "--", "tmpfs", "/mnt/t"},
            "");
  EXPECT_TRUE(mounter.Mount({"tmpfs", "/mnt/t", "tmpfs", {}, {}}).ok());
  ExpectRun("mount", {"-t", "fuse.sshfs", "--", "u@h:/", "/mnt/f"}, "");
  EXPECT_TRUE(mounter.Mount({"u@h:/", "/mnt/f", "fuse.sshfs", {}, {}}).ok());
}

TEST_F(HostMounterScopeTest, SensitiveOptionsOfAScopedMountStayOutOfTheDescriptionAndErrors) {
  HostHasSystemdRun(true);
  EXPECT_CALL(ns_, ExecWithSecrets("/usr/bin/systemd-run",
                                    std::vector<std::string>{
                                        "--description=Transient mount for /mnt/g", "--scope",
                                        "--", "/usr/bin/mount", "-t", "glusterfs", "-o",
                                        "key=s3cret", "--", "h:/v", "/mnt/g"},
                                    std::vector<std::string>{"key=s3cret"}))
      .WillOnce(Return(ByMove(Answering(Exited(32, "")))));
  Status mounted = mounter_.Mount({"h:/v", "/mnt/g", "glusterfs", {}, {"key=s3cret"}});
  ASSERT_FALSE(mounted.ok());
  EXPECT_THAT(mounted.error().message(),
              HasSubstr("/usr/bin/systemd-run '--description=Transient mount for /mnt/g' "
                        "'--scope' '--' '/usr/bin/mount' '-t' 'glusterfs' '-o' '<masked>' "));
  EXPECT_THAT(mounted.error().ToString(), Not(HasSubstr("s3cret")));
}

TEST_F(HostMounterTest, UnmountRunsUmountWithDoubleDash) {
  ExpectRun("umount", {"--", "/mnt/-t"}, "");
  EXPECT_TRUE(mounter_.Unmount("/mnt/-t").ok());
}

TEST_F(HostMounterTest, UnmountOfATargetNotMountedHasItsOwnCode) {
  ExpectRun("umount", {"--", "/mnt/x"}, Exited(32, "umount: /mnt/x: not mounted.\n"));
  Status unmounted = mounter_.Unmount("/mnt/x");
  ASSERT_FALSE(unmounted.ok());
  EXPECT_EQ(unmounted.error().code(), ErrorCode::kNotMounted);
  EXPECT_EQ(unmounted.error().message(), "'/mnt/x' is not mounted on the host");
  EXPECT_EQ(unmounted.error().exit_status(), 32);
}

// The target's own name may hold umount's words: a busy mount there, or a
// missing target, is still a failure, not "not mounted".
TEST_F(HostMounterTest, ATargetNamedLikeUmountsMessageIsNotTakenForNotMounted) {
  const std::string target = "/tmp/x: not mounted/y";
  ExpectRun("umount", {"--", target}, Exited(32, "umount: " + target + ": target is busy.\n"));
  Status unmounted = mounter_.Unmount(target);
  ASSERT_FALSE(unmounted.ok());
  EXPECT_EQ(unmounted.error().code(), ErrorCode::kNonZeroExit);

  const std::string missing = "/tmp/x: not mounted";
  ExpectRun("umount", {"--", missing},
            Exited(32, "umount: " + missing + ": no mount point specified.\n"));
  unmounted = mounter_.Unmount(missing);
  ASSERT_FALSE(unmounted.ok());
  EXPECT_EQ(unmounted.error().code(), ErrorCode::kNonZeroExit);
}

TEST_F(HostMounterTest, AnotherUmountFailureStaysAFailure) {
  ExpectRun("umount", {"--", "/mnt/x"}, Exited(32, "umount: /mnt/x: target is busy.\n"));
  Status unmounted = mounter_.Unmount("/mnt/x");
  ASSERT_FALSE(unmounted.ok());
  EXPECT_EQ(unmounted.error().code(), ErrorCode::kNonZeroExit);
  EXPECT_THAT(unmounted.error().message(), HasSubstr("umount '--' '/mnt/x': "));
}

const std::vector<std::string> kFindmnt = {"-o", "target,fstype", "--noheadings", "--first-only",
                                           "--target"};

std::vector<std::string> FindmntArgs(const std::string& path) {
  std::vector<std::string> args = kFindmnt;
  args.push_back(path);
  return args;
}

TEST_F(HostMounterTest, AMountPointIsNotLikelyNotAMountPoint) {
  EXPECT_CALL(ns_, EvalSymlinks("/var/lib/link", true))
      .WillOnce(Return(std::string("/var/lib/kubelet")));
  ExpectRun("findmnt", FindmntArgs("/var/lib/kubelet"), "/var/lib/kubelet ext4\n");
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/var/lib/link");
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
  EXPECT_FALSE(*likely_not);
}

TEST_F(HostMounterTest, APathInsideAMountIsLikelyNotAMountPoint) {
  EXPECT_CALL(ns_, EvalSymlinks("/var/lib/d", true)).WillOnce(Return(std::string("/var/lib/d")));
  ExpectRun("findmnt", FindmntArgs("/var/lib/d"), "/var       ext4  \n");
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/var/lib/d");
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
  EXPECT_TRUE(*likely_not);
}

TEST_F(HostMounterTest, FindmntsHexEscapesAreDecoded) {
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/a b", true)).WillOnce(Return(std::string("/mnt/a b")));
  ExpectRun("findmnt", FindmntArgs("/mnt/a b"), "/mnt/a\\x20b tmpfs\n");
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/mnt/a b");
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
  EXPECT_FALSE(*likely_not);
}

// findmnt pads its TARGET cell with spaces, and prints a target's own
// trailing spaces as they are.
TEST_F(HostMounterTest, ATargetEndingInSpacesIsNamedWithThemAndAShortOneDespiteItsPadding) {
  const std::vector<std::pair<std::string, std::string>> mount_points = {
      {"/mnt/trailing  ", "/mnt/trailing   tmpfs\n"}, {"/ab", "/ab    tmpfs\n"}};
  for (const auto& [path, output] : mount_points) {
    EXPECT_CALL(ns_, EvalSymlinks(path, true)).WillOnce(Return(path));
    ExpectRun("findmnt", FindmntArgs(path), output);
    Result<bool> likely_not = mounter_.IsLikelyNotMountPoint(path);
    ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
    EXPECT_FALSE(*likely_not) << Quote(path);
  }
  const std::vector<std::pair<std::string, std::string>> inside = {
      {"/mnt/a  ", "/mnt   tmpfs\n"}, {"/mnt/t /d", "/mnt/t  tmpfs\n"}};
  for (const auto& [path, output] : inside) {
    EXPECT_CALL(ns_, EvalSymlinks(path, true)).WillOnce(Return(path));
    ExpectRun("findmnt", FindmntArgs(path), output);
    Result<bool> likely_not = mounter_.IsLikelyNotMountPoint(path);
    ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
    EXPECT_TRUE(*likely_not) << Quote(path);
  }
}

TEST_F(HostMounterTest, AFindmntThatFindsNothingMeansNotAMountPoint) {
  EXPECT_CALL(ns_, EvalSymlinks("/x", true)).WillOnce(Return(std::string("/x")));
  ExpectRun("findmnt", FindmntArgs("/x"), Exited(1, ""));
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/x");
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
  EXPECT_TRUE(*likely_not);
}

TEST_F(HostMounterTest, AFindmntThatCannotRunIsAnError) {
  EXPECT_CALL(ns_, EvalSymlinks("/x", true)).WillOnce(Return(std::string("/x")));
  ExpectRun("findmnt", FindmntArgs("/x"),
            Error(ErrorCode::kNotFound, "host program 'findmnt' not found"));
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/x");
  ASSERT_FALSE(likely_not.ok());
  EXPECT_EQ(likely_not.error().code(), ErrorCode::kNotFound);
}

TEST_F(HostMounterTest, FindmntOutputWithoutATargetIsInternal) {
  EXPECT_CALL(ns_, EvalSymlinks("/x", true)).WillOnce(Return(std::string("/x")));
  ExpectRun("findmnt", FindmntArgs("/x"), "ext4\n");
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/x");
  ASSERT_FALSE(likely_not.ok());
  EXPECT_EQ(likely_not.error().code(), ErrorCode::kInternal);
  EXPECT_THAT(likely_not.error().message(), HasSubstr("'ext4\\n'"));
}

TEST_F(HostMounterTest, AMissingPathIsNotFoundAndFindmntDoesNotRun) {
  EXPECT_CALL(ns_, EvalSymlinks("/gone", true))
      .WillOnce(Return(Error(ErrorCode::kNotFound, "'/gone': No such file or directory")));
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/gone");
  ASSERT_FALSE(likely_not.ok());
  EXPECT_EQ(likely_not.error().code(), ErrorCode::kNotFound);
}

class HostMounterListTest : public HostMounterTest {
 protected:
  HostMounterListTest() : pid_mounter_(ns_, {.target_pid = 7}) {
    EXPECT_CALL(ns_, host_root()).WillRepeatedly(ReturnRef(root_.path()));
    Result<std::unique_ptr<RootFileView>> files = RootFileView::Open(root_.path());
    EXPECT_TRUE(files.ok()) << files.error().ToString();
    root_files_ = std::move(*files);
    EXPECT_CALL(ns_, host_files()).WillRepeatedly(ReturnRef(*root_files_));
  }
  fakehost::TempDir root_;
  std::unique_ptr<RootFileView> root_files_;  // Of root_: the host's files.
  HostMounter pid_mounter_;
};

TEST_F(HostMounterListTest, ReadsTheTargetsMountinfoUnderTheHostRoot) {
  root_.WriteFile("proc/7/mountinfo",
                  "1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
                  "2 1 0:40 / /mnt/a\\040b rw - tmpfs tmpfs rw,size=8k\n");
  Result<std::vector<MountInfo>> table = pid_mounter_.List();
  ASSERT_TRUE(table.ok()) << table.error().message();
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ((*table)[1].mount_point, "/mnt/a b");
  EXPECT_THAT((*table)[0].optional_fields, ElementsAre("shared:1"));
}

TEST_F(HostMounterListTest, AMissingTableIsNotFoundNamingTheFile) {
  Result<std::vector<MountInfo>> table = pid_mounter_.List();
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(table.error().message(), HasSubstr("/proc/7/mountinfo"));
}

TEST_F(HostMounterListTest, AMalformedTableNamesTheFileAndLine) {
  root_.WriteFile("proc/7/mountinfo", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\nbroken\n");
  Result<std::vector<MountInfo>> table = pid_mounter_.List();
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(table.error().message(), HasSubstr("/proc/7/mountinfo"));
  EXPECT_THAT(table.error().message(), HasSubstr("mountinfo line 2 'broken'"));
}

const char kRefsTable[] =
    "1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
    "2 1 8:1 /var/lib/a /mnt/a rw - ext4 /dev/sda1 rw\n"
    "3 1 8:1 /var/lib/a /mnt/b rw - ext4 /dev/sda1 rw\n"
    "4 1 8:1 /other /mnt/c rw - ext4 /dev/sda1 rw\n"
    "5 1 8:2 /var/lib/a /mnt/d rw - ext4 /dev/sdb1 rw\n"
    "6 1 8:1 /var/lib/a /mnt/e rw shared:9 - ext4 /dev/sda1 rw\n";

TEST_F(HostMounterListTest, MountRefsAreTheOtherMountsOfTheSameRootAndDevice) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/link", true)).WillOnce(Return(std::string("/mnt/a")));
  Result<std::vector<std::string>> refs = pid_mounter_.GetMountRefs("/mnt/link");
  ASSERT_TRUE(refs.ok()) << refs.error().message();
  EXPECT_THAT(*refs, ElementsAre("/mnt/b", "/mnt/e"));
}

TEST_F(HostMounterListTest, APathThatIsNoMountPointHasNoRefs) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/a/sub", true)).WillOnce(Return(std::string("/mnt/a/sub")));
  Result<std::vector<std::string>> refs = pid_mounter_.GetMountRefs("/mnt/a/sub");
  ASSERT_TRUE(refs.ok()) << refs.error().message();
  EXPECT_THAT(*refs, ::testing::IsEmpty());
}

TEST_F(HostMounterListTest, IsMountPointThroughNsenterIsAMountPointInTheTableAndRunsNothing) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/link", true)).WillOnce(Return(std::string("/mnt/c")));
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/a/sub", true)).WillOnce(Return(std::string("/mnt/a/sub")));
  EXPECT_CALL(ns_, EvalSymlinks("/mnt", true)).WillOnce(Return(std::string("/mnt")));
  Result<bool> link = pid_mounter_.IsMountPoint("/mnt/link");
  ASSERT_TRUE(link.ok()) << link.error().message();
  EXPECT_TRUE(*link);
  Result<bool> inside = pid_mounter_.IsMountPoint("/mnt/a/sub");
  ASSERT_TRUE(inside.ok()) << inside.error().message();
  EXPECT_FALSE(*inside);
  Result<bool> parent = pid_mounter_.IsMountPoint("/mnt");
  ASSERT_TRUE(parent.ok()) << parent.error().message();
  EXPECT_FALSE(*parent);
}

TEST_F(HostMounterListTest, IsMountPointThroughNsenterReturnsResolutionAndTableErrors) {
  EXPECT_CALL(ns_, EvalSymlinks("/gone", true))
      .WillOnce(Return(Error(ErrorCode::kNotFound, "'/gone' does not exist")));
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/a", true)).WillOnce(Return(std::string("/mnt/a")));
  Result<bool> gone = pid_mounter_.IsMountPoint("/gone");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), ErrorCode::kNotFound);
  Result<bool> no_table = pid_mounter_.IsMountPoint("/mnt/a");
  ASSERT_FALSE(no_table.ok());
  EXPECT_EQ(no_table.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(no_table.error().message(), HasSubstr("/proc/7/mountinfo"));
}

TEST_F(HostMounterListTest, AMissingPathHasNoRefsAndAnotherResolutionErrorIsReturned) {
  EXPECT_CALL(ns_, EvalSymlinks("/gone", true))
      .WillOnce(Return(Error(ErrorCode::kNotFound, "'/gone': No such file or directory")));
  Result<std::vector<std::string>> refs = pid_mounter_.GetMountRefs("/gone");
  ASSERT_TRUE(refs.ok()) << refs.error().message();
  EXPECT_THAT(*refs, ::testing::IsEmpty());

  EXPECT_CALL(ns_, EvalSymlinks("/loop", true))
      .WillOnce(Return(Error(ErrorCode::kLoop, "'/loop': Too many levels of symbolic links")));
  Result<std::vector<std::string>> looped = pid_mounter_.GetMountRefs("/loop");
  ASSERT_FALSE(looped.ok());
  EXPECT_EQ(looped.error().code(), ErrorCode::kLoop);
}

TEST_F(HostMounterListTest, MakeRSharedMakesAPrivateMountRshared) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/b", true)).WillOnce(Return(std::string("/mnt/b")));
  ExpectRun("mount", {"--make-rshared", "--", "/mnt/b"}, "");
  Status shared = pid_mounter_.MakeRShared("/mnt/b");
  EXPECT_TRUE(shared.ok()) << shared.error().message();
}

TEST_F(HostMounterListTest, MakeRSharedLeavesASharedMountAlone) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/mnt/e", true)).WillOnce(Return(std::string("/mnt/e")));
  Status shared = pid_mounter_.MakeRShared("/mnt/e");  // The strict mock: nothing runs.
  EXPECT_TRUE(shared.ok()) << shared.error().message();
}

TEST_F(HostMounterListTest, MakeRSharedBindsAPathThatIsNoMountPointOntoItselfFirst) {
  root_.WriteFile("proc/7/mountinfo", kRefsTable);
  EXPECT_CALL(ns_, EvalSymlinks("/var/lib/kubelet", true))
      .WillOnce(Return(std::string("/var/lib/kubelet")));
  InSequence in_order;
  ExpectRun("mount", {"-o", "bind", "--", "/var/lib/kubelet", "/var/lib/kubelet"}, "");
  ExpectRun("mount", {"--make-rshared", "--", "/var/lib/kubelet"}, "");
  Status shared = pid_mounter_.MakeRShared("/var/lib/kubelet");
  EXPECT_TRUE(shared.ok()) << shared.error().message();
}

// Hostile input: a clear error, and the strict mock proves nothing ran.
TEST_F(HostMounterTest, HostileMountRequestsRunNothing) {
  const std::vector<MountRequest> requests = {
      {"tmpfs", "", "tmpfs", {}, {}},
      {"tmpfs", "mnt", "tmpfs", {}, {}},
      {"tmpfs", std::string("/m\0n", 4), "tmpfs", {}, {}},
      {"-oexec", "/mnt/t", "tmpfs", {}, {}},
      {"tmpfs", "/mnt/t", "tmpfs", {"nosuid,suid"}, {}},
      {"tmpfs", "/mnt/t", "tmpfs", {"ro\nexec"}, {}},
      {"tmpfs", "/mnt/t", "tmpfs", {"x=\"a", "dev\""}, {}},
      {"tmpfs", "/mnt/t", "tmpfs", {"=dev"}, {}},
      {"/var/a", "/mnt/a", "-t", {"bind"}, {}},
  };
  for (const MountRequest& request : requests) {
    Status mounted = mounter_.Mount(request);
    ASSERT_FALSE(mounted.ok());
    EXPECT_EQ(mounted.error().code(), ErrorCode::kInvalidArgument) << mounted.error().message();
  }
}

TEST_F(HostMounterTest, HostilePathsRunNothing) {
  for (const std::string& path : {std::string(""), std::string("rel/p"), std::string("-l"),
                                  std::string("/a\0b", 4)}) {
    Status unmounted = mounter_.Unmount(path);
    ASSERT_FALSE(unmounted.ok());
    EXPECT_EQ(unmounted.error().code(), ErrorCode::kInvalidArgument);
    Result<bool> likely_not = mounter_.IsLikelyNotMountPoint(path);
    ASSERT_FALSE(likely_not.ok());
    EXPECT_EQ(likely_not.error().code(), ErrorCode::kInvalidArgument);
    Result<bool> mount_point = mounter_.IsMountPoint(path);
    ASSERT_FALSE(mount_point.ok());
    EXPECT_EQ(mount_point.error().code(), ErrorCode::kInvalidArgument);
    Result<std::vector<std::string>> refs = mounter_.GetMountRefs(path);
    ASSERT_FALSE(refs.ok());
    EXPECT_EQ(refs.error().code(), ErrorCode::kInvalidArgument);
    Status shared = mounter_.MakeRShared(path);
    ASSERT_FALSE(shared.ok());
    EXPECT_EQ(shared.error().code(), ErrorCode::kInvalidArgument);
  }
}

// ---- Natively: statx below the resolution root; the strict mock proves
// that no process is started. ----

class NativeMountPointTest : public ::testing::Test {
 protected:
  NativeMountPointTest() : mounter_(ns_) {
    EXPECT_CALL(ns_, backend()).WillRepeatedly(Return(Backend::kNative));
    root_.WriteFile("d/f", "x");
    root_.Symlink("d/link", "/etc");
  }

  void Resolve(const std::string& path, Result<std::string> resolved) {
    EXPECT_CALL(ns_, EvalSymlinks(path, true)).WillOnce(Return(std::move(resolved)));
  }
  void RootIs(const std::string& resolution_root) {
    EXPECT_CALL(ns_, resolution_root()).WillRepeatedly(Return(resolution_root));
  }

  fakehost::TempDir root_;
  StrictMock<MockNsenter> ns_;
  HostMounter mounter_;
};

TEST_F(NativeMountPointTest, ADirectoryOrFileOfAPlainTreeIsNoMountPoint) {
  RootIs(root_.path());
  for (const std::string path : {"/d", "/d/f"}) {
    Resolve("/x" + path, path);
    Result<bool> mount_point = mounter_.IsMountPoint("/x" + path);
    ASSERT_TRUE(mount_point.ok()) << mount_point.error().message();
    EXPECT_FALSE(*mount_point) << path;
    Resolve("/y" + path, path);
    Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/y" + path);
    ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
    EXPECT_TRUE(*likely_not) << path;
  }
}

// The test's own /proc is a real mount point: with "/" as the resolution
// root, statx sees it as one (and its parent "/" holds it, so this is not a
// device comparison that a bind mount would fool).
TEST_F(NativeMountPointTest, ARealMountPointIsOne) {
  RootIs("/");
  Resolve("/proc", std::string("/proc"));
  Resolve("/proc/", std::string("/proc"));
  Result<bool> mount_point = mounter_.IsMountPoint("/proc");
  ASSERT_TRUE(mount_point.ok()) << mount_point.error().message();
  EXPECT_TRUE(*mount_point);
  Result<bool> likely_not = mounter_.IsLikelyNotMountPoint("/proc/");
  ASSERT_TRUE(likely_not.ok()) << likely_not.error().message();
  EXPECT_FALSE(*likely_not);
}

TEST_F(NativeMountPointTest, ASymlinkSwappedInAfterResolutionIsRefused) {
  RootIs(root_.path());
  Resolve("/a", std::string("/d/link"));
  Resolve("/b", std::string("/d/link/passwd"));
  for (const std::string path : {"/a", "/b"}) {
    Result<bool> mount_point = mounter_.IsMountPoint(path);
    ASSERT_FALSE(mount_point.ok());
    EXPECT_EQ(mount_point.error().code(), ErrorCode::kPermissionDenied);
    EXPECT_THAT(mount_point.error().message(), HasSubstr("'/d/link' is a symlink"));
  }
}

TEST_F(NativeMountPointTest, ResolutionAndRootErrorsAreReturned) {
  Resolve("/gone", Error(ErrorCode::kNotFound, "'/gone' does not exist"));
  Result<bool> gone = mounter_.IsLikelyNotMountPoint("/gone");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), ErrorCode::kNotFound);
  RootIs(root_.path() + "/missing");
  Resolve("/d", std::string("/d"));
  Result<bool> no_root = mounter_.IsMountPoint("/d");
  ASSERT_FALSE(no_root.ok());
  EXPECT_EQ(no_root.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(no_root.error().message(), HasSubstr("/missing"));
}

}  // namespace
}  // namespace nsenter
