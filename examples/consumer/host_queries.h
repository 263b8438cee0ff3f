// What a node agent asks of its host through nsenter_cpp: which kernel the
// host runs, and where a host path really is (on the host, and as this
// container sees it).
//
// Thread-safety: free functions; as safe as the Nsenter they are given.
#ifndef HOST_QUERIES_H_
#define HOST_QUERIES_H_

#include <chrono>
#include <string>

#include "nsenter/nsenter.h"

namespace node_agent {

// How long `uname -r` may take on the host.
inline constexpr std::chrono::seconds kUnameTimeout{5};

// The host's kernel release: `uname -r` run in the host's mount namespace,
// without its newline. Errors: those of running the command (nsenter.h), and
// kInternal when it does not print exactly one non-empty line.
nsenter::Result<std::string> HostKernelRelease(const nsenter::Nsenter& ns);

struct HostLocation {
  std::string host_path;       // Symlinks resolved on the host, e.g. "/run/containerd".
  std::string container_path;  // The same file seen here, e.g. "/rootfs/run/containerd".
};

// Where host path `path` is, resolved on the host. The path need not exist
// yet (a socket that a runtime will create). Errors: those of
// Nsenter::EvalSymlinks and Nsenter::KubeletPath.
nsenter::Result<HostLocation> LocateOnHost(const nsenter::Nsenter& ns, const std::string& path);

}  // namespace node_agent

#endif  // HOST_QUERIES_H_
