// node_agent: reports the host's kernel and where host paths are.
//
//   node_agent [--host-root=DIR] HOST_PATH...
//
// run in a privileged container that shares the host's PID namespace and
// sees the host's "/" at DIR (default /rootfs). Prints
//   kernel 6.1.0-18-amd64
//   /var/run/containerd -> /run/containerd (here /rootfs/run/containerd)
// and exits 0; 1 when a query fails, 2 on bad usage.
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host_queries.h"
#include "nsenter/nsenter.h"

int main(int argc, char** argv) {
  constexpr std::string_view kHostRootFlag = "--host-root=";
  nsenter::Options options;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with(kHostRootFlag)) {
      options.host_root = arg.substr(kHostRootFlag.size());
    } else if (arg.starts_with("-")) {
      std::cerr << "usage: node_agent [--host-root=DIR] HOST_PATH...\n";
      return 2;
    } else {
      paths.emplace_back(arg);
    }
  }

  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) {
    std::cerr << ns.error().ToString() << "\n";
    return 1;
  }
  nsenter::Result<std::string> kernel = node_agent::HostKernelRelease(**ns);
  if (!kernel.ok()) {
    std::cerr << kernel.error().ToString() << "\n";
    return 1;
  }
  std::cout << "kernel " << *kernel << "\n";
  for (const std::string& path : paths) {
    nsenter::Result<node_agent::HostLocation> location = node_agent::LocateOnHost(**ns, path);
    if (!location.ok()) {
      std::cerr << location.error().ToString() << "\n";
      return 1;
    }
    std::cout << path << " -> " << location->host_path << " (here " << location->container_path
              << ")\n";
  }
  return 0;
}
