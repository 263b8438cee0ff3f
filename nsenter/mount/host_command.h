// Running one host program for the mount package, the way every operation
// of it does: through `Nsenter::Exec` (either backend), with the host
// environment plus LC_ALL=C, so that the program's messages can be
// recognised ("not mounted", "No such file or directory").
//
// Thread-safety: a pure function of its arguments; `ns` is shared read-only.
#ifndef NSENTER_MOUNT_HOST_COMMAND_H_
#define NSENTER_MOUNT_HOST_COMMAND_H_

#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/nsenter.h"

namespace nsenter {

// Runs host program `program` with `args` and returns its stdout; with
// `secrets`, through Nsenter::ExecWithSecrets, which masks them in its log
// line and errors, else through Nsenter::Exec.
// Errors: those of `Nsenter::Exec`'s Output (kNonZeroExit with the status
// and output kept, ...), the message starting with "PROGRAM ARGS: " (the
// arguments quoted, `secrets` masked).
Result<std::string> RunHostCommand(const Nsenter& ns, const std::string& program,
                                   const std::vector<std::string>& args,
                                   const std::vector<std::string>& secrets = {});

}  // namespace nsenter

#endif  // NSENTER_MOUNT_HOST_COMMAND_H_
