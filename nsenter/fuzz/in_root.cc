#include "nsenter/fuzz/in_root.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

Error Failed(std::string_view call, const std::string& host_path) {
  const int error = errno;
  return Error(ErrorCodeFromErrno(error),
               std::string(call) + " " + Quote(host_path) + ": " + std::strerror(error));
}

Result<FileIdentity> IdentityOf(int fd, const char* name, const std::string& host_path) {
  struct stat info;
  if (fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0) {
    return Failed("fstatat", host_path);
  }
  return FileIdentity{info.st_dev, info.st_ino};
}

}  // namespace

Result<FileIdentity> IdentityInRoot(int root_fd, const std::string& host_path) {
  open_how how = {};
  how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const UniqueFd fd(
      static_cast<int>(syscall(SYS_openat2, root_fd, host_path.c_str(), &how, sizeof how)));
  if (!fd.valid()) return Failed("openat2", host_path);
  return IdentityOf(fd.get(), "", host_path);
}

Result<FileIdentity> IdentityByWalk(int root_fd, const std::string& host_path) {
  std::vector<std::string> names;
  for (size_t start = 0; start < host_path.size();) {
    const size_t end = std::min(host_path.find('/', start), host_path.size());
    std::string name = host_path.substr(start, end - start);
    if (name == "." || name == "..") {
      return Error(ErrorCode::kInvalidArgument,
                   "host path " + Quote(host_path) + " has a '.' or '..' component");
    }
    if (!name.empty()) names.push_back(std::move(name));
    start = end + 1;
  }
  UniqueFd directory(fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    directory = UniqueFd(
        openat(directory.get(), names[i].c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
    if (!directory.valid()) return Failed("openat", host_path);
  }
  return IdentityOf(directory.get(), names.empty() ? "" : names.back().c_str(), host_path);
}

}  // namespace nsenter
