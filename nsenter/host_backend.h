// HostBackend: how an Nsenter reaches the host — the two backends behind the
// facade (nsenter.h). Internal to the library.
//
// Thread-safety: implementations are immutable and safe to share.
#ifndef NSENTER_HOST_BACKEND_H_
#define NSENTER_HOST_BACKEND_H_

#include <memory>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/exec.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter {

class HostBackend {
 public:
  virtual ~HostBackend() = default;

  // A command running `host_program` (a discovered host path, or a name for
  // the host's PATH) with `args` in the host's namespaces. Input is valid.
  virtual std::unique_ptr<Cmd> Command(const std::string& host_program,
                                       const std::vector<std::string>& args) const = 0;

  // realpath -e / -m of absolute host path `path`, resolved on the host.
  virtual Result<std::string> Resolve(const std::string& path, RealpathMode mode) const = 0;

  // Where symlinks are resolved, for the record: "" when the host's realpath
  // does it, else the container-side directory used as the host's "/".
  virtual std::string resolution_root() const = 0;
};

// The log line, at verbosity 5, of a command the library runs on the host:
// "running on the host: 'PROGRAM' 'ARG'...".
std::string HostRunLogLine(const std::string& host_program, const std::vector<std::string>& args);

}  // namespace nsenter

#endif  // NSENTER_HOST_BACKEND_H_
