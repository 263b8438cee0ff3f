// The host commands whose answers FakeExecutor computes over a FakeHost
// (besides realpath, realpath_emulation.h): exactly the argv forms that
// nsenter::HostMounter and its host file operations build, parsed here and
// nowhere else.
//
//   findmnt -o target,fstype --noheadings --first-only --target PATH
//   mount [-t TYPE] [-o OPT[,OPT...]] -- SOURCE TARGET
//   systemd-run --description=TEXT --scope -- MOUNT [-t TYPE] [-o OPT[,OPT...]] -- SOURCE TARGET
//     (MOUNT naming mount as PROGRAM below: that mount run in a transient
//     scope, which answers as mount does)
//   systemd-run --description=TEXT --scope -- true
//     (whether systemd-run can run a scope: it can on the fake host)
//   mount --make-rshared -- PATH
//   umount -- TARGET
//   stat -L --printf=%f:%u:%g -- PATH
//   mkdir [-p] [-m MODE] -- PATH      (MODE: 1 to 4 octal digits)
//   touch -- PATH
//
// The program is the bare name or a path whose last component is that name
// (nsenter runs what discovery found, e.g. "/usr/bin/mount"). Any other
// shape (another option, options in another order, a missing "--") is not
// one of these forms: the real tool might do something else.
//
// Example:
//   std::optional<HostCommand> command =
//       ParseHostCommand({"/bin/umount", "--", "/mnt/a"});
//   // std::get<UmountCommand>(*command).target == "/mnt/a"
//
// Thread-safety: pure functions.
#ifndef FAKEHOST_HOST_COMMANDS_H_
#define FAKEHOST_HOST_COMMANDS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nsenter::fakehost {

struct FindmntCommand {
  std::string path;
};

struct MountCommandLine {
  std::string fs_type;               // -t; empty without it.
  std::vector<std::string> options;  // -o, split on its commas; empty without it.
  std::string source;
  std::string target;
  // Set when systemd-run runs the mount in a scope: its --description and
  // the mount program it names.
  std::optional<std::string> scope_description;
  std::string scoped_program;
};

struct SystemdScopeProbeCommand {
  std::string description;  // Its --description.
};

struct MakeRSharedCommand {
  std::string path;
};

struct UmountCommand {
  std::string target;
};

struct StatCommand {
  std::string path;
};

struct MakeDirCommand {
  std::string path;
  bool parents = false;         // -p
  std::optional<mode_t> mode;  // -m
};

struct TouchCommand {
  std::string path;
};

using HostCommand =
    std::variant<FindmntCommand, MountCommandLine, SystemdScopeProbeCommand, MakeRSharedCommand,
                 UmountCommand, StatCommand, MakeDirCommand, TouchCommand>;

// The command `argv` is, if it has one of the forms above; else nullopt.
std::optional<HostCommand> ParseHostCommand(const std::vector<std::string>& argv);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_HOST_COMMANDS_H_
