// The nsenter backend: every command runs as
//   nsenter --mount=FILE [--net=FILE ...] [--wdns=DIR] -- PROGRAM ARGS...
// through an Executor, and symlinks are resolved by the host's realpath(1),
// as in Kubernetes' original. Internal to the library; see nsenter.h.
//
// Thread-safety: immutable; safe to share.
#ifndef NSENTER_NSENTER_PROGRAM_BACKEND_H_
#define NSENTER_NSENTER_PROGRAM_BACKEND_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nsenter/exec.h"
#include "nsenter/host_backend.h"
#include "nsenter/nsenter.h"
#include "nsenter/setns_executor.h"

namespace nsenter {

struct NsenterProgramConfig {
  std::string program;                   // The nsenter program in the container.
  std::vector<NamespaceFile> namespaces;  // In the order they are given to nsenter.
  std::string realpath;                  // Host path of realpath, or "realpath".
  std::chrono::milliseconds realpath_timeout;
  std::string host_path;                 // The PATH of realpath runs.
  std::shared_ptr<const Executor> executor;
  LogSink log;                           // Told each realpath run; may be empty.
};

std::unique_ptr<HostBackend> MakeNsenterProgramBackend(NsenterProgramConfig config);

}  // namespace nsenter

#endif  // NSENTER_NSENTER_PROGRAM_BACKEND_H_
