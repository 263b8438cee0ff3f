// What the host's findmnt, mount, umount, stat, mkdir and touch answer to the
// forms of host_commands.h, computed over a FakeHost's tree and mount table;
// mount, umount, mkdir and touch change the host as the real tools would.
//
// What is emulated (util-linux 2.38 and coreutils 9.1, C locale, run as root
// with umask 022 and the host's "/" as working directory; a relative PATH is
// taken from "/"):
//   - findmnt: the mount holding the resolved PATH (mount_table.h), printed
//     as "TARGET FSTYPE\n" with TARGET padded to findmnt's column width and
//     its non-printable bytes as \xHH; exit 1 and no output when PATH does
//     not exist or no mount holds it;
//   - mount, `mount --make-rshared`, umount: the change of mount_table.h at
//     the resolved path, or util-linux's message and exit status 32
//     ("mount: T: mount point does not exist.", "special device S does not
//     exist.", "mount point not mounted or bad option." for a remount,
//     "not mount point or bad option." for --make-rshared; "umount: T: not
//     mounted.", "target is busy.", "no mount point specified." for a missing
//     T); mount(8)'s messages end with its dmesg(1) hint line;
//   - `systemd-run --description=TEXT --scope -- MOUNT ...`: as that mount,
//     whose status and output systemd-run --scope returns (the scope itself
//     is not modelled); `systemd-run --description=TEXT --scope -- true`,
//     the probe of whether systemd-run works: exit 0 and no output (the
//     fake host stands for a host that runs systemd);
//   - stat: "%f:%u:%g" of the resolved PATH, the raw mode in hex and the
//     owner 0:0 (fixtures record no owners); or "PROGRAM: cannot statx 'PATH':
//     <strerror>" and exit 1;
//   - mkdir -p: every missing directory (mode 0755), following symlinks on the
//     way; or "PROGRAM: cannot create directory 'P': <strerror>" (P the
//     prefix that failed: "File exists" for a non-directory at PATH, "Not a
//     directory" where one is on the way) and exit 1; mkdir without -p: the
//     directory PATH, whose parent must exist, or the same message naming
//     PATH ("File exists" for anything there, "No such file or directory"
//     for a missing parent); with -m MODE the directory PATH gets MODE, the
//     parents -p makes 0755;
//   - touch: an empty file (mode 0644) where nothing exists (at a dangling
//     symlink's target too), nothing where a file exists (times are not
//     modelled); or "PROGRAM: cannot touch 'PATH': <strerror>" and exit 1.
// PROGRAM is argv[0] as given, as coreutils names itself.
//
// Example:
//   Result<Answer> answer = RunHostCommand(*host, "/bin/umount", UmountCommand{"/mnt/a"});
//   // answer->exit_code == 32, answer->stderr_data == "umount: /mnt/a: not mounted.\n"
//
// Errors: kExecFailed for what the fake host does not model, naming it: a
// mount, umount or findmnt on a fixture without a mount table, a mount
// without -t that is not a bind (mount(8) would probe the device), rbind, a
// mkdir path with a ".." component; kInternal for a failure the real tool
// has no message for here; those of writing a change under a materialized
// directory (fake_host.h).
//
// Thread-safety: as FakeHost: commands may run from many threads at once;
// each change is atomic, a command made of several (mkdir -p) is not.
#ifndef FAKEHOST_HOST_COMMAND_EMULATION_H_
#define FAKEHOST_HOST_COMMAND_EMULATION_H_

#include <string>

#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/host_commands.h"
#include "nsenter/error.h"

namespace nsenter::fakehost {

// Runs `command`, whose argv[0] is `program`, on `host`.
Result<Answer> RunHostCommand(FakeHost& host, const std::string& program,
                              const HostCommand& command);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_HOST_COMMAND_EMULATION_H_
