#include "nsenter/mount/confined_files.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

std::string ChildPath(std::string_view parent, const std::string& name) {
  return (parent == "/" ? "/" : std::string(parent) + "/") + name;
}

Error Failed(const char* what, std::string_view host_path, int error) {
  return Error(ErrorCodeFromErrno(error),
               std::string("cannot ") + what + " " + Quote(host_path) + ": " + strerror(error));
}

Error SymlinkRefused(std::string_view host_path) {
  return Error(ErrorCode::kPermissionDenied,
               Quote(host_path) + " is a symlink; refusing to follow it");
}

// Why `name` in `dirfd` (host path `host_path`) could not be used, `call`
// having failed with `error`. ELOOP and ENOTDIR come from a symlink (which
// O_NOFOLLOW refuses: ELOOP, or ENOTDIR with O_DIRECTORY) or another file
// where a directory is needed; a directory found there now was swapped in
// after the call failed, so the name is refused as a symlink might be.
Error Refused(int dirfd, const std::string& name, std::string_view host_path, const char* call,
              int error) {
  if (error != ELOOP && error != ENOTDIR) return Failed(call, host_path, error);
  struct stat st;
  if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 Quote(host_path) +
                     " changed while it was opened (a symlink swapped in and out?); "
                     "refusing to follow it");
  }
  if (S_ISLNK(st.st_mode)) return SymlinkRefused(host_path);
  return Error(ErrorCode::kNotADirectory, Quote(host_path) + " is not a directory");
}

// The parent directory of the last of `names` below `root`, opened;
// `names` must not be empty.
Result<UniqueFd> OpenParent(int root, std::vector<std::string> names) {
  names.pop_back();
  return OpenDirectoryBelow(root, "/", names, std::nullopt);
}

// lstat(2) of host path `path` below `root`, a symlink included.
Result<struct stat> LstatBelow(int root, std::string_view path) {
  const std::vector<std::string> names = HostPathNames(path);
  struct stat st;
  if (names.empty()) {
    if (fstat(root, &st) != 0) return Failed("stat", "/", errno);
    return st;
  }
  Result<UniqueFd> parent = OpenParent(root, names);
  if (!parent.ok()) return parent.error();
  if (fstatat(parent->get(), names.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return Failed("stat", CleanAbsolutePath(path), errno);
  }
  return st;
}

}  // namespace

