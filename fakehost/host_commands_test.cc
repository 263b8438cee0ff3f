#include "fakehost/host_commands.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace nsenter::fakehost {
namespace {

TEST(ParseHostCommandTest, ReadsTheFormsHostMounterBuilds) {
  const auto findmnt = ParseHostCommand(
      {"/bin/findmnt", "-o", "target,fstype", "--noheadings", "--first-only", "--target", "/a b"});
  ASSERT_TRUE(findmnt && std::holds_alternative<FindmntCommand>(*findmnt));
  EXPECT_EQ(std::get<FindmntCommand>(*findmnt).path, "/a b");

  const auto mount =
      ParseHostCommand({"mount", "-t", "tmpfs", "-o", "size=1m,ro", "--", "tmpfs", "/mnt/-t"});
  ASSERT_TRUE(mount && std::holds_alternative<MountCommandLine>(*mount));
  const auto& line = std::get<MountCommandLine>(*mount);
  EXPECT_EQ(line.fs_type, "tmpfs");
  EXPECT_EQ(line.options, (std::vector<std::string>{"size=1m", "ro"}));
  EXPECT_EQ(line.source, "tmpfs");
  EXPECT_EQ(line.target, "/mnt/-t");

  const auto bind = ParseHostCommand({"/usr/bin/mount", "-o", "bind", "--", "/a", "/b"});
  ASSERT_TRUE(bind && std::holds_alternative<MountCommandLine>(*bind));
  EXPECT_EQ(std::get<MountCommandLine>(*bind).fs_type, "");

  const auto shared = ParseHostCommand({"/bin/mount", "--make-rshared", "--", "/var/lib/kubelet"});
  ASSERT_TRUE(shared && std::holds_alternative<MakeRSharedCommand>(*shared));
  EXPECT_EQ(std::get<MakeRSharedCommand>(*shared).path, "/var/lib/kubelet");

  const auto umount = ParseHostCommand({"/bin/umount", "--", "/mnt/a"});
  ASSERT_TRUE(umount && std::holds_alternative<UmountCommand>(*umount));
  EXPECT_EQ(std::get<UmountCommand>(*umount).target, "/mnt/a");

  const auto stat = ParseHostCommand({"/bin/stat", "-L", "--printf=%f:%u:%g", "--", "/x"});
  ASSERT_TRUE(stat && std::holds_alternative<StatCommand>(*stat));
  EXPECT_EQ(std::get<StatCommand>(*stat).path, "/x");

  const auto mkdir = ParseHostCommand({"/bin/mkdir", "-p", "--", "/x/y"});
  ASSERT_TRUE(mkdir && std::holds_alternative<MakeDirCommand>(*mkdir));
  EXPECT_EQ(std::get<MakeDirCommand>(*mkdir).path, "/x/y");
  EXPECT_TRUE(std::get<MakeDirCommand>(*mkdir).parents);
  EXPECT_EQ(std::get<MakeDirCommand>(*mkdir).mode, std::nullopt);

  const auto mkdir_mode = ParseHostCommand({"/bin/mkdir", "-m", "2750", "--", "/x"});
  ASSERT_TRUE(mkdir_mode && std::holds_alternative<MakeDirCommand>(*mkdir_mode));
  EXPECT_EQ(std::get<MakeDirCommand>(*mkdir_mode).path, "/x");
  EXPECT_FALSE(std::get<MakeDirCommand>(*mkdir_mode).parents);
  EXPECT_EQ(std::get<MakeDirCommand>(*mkdir_mode).mode, mode_t{02750});

  const auto mkdir_both = ParseHostCommand({"mkdir", "-p", "-m", "0700", "--", "/x"});
  ASSERT_TRUE(mkdir_both && std::holds_alternative<MakeDirCommand>(*mkdir_both));
  EXPECT_TRUE(std::get<MakeDirCommand>(*mkdir_both).parents);
  EXPECT_EQ(std::get<MakeDirCommand>(*mkdir_both).mode, mode_t{0700});

  const auto touch = ParseHostCommand({"/bin/touch", "--", "/x/f"});
  ASSERT_TRUE(touch && std::holds_alternative<TouchCommand>(*touch));
  EXPECT_EQ(std::get<TouchCommand>(*touch).path, "/x/f");
}

TEST(ParseHostCommandTest, ReadsAMountInATransientSystemdScope) {
  const auto scoped = ParseHostCommand({"/usr/bin/systemd-run", "--description=mount of /mnt/f",
                                        "--scope", "--", "/usr/bin/mount", "-t", "fuse.x", "-o",
                                        "ro", "--", "src", "/mnt/f"});
  ASSERT_TRUE(scoped && std::holds_alternative<MountCommandLine>(*scoped));
  const auto& line = std::get<MountCommandLine>(*scoped);
  EXPECT_EQ(line.scope_description, "mount of /mnt/f");
  EXPECT_EQ(line.scoped_program, "/usr/bin/mount");
  EXPECT_EQ(line.fs_type, "fuse.x");
  EXPECT_EQ(line.options, std::vector<std::string>{"ro"});
  EXPECT_EQ(line.source, "src");
  EXPECT_EQ(line.target, "/mnt/f");

  const auto plain = ParseHostCommand({"mount", "-t", "fuse.x", "--", "src", "/mnt/f"});
  ASSERT_TRUE(plain && std::holds_alternative<MountCommandLine>(*plain));
  EXPECT_EQ(std::get<MountCommandLine>(*plain).scope_description, std::nullopt);
}

TEST(ParseHostCommandTest, ReadsTheSystemdScopeProbe) {
  const auto probe =
      ParseHostCommand({"/usr/bin/systemd-run", "--description=probe", "--scope", "--", "true"});
  ASSERT_TRUE(probe && std::holds_alternative<SystemdScopeProbeCommand>(*probe));
  EXPECT_EQ(std::get<SystemdScopeProbeCommand>(*probe).description, "probe");
}

class UnknownFormTest : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(UnknownFormTest, IsNoHostCommand) { EXPECT_FALSE(ParseHostCommand(GetParam())); }

INSTANTIATE_TEST_SUITE_P(
    OtherShapes, UnknownFormTest,
    ::testing::Values(
        std::vector<std::string>{},
        std::vector<std::string>{"findmnt", "--target", "/"},
        std::vector<std::string>{"findmnt", "-o", "target,fstype", "--noheadings", "--first-only",
                                 "--target"},
        std::vector<std::string>{"mount", "tmpfs", "/mnt"},                       // No "--".
        std::vector<std::string>{"mount", "-o", "ro", "-t", "tmpfs", "--", "t", "/m"},  // Order.
        std::vector<std::string>{"mount", "--", "/a"},                            // One operand.
        std::vector<std::string>{"mount", "--", "/a", "/b", "/c"},
        std::vector<std::string>{"mount", "--make-shared", "--", "/a"},
        std::vector<std::string>{"umount", "/mnt"},
        std::vector<std::string>{"umount", "-l", "--", "/mnt"},
        std::vector<std::string>{"stat", "--", "/x"},
        std::vector<std::string>{"stat", "-L", "--printf=%a", "--", "/x"},
        std::vector<std::string>{"mkdir", "/x"},                                  // No "--".
        std::vector<std::string>{"mkdir", "-p", "--", "/x", "/y"},
        std::vector<std::string>{"mkdir", "-m", "0700", "-p", "--", "/x"},        // Order.
        std::vector<std::string>{"mkdir", "-m", "u=rwx", "--", "/x"},             // Not octal.
        std::vector<std::string>{"mkdir", "-m", "17777", "--", "/x"},
        std::vector<std::string>{"mkdir", "-m", "", "--", "/x"},
        std::vector<std::string>{"mkdir", "-v", "--", "/x"},
        std::vector<std::string>{"touch", "/x"},
        std::vector<std::string>{"/bin/xmount", "--", "a", "/b"},
        // systemd-run: only a mount or the probe, with exactly --description=, --scope, --.
        std::vector<std::string>{"systemd-run", "--scope", "--", "mount", "--", "a", "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--", "mount", "--", "a", "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "mount", "--", "a",
                                 "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "umount",
                                 "--", "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "mount",
                                 "--make-rshared", "--", "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "mount", "a",
                                 "/b"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--"},
        // The probe: exactly "true" after "--".
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "true"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "/bin/true"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "true", "x"},
        std::vector<std::string>{"systemd-run", "--description=d", "--scope", "--", "false"}));

}  // namespace
}  // namespace nsenter::fakehost
