#include "fakehost/native_options.h"

namespace nsenter::fakehost {

Options NativeOptionsOver(const std::string& dir) {
  Options options;
  options.host_root = dir;
  options.backend = Backend::kNative;
  options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
  return options;
}

}  // namespace nsenter::fakehost
