#include "nsenter/testing/host_root.h"

#include <string>

#include "nsenter/discovery.h"

namespace nsenter::testing_support {

void InstallRequiredBinaries(const fakehost::TempDir& root, const std::string& dir) {
  for (const std::string& name : DefaultRequiredBinaries()) {
    root.WriteFile(dir + "/" + name, "", 0755);
  }
}

HostRoot::HostRoot(const std::string& bin_dir) { InstallRequiredBinaries(*this, bin_dir); }

void HostRoot::AddRealpath() const { WriteFile("usr/bin/realpath", "", 0755); }

void HostRoot::AddMountNamespace(const std::string& namespace_file) const {
  Symlink("proc/1/ns/mnt", namespace_file);
}

}  // namespace nsenter::testing_support
