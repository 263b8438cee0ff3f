// The one place that turns a mount request into mount(8) arguments.
//
// A request is refused, with nothing to run, where its bytes could make
// mount(8) do more than the caller asked: every option must be one option
// (no comma, no double quote — libmount reads `name="a,b"` as one option and
// `a,b` as two — no control character, no leading `-` or `=`), so `-o`
// cannot gain a `suid`, `exec` or `dev` that the caller did not pass; a
// source or target never starts with `-` (and comes after `--` anyway); the
// target, and the source of a bind mount, are absolute paths without NUL;
// the type is a plain file-system name (`ext4`, `fuse.sshfs`).
//
// Sensitive options (credentials, `password=`) are passed apart, as
// Kubernetes' MountSensitive: they go into the argv to run, after the other
// options; HostMounter runs it with them as secrets (Nsenter::ExecWithSecrets),
// and the refusal of one never shows it.
//
// A bind mount with other options is two commands, as mount(8) needs:
// `mount [-t TYPE] -o bind -- SOURCE TARGET`, then
// `mount [-t TYPE] -o bind,remount,OPTS -- SOURCE TARGET`.
//
// Example:
//   nsenter::Result<std::vector<nsenter::MountCommand>> commands =
//       nsenter::BuildMountCommands({"/var/lib/a", "/mnt/a", "", {"bind", "ro"}, {}});
//   // commands: {"-o", "bind", "--", "/var/lib/a", "/mnt/a"},
//   //           {"-o", "bind,remount,ro", "--", "/var/lib/a", "/mnt/a"}
//
// Thread-safety: pure functions.
#ifndef NSENTER_MOUNT_MOUNT_ARGS_H_
#define NSENTER_MOUNT_MOUNT_ARGS_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"

namespace nsenter {

struct MountRequest {
  std::string source;  // A device, a remote spec ("server:/export"), or a path.
  std::string target;  // An absolute host path.
  std::string fs_type;  // "" lets mount(8) choose (and for a bind mount).
  std::vector<std::string> options;            // Each one option.
  std::vector<std::string> sensitive_options;  // Each one option; never shown.
};

// The arguments of one mount(8) run (without the program name).
struct MountCommand {
  std::vector<std::string> args;
};

// Whether `request` is a bind mount: "bind" or "rbind" among its options.
bool IsBindMount(const MountRequest& request);

// The mount(8) runs that perform `request`: one, or two for a bind mount with
// other options ("bind" or "rbind" among the options).
// Errors: kInvalidArgument, naming the field (and, except for a sensitive
// option, showing it quoted): an empty, relative or NUL-bearing target; an
// empty or NUL-bearing source, a source starting with `-`, a relative source
// of a bind mount; a type that is not [A-Za-z0-9._+-] or starts with `-`; an
// empty option, or one holding a comma, double quote, control character, or
// starting with `-` or `=`.
Result<std::vector<MountCommand>> BuildMountCommands(const MountRequest& request);

// The arguments of umount(8) for `target`: {"--", target}.
// Errors: kInvalidArgument for an empty, relative or NUL-bearing target.
Result<std::vector<std::string>> BuildUnmountArgs(const std::string& target);

// Checks that `path` is an absolute host path without NUL; `what` names it
// in the error ("target", "path"). Errors: kInvalidArgument.
Status ValidateHostPath(const std::string& path, const std::string& what);

// Checks that `mode` holds permission bits alone (at most 07777).
// Errors: kInvalidArgument, showing the mode in octal.
Status ValidateMode(mode_t mode);

// A mode written as mkdir(1)'s -m takes it from HostFiles::MakeDir: 1 to 4
// octal digits ("750", "2775"); nullopt for anything else.
std::optional<mode_t> ParseOctalMode(std::string_view text);

}  // namespace nsenter

#endif  // NSENTER_MOUNT_MOUNT_ARGS_H_
