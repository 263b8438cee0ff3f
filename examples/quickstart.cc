// Quickstart: discover the host binaries under a host root, then resolve a
// path on the host and show where the container sees it.
//
//   tools/bazel run //examples:quickstart -- /rootfs /var/lib/kubelet
//
// The README shows this file; building it in `bazel test //...` keeps the
// README's example compiling.
#include <iostream>
#include <memory>
#include <string>

#include "nsenter/nsenter.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: quickstart HOST_ROOT HOST_PATH\n";
    return 2;
  }
  nsenter::Options options;
  options.host_root = argv[1];
  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) {
    std::cerr << ns.error().ToString() << "\n";
    return 1;
  }
  std::cout << "mount is " << (*ns)->AbsHostPath("mount") << " on the host\n";

  // Runs `nsenter --mount=<root>/proc/1/ns/mnt -- /usr/bin/realpath -e -- PATH`.
  nsenter::Result<std::string> resolved = (*ns)->EvalSymlinks(argv[2], /*must_exist=*/true);
  if (!resolved.ok()) {
    std::cerr << resolved.error().ToString() << "\n";
    return 1;
  }
  nsenter::Result<std::string> seen = (*ns)->KubeletPath(*resolved);
  std::cout << argv[2] << " is " << *resolved << " on the host, " << *seen
            << " in this container\n";
  return 0;
}
