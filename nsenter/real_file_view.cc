#include "nsenter/real_file_view.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

// `host_path` relative to the root: leading slashes dropped, "/" is ".".
std::string RelativeToRoot(const std::string& host_path) {
  const size_t start = host_path.find_first_not_of('/');
  return start == std::string::npos ? std::string(".") : host_path.substr(start);
}

FileType TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  return FileType::kOther;
}

}  // namespace

Result<std::unique_ptr<RealFileView>> RealFileView::Open(const std::string& root) {
  if (Status valid = ValidateAbsolutePath("view root", root); !valid.ok()) return valid.error();
  UniqueFd fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return Error(ErrorCodeFromErrno(errno),
                 "cannot open view root " + Quote(root) + ": " + std::strerror(errno));
  }
  return std::unique_ptr<RealFileView>(new RealFileView(root, std::move(fd)));
}

Result<FileStat> RealFileView::Lstat(const std::string& host_path) const {
  if (Status valid = ValidateAbsolutePath("host path", host_path); !valid.ok()) {
    return valid.error();
  }
  struct stat st;
  if (::fstatat(root_fd_.get(), RelativeToRoot(host_path).c_str(), &st, AT_SYMLINK_NOFOLLOW) !=
      0) {
    return CallFailed("lstat", host_path);
  }
  return FileStat{TypeOf(st.st_mode), st.st_dev, st.st_ino, st.st_mode & 07777};
}

Result<std::string> RealFileView::Readlink(const std::string& host_path) const {
  if (Status valid = ValidateAbsolutePath("host path", host_path); !valid.ok()) {
    return valid.error();
  }
  const std::string relative = RelativeToRoot(host_path);
  std::string target(256, '\0');
  while (true) {
    const ssize_t length =
        ::readlinkat(root_fd_.get(), relative.c_str(), target.data(), target.size());
    if (length < 0) return CallFailed("readlink", host_path);
    if (static_cast<size_t>(length) < target.size()) {
      target.resize(static_cast<size_t>(length));
      return target;
    }
    target.resize(target.size() * 2);  // Possibly truncated: retry larger.
  }
}

Error RealFileView::CallFailed(const char* call, const std::string& host_path) const {
  const int error = errno;
  return Error(ErrorCodeFromErrno(error), std::string(call) + " of " + Quote(host_path) +
                                              " under " + Quote(root_) + ": " +
                                              std::strerror(error));
}

}  // namespace nsenter
