#include "tools/nsenterctl/mount_namespace.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenterctl {

nsenter::Status CheckMountNamespace(const nsenter::Nsenter& ns) {
  const nsenter::UniqueFd mount_namespace(open(ns.mount_namespace().c_str(), O_RDONLY | O_CLOEXEC));
  if (mount_namespace.valid()) return {};
  const int error = errno;
  return nsenter::Error(
      nsenter::ErrorCodeFromErrno(error),
      "cannot open the host's mount namespace " + nsenter::Quote(ns.mount_namespace()) + ": " +
          std::strerror(error) +
          " (is the container in the host's PID namespace: --pid=host, hostPID: true?)");
}

}  // namespace nsenterctl
