#include "nsenter/discovery.h"

#include <sys/stat.h>

#include <optional>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

Status ValidateBinaryName(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos || name == "." || name == "..") {
    return Error(ErrorCode::kInvalidArgument,
                 "binary name " + Quote(name) + " must be a plain file name");
  }
  return {};
}

std::string SearchedDescription(const DiscoveryRequest& request) {
  std::string dirs;
  for (const std::string& dir : request.search_dirs) {
    if (!dirs.empty()) dirs += ", ";
    dirs += dir;
  }
  return "searched " + dirs + " under " + request.host_root;
}

// The host path of `name` in the first search dir that has it.
std::optional<std::string> Find(const DiscoveryRequest& request, const std::string& name) {
  for (const std::string& dir : request.search_dirs) {
    const std::string host_path = JoinHostPath(dir, name);
    struct stat info;
    if (stat(JoinHostPath(request.host_root, host_path).c_str(), &info) == 0) return host_path;
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& DefaultSearchDirs() {
  static const std::vector<std::string> dirs = {"/", "/bin", "/usr/sbin", "/usr/bin"};
  return dirs;
}

const std::vector<std::string>& DefaultRequiredBinaries() {
  static const std::vector<std::string> names = {"mount", "findmnt", "umount", "stat", "touch",
                                                 "mkdir", "ls",      "sh",     "chmod"};
  return names;
}

const std::vector<std::string>& DefaultOptionalBinaries() {
  static const std::vector<std::string> names = {"systemd-run", "realpath"};
  return names;
}

Result<BinaryPaths> DiscoverBinaries(const DiscoveryRequest& request) {
  if (Status root = ValidateAbsolutePath("host root", request.host_root); !root.ok()) {
    return root.error();
  }
  for (const std::string& dir : request.search_dirs) {
    if (Status valid = ValidateAbsolutePath("search dir", dir); !valid.ok()) return valid.error();
  }
  for (const auto* names : {&request.required_binaries, &request.optional_binaries}) {
    for (const std::string& name : *names) {
      if (Status valid = ValidateBinaryName(name); !valid.ok()) return valid.error();
    }
  }

  BinaryPaths found;
  for (const std::string& name : request.required_binaries) {
    std::optional<std::string> path = Find(request, name);
    if (!path) {
      return Error(ErrorCode::kNotFound,
                   "unable to find " + name + " (" + SearchedDescription(request) + ")");
    }
    found[name] = *path;
  }
  for (const std::string& name : request.optional_binaries) {
    if (std::optional<std::string> path = Find(request, name)) found[name] = *path;
  }
  return found;
}

}  // namespace nsenter
