#include "nsenter/discovery.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

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

// Bounds for resolving a search dir on its own: a quarter of the defaults,
// so that whenever a dir resolves within them, the resolution of any
// `<dir>/<name>` stays within the defaults (it does the dir's work, at most
// twice over where a run of names that spans the last '/' is split again, plus
// one lookup and the name's bytes re-queued after each link).
RealpathLimits SearchDirLimits() {
  const RealpathLimits defaults;
  return {defaults.max_symlinks / 4, defaults.max_requeued_bytes / 4, defaults.max_lookups / 4};
}

// The search dirs of one discovery, each resolved once, on first use, and
// kept open, so that a candidate `<dir>/<name>` costs one lookup of `name`
// in the dir's cursor rather than a resolution from "/" (and an Lstat of
// its result). Only the first kMaxOpenDirs dirs are kept open, so that a
// long list of search dirs cannot exhaust the process's descriptors; the
// candidates of the others take IsExecutableFile.
//
// The answer is that of IsExecutableFile(`<dir>/<name>`): under realpath
// -e, `<dir>/<name>` resolves as the dir does, then `name` below the result.
// Wherever that could differ, the candidate takes IsExecutableFile itself:
// the dir does not resolve to a directory within SearchDirLimits (errors
// then come out as IsExecutableFile words them); `name` is a symlink (its
// expansion counts against the candidate's own bounds); the lookup fails
// other than with kNotFound or kNotADirectory; or the path would be long
// enough for PATH_MAX or NAME_MAX to matter.
class SearchDirs {
 public:
  SearchDirs(const DiscoveryRequest& request, const FileView& host_files)
      : request_(request), host_files_(host_files), dirs_(request.search_dirs.size()) {}

  // The host path of `name` in the first search dir that has it.
  Result<std::optional<std::string>> Find(const std::string& name) {
    for (size_t i = 0; i < request_.search_dirs.size(); ++i) {
      const std::string candidate = JoinHostPath(request_.search_dirs[i], name);
      Result<bool> found = IsExecutableIn(i, name, candidate);
      if (!found.ok()) return found.error();
      if (*found) return std::optional<std::string>(candidate);
    }
    return std::optional<std::string>();
  }

 private:
  // A search dir resolved to a directory, with a cursor on it.
  struct Resolved {
    std::string path;  // "" for "/", so that path + "/" + name is the host path.
    std::unique_ptr<FileView::Directory> cursor;
  };

  Result<bool> IsExecutableIn(size_t dir, const std::string& name, const std::string& candidate) {
    const Resolved* resolved = ResolvedDir(dir);
    if (resolved == nullptr || name.size() > kShortName ||
        resolved->path.size() + 1 + name.size() >= kShortPath) {
      return IsExecutableFile(host_files_, candidate);
    }
    Result<FileView::Found> found = host_files_.LookUp(*resolved->cursor, resolved->path + "/" + name,
                                                       resolved->path.size(), false);
    if (!found.ok()) {
      const ErrorCode code = found.error().code();
      if (code == ErrorCode::kNotFound || code == ErrorCode::kNotADirectory) return false;
      return IsExecutableFile(host_files_, candidate);
    }
    if (found->stat.type == FileType::kSymlink) return IsExecutableFile(host_files_, candidate);
    return found->stat.type == FileType::kRegular && (found->stat.mode & 0111) != 0;
  }

  // The search dir at `index` resolved, or nullptr where its candidates must
  // each be resolved from "/".
  const Resolved* ResolvedDir(size_t index) {
    if (index >= kMaxOpenDirs) return nullptr;
    std::optional<std::optional<Resolved>>& slot = dirs_[index];
    if (!slot) slot = Resolve(request_.search_dirs[index]);
    return *slot ? &**slot : nullptr;
  }

  std::optional<Resolved> Resolve(const std::string& dir) const {
    Result<std::string> path =
        ResolveRealpath(host_files_, dir, RealpathMode::kMustExist, SearchDirLimits());
    if (!path.ok()) return std::nullopt;
    Result<std::unique_ptr<FileView::Directory>> cursor = host_files_.OpenDirectory(*path);
    if (!cursor.ok()) return std::nullopt;
    return Resolved{*path == "/" ? "" : *path, std::move(*cursor)};
  }

  // Search dirs kept open at once: the default list has 4.
  static constexpr size_t kMaxOpenDirs = 16;
  // Names and paths short enough that NAME_MAX and PATH_MAX play no part.
  static constexpr size_t kShortName = 255;
  static constexpr size_t kShortPath = 4096 - 256;

  const DiscoveryRequest& request_;
  const FileView& host_files_;
  std::vector<std::optional<std::optional<Resolved>>> dirs_;  // Unset until first used.
};

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
  SearchDirs search_dirs(request, host_files);
  for (const auto* names : {&request.required_binaries, &request.optional_binaries}) {
    const bool required = names == &request.required_binaries;
    for (const std::string& name : *names) {
      Result<std::optional<std::string>> path = search_dirs.Find(name);
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