Result<UniqueFd> OpenHostRootDirectory(const Nsenter& ns) {
  const std::string root = ns.backend() == Backend::kNative ? ns.resolution_root() : ns.host_root();
  UniqueFd fd(open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Failed("open the host's root", root, errno);
  return fd;
}

std::vector<std::string> HostPathNames(std::string_view path) {
  const std::string clean = CleanAbsolutePath(path);
  std::vector<std::string> names;
  size_t start = 1;
  while (start < clean.size()) {
    const size_t end = std::min(clean.find('/', start), clean.size());
    names.push_back(clean.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

Result<UniqueFd> OpenDirectoryBelow(int start, std::string_view start_path,
                                    const std::vector<std::string>& names,
                                    const std::optional<DirectoryCreation>& creation) {
  UniqueFd current(openat(start, ".", kDirectoryFlags));
  if (!current.valid()) return Failed("open", start_path, errno);
  std::string path(start_path);
  for (const std::string& name : names) {
    path = ChildPath(path, name);
    UniqueFd next(openat(current.get(), name.c_str(), kDirectoryFlags));
    bool created = false;
    if (!next.valid() && errno == ENOENT && creation) {
      if (mkdirat(current.get(), name.c_str(), creation->mode) == 0) {
        created = true;
      } else if (errno != EEXIST) {
        return Failed("create directory", path, errno);
      }
      next.Reset(openat(current.get(), name.c_str(), kDirectoryFlags));
    }
    if (!next.valid()) return Refused(current.get(), name, path, "open", errno);
    if (created && creation->exact_mode && fchmod(next.get(), creation->mode) != 0) {
      return Failed("set the mode of", path, errno);
    }
    current = std::move(next);
  }
  return current;
}

Result<struct stat> StatBelow(int root, std::string_view path) {
  Result<struct stat> st = LstatBelow(root, path);
  if (st.ok() && S_ISLNK(st->st_mode)) return SymlinkRefused(CleanAbsolutePath(path));
  return st;
}

Result<bool> IsSymlinkBelow(int root, std::string_view path) {
  Result<struct stat> st = LstatBelow(root, path);
  if (!st.ok()) return st.error();
  return S_ISLNK(st->st_mode);
}

Result<bool> IsMountRootBelow(int root, std::string_view path) {
  const std::vector<std::string> names = HostPathNames(path);
  const std::string host_path = CleanAbsolutePath(path);
  UniqueFd parent;
  if (!names.empty()) {
    Result<UniqueFd> opened = OpenParent(root, names);
    if (!opened.ok()) return opened.error();
    parent = std::move(*opened);
  }
  const int dirfd = names.empty() ? root : parent.get();
  const char* name = names.empty() ? "" : names.back().c_str();
  struct statx stx;
  if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH, STATX_TYPE,
            &stx) != 0) {
    return Failed("stat", host_path, errno);
  }
  if (S_ISLNK(stx.stx_mode)) return SymlinkRefused(host_path);
  if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0) {
    return Error(ErrorCode::kInternal,
                 "the kernel does not tell whether " + Quote(host_path) + " is a mount root");
  }
  return (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

Status MakeDirectoryBelow(int root, std::string_view path, bool parents,
                          std::optional<mode_t> mode) {
  const std::vector<std::string> names = HostPathNames(path);
  if (names.empty()) return parents ? Status{} : Failed("create directory", "/", EEXIST);
  const std::string host_path = CleanAbsolutePath(path);
  const std::vector<std::string> on_the_way(names.begin(), names.end() - 1);
  Result<UniqueFd> parent = OpenDirectoryBelow(
      root, "/", on_the_way, parents ? std::optional(DirectoryCreation{}) : std::nullopt);
  if (!parent.ok()) return parent.error();
  const std::string& name = names.back();
  if (mkdirat(parent->get(), name.c_str(), mode.value_or(0777)) != 0) {
    if (errno != EEXIST || !parents) return Failed("create directory", host_path, errno);
    // mkdir -p: an existing directory is made already; a file exists, as mkdir(1) says.
    UniqueFd existing(openat(parent->get(), name.c_str(), kDirectoryFlags));
    if (existing.valid()) return {};
    const Error refused = Refused(parent->get(), name, host_path, "open", errno);
    if (refused.code() == ErrorCode::kNotADirectory) {
      return Failed("create directory", host_path, EEXIST);
    }
    return refused;
  }
  if (!mode) return {};
  UniqueFd made(openat(parent->get(), name.c_str(), kDirectoryFlags));
  if (!made.valid()) return Refused(parent->get(), name, host_path, "open", errno);
  if (fchmod(made.get(), *mode) != 0) return Failed("set the mode of", host_path, errno);
  return {};
}

Status TouchBelow(int root, std::string_view path) {
  const std::vector<std::string> names = HostPathNames(path);
  if (names.empty()) {
    if (futimens(root, nullptr) != 0) return Failed("touch", "/", errno);
    return {};
  }
  Result<UniqueFd> parent = OpenParent(root, names);
  if (!parent.ok()) return parent.error();
  const std::string host_path = CleanAbsolutePath(path);
  const char* name = names.back().c_str();
  // As touch(1): open (creating), else set the times by name (a directory,
  // a FIFO without reader, a file not writable).
  UniqueFd file(openat(parent->get(), name,
                       O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666));
  if (file.valid()) {
    if (futimens(file.get(), nullptr) != 0) return Failed("touch", host_path, errno);
    return {};
  }
  const int open_error = errno;
  if (open_error == ELOOP) return Refused(parent->get(), names.back(), host_path, "touch", ELOOP);
  if (utimensat(parent->get(), name, nullptr, AT_SYMLINK_NOFOLLOW) == 0) return {};
  return Failed("touch", host_path, open_error);
}

}  // namespace nsenter
