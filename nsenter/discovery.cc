#include "nsenter/discovery.h"

#include <optional>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"

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
Result<std::optional<std::string>> Find(const DiscoveryRequest& request, const FileView& host_files,
                                        const std::string& name) {
  for (const std::string& dir : request.search_dirs) {
    const std::string candidate = JoinHostPath(dir, name);
    Result<bool> found = IsExecutableFile(host_files, candidate);
    if (!found.ok()) return found.error();
    if (*found) return std::optional<std::string>(candidate);
  }
  return std::optional<std::string>();
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

Result<bool> IsExecutableFile(const FileView& host_files, const std::string& host_path) {
  Result<std::string> target = ResolveRealpath(host_files, host_path, RealpathMode::kMustExist);
  if (!target.ok()) {
    if (target.error().code() == ErrorCode::kInternal ||
        target.error().code() == ErrorCode::kInvalidArgument) {
      return target.error();
    }
    return false;
  }
  Result<FileStat> info = host_files.Lstat(*target);
  if (!info.ok()) return info.error();
  return info->type == FileType::kRegular && (info->mode & 0111) != 0;
}

Result<BinaryPaths> DiscoverBinaries(const DiscoveryRequest& request, const FileView& host_files) {
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
  for (const auto* names : {&request.required_binaries, &request.optional_binaries}) {
    const bool required = names == &request.required_binaries;
    for (const std::string& name : *names) {
      Result<std::optional<std::string>> path = Find(request, host_files, name);
      if (!path.ok()) return path.error();
      if (path->has_value()) {
        found[name] = **path;
      } else if (required) {
        return Error(ErrorCode::kNotFound,
                     "unable to find " + name + " (" + SearchedDescription(request) + ")");
      }
    }
  }
  return found;
}

}  // namespace nsenter
