#include "nsenter/mount/safe_make_dir.h"

#include <optional>
#include <string_view>
#include <vector>

#include "nsenter/host_path.h"
#include "nsenter/mount/confined_files.h"
#include "nsenter/mount/mount_args.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

// The names of relative path `subdir`, "." dropped and ".." applied, or
// nullopt where a ".." climbs above its start.
std::optional<std::vector<std::string>> RelativeNames(std::string_view subdir) {
  std::vector<std::string> names;
  while (!subdir.empty()) {
    const size_t slash = subdir.find('/');
    const std::string_view name = subdir.substr(0, slash);
    subdir = slash == std::string_view::npos ? "" : subdir.substr(slash + 1);
    if (name.empty() || name == ".") continue;
    if (name != "..") {
      names.emplace_back(name);
    } else if (names.empty()) {
      return std::nullopt;
    } else {
      names.pop_back();
    }
  }
  return names;
}

}  // namespace

Status SafeMakeDir(const Nsenter& ns, const std::string& subdir, const std::string& base,
                   mode_t mode) {
  if (Status valid = ValidateHostPath(base, "base"); !valid.ok()) return valid;
  if (subdir.empty() || subdir.front() == '/' || subdir.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "subdir must be a non-empty relative path without NUL, not " + Quote(subdir));
  }
  if (Status valid = ValidateMode(mode); !valid.ok()) return valid;
  const std::optional<std::vector<std::string>> names = RelativeNames(subdir);
  if (!names) {
    return Error(ErrorCode::kInvalidArgument,
                 "subdir " + Quote(subdir) + " leads outside base " + Quote(base));
  }
  Result<std::string> resolved_base = ns.EvalSymlinks(base, true);
  if (!resolved_base.ok()) return resolved_base.error();
  Result<UniqueFd> root = OpenHostRootDirectory(ns);
  if (!root.ok()) return root.error();
  Result<UniqueFd> base_dir =
      OpenDirectoryBelow(root->get(), "/", HostPathNames(*resolved_base), std::nullopt);
  if (!base_dir.ok()) return base_dir.error();
  Result<UniqueFd> made = OpenDirectoryBelow(base_dir->get(), CleanAbsolutePath(*resolved_base),
                                             *names, DirectoryCreation{mode, true});
  if (!made.ok()) return made.error();
  return {};
}

}  // namespace nsenter
