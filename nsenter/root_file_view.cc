#include "nsenter/root_file_view.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

// openat2 fails with EAGAIN when a rename or mount races a lookup.
constexpr int kOpenat2Retries = 128;
constexpr uint64_t kConfined = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

long Openat2(int dirfd, const char* path, uint64_t resolve, uint64_t flags = O_DIRECTORY) {
  open_how how = {};
  how.flags = O_PATH | O_CLOEXEC | flags;
  how.resolve = resolve;
  return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

FileType TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  return FileType::kOther;
}

}  // namespace

Result<std::unique_ptr<RootFileView>> RootFileView::Open(const std::string& root, Lookup lookup) {
  if (Status valid = ValidateAbsolutePath("root", root); !valid.ok()) return valid.error();
  UniqueFd fd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return Error(ErrorCodeFromErrno(errno),
                 "cannot open root " + Quote(root) + ": " + std::strerror(errno));
  }
  // Probe once; a later failure of openat2 is an answer, never a reason to
  // switch to the other lookup.
  bool use_openat2 = false;
  if (lookup == Lookup::kAuto) {
    UniqueFd probe(static_cast<int>(Openat2(fd.get(), ".", kConfined)));
    use_openat2 = probe.valid();
  }
  struct stat root_stat;
  struct statfs root_filesystem;
  std::optional<dev_t> plain_device;
  if (fstat(fd.get(), &root_stat) == 0 && fstatfs(fd.get(), &root_filesystem) == 0 &&
      root_filesystem.f_type != PROC_SUPER_MAGIC) {
    plain_device = root_stat.st_dev;
  }
  return std::unique_ptr<RootFileView>(
      new RootFileView(root, std::move(fd), use_openat2, plain_device));
}

Error RootFileView::Failed(const char* call, const std::string& host_path) const {
  const int error = errno;
  return Error(ErrorCodeFromErrno(error), std::string(call) + " " + Quote(host_path) +
                                              " under " + Quote(root_) + ": " +
                                              std::strerror(error));
}

Result<UniqueFd> RootFileView::OpenBelow(int dirfd, std::string_view relative,
                                         const std::string& host_path) const {
  if (use_openat2_) {
    const std::string text(relative);
    for (int attempt = 0; attempt < kOpenat2Retries; ++attempt) {
      UniqueFd fd(static_cast<int>(Openat2(dirfd, text.c_str(), kConfined)));
      if (fd.valid()) return fd;
      if (errno != EAGAIN) return Failed("openat2", host_path);
    }
    return Failed("openat2", host_path);
  }
  UniqueFd current;
  std::string_view rest = relative;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string component(rest.substr(0, slash));
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    UniqueFd next(openat(dirfd, component.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
    if (!next.valid()) return Failed("openat", host_path);
    current = std::move(next);
    dirfd = current.get();
  }
  return current;
}

Result<RootFileView::Parent> RootFileView::OpenParent(const std::string& host_path) const {
  if (Status valid = ValidateAbsolutePath("host path", host_path); !valid.ok()) {
    return valid.error();
  }
  const std::string clean = JoinHostPath("/", host_path);
  for (size_t start = 1; start < clean.size();) {
    const size_t end = std::min(clean.find('/', start), clean.size());
    const std::string_view component(clean.data() + start, end - start);
    if (component == "." || component == "..") {
      return Error(ErrorCode::kInvalidArgument,
                   "host path " + Quote(host_path) + " has a '.' or '..' component");
    }
    start = end + 1;
  }
  if (clean == "/") return Parent{UniqueFd(), root_fd_.get(), ""};
  const size_t slash = clean.rfind('/');
  std::string name = clean.substr(slash + 1);
  if (slash == 0) return Parent{UniqueFd(), root_fd_.get(), std::move(name)};
  Result<UniqueFd> dir =
      OpenBelow(root_fd_.get(), std::string_view(clean).substr(1, slash - 1), host_path);
  if (!dir.ok()) return dir.error();
  const int fd = dir->get();
  return Parent{std::move(*dir), fd, std::move(name)};
}

Result<FileStat> RootFileView::Lstat(const std::string& host_path) const {
  Result<Parent> parent = OpenParent(host_path);
  if (!parent.ok()) return parent.error();
  struct stat info;
  const int rc = parent->name.empty()
                     ? fstat(parent->fd, &info)
                     : fstatat(parent->fd, parent->name.c_str(), &info, AT_SYMLINK_NOFOLLOW);
  if (rc != 0) return Failed("lstat", host_path);
  return FileStat{TypeOf(info.st_mode), info.st_dev, info.st_ino,
                  static_cast<mode_t>(info.st_mode & 07777)};
}

Result<std::string> RootFileView::Readlink(const std::string& host_path) const {
  Result<Parent> parent = OpenParent(host_path);
  if (!parent.ok()) return parent.error();
  return ReadLinkAt(parent->fd, parent->name.c_str(), host_path, std::nullopt);
}

Result<std::string> RootFileView::ReadLinkAt(int dirfd, const char* name,
                                             const std::string& host_path,
                                             std::optional<dev_t> device) const {
  struct statfs filesystem;
  if ((!device || device != plain_device_) && fstatfs(dirfd, &filesystem) == 0 &&
      filesystem.f_type == PROC_SUPER_MAGIC) {
    return Error(ErrorCode::kUnsupported,
                 "refusing to follow the procfs link " + Quote(host_path) +
                     ": its target depends on the process that follows it");
  }
  std::string target(PATH_MAX, '\0');
  const ssize_t length = readlinkat(dirfd, name, target.data(), target.size());
  if (length < 0) {
    if (errno == EINVAL) {
      return Error(ErrorCode::kInvalidArgument, Quote(host_path) + " is not a symlink");
    }
    return Failed("readlink", host_path);
  }
  target.resize(static_cast<size_t>(length));
  return target;
}

bool RootFileView::ResolvesWithoutSymlinks(const std::string& host_path) const {
  if (!use_openat2_ || !ValidateAbsolutePath("path", host_path).ok()) return false;
  const size_t start = host_path.find_first_not_of('/');
  if (start == std::string::npos) return false;
  // Without O_NOFOLLOW, a symlink as the last component fails too (ELOOP).
  const UniqueFd fd(
      static_cast<int>(Openat2(root_fd_.get(), host_path.c_str() + start, kConfined, 0)));
  return fd.valid();
}

// A cursor: the root's descriptor (borrowed) or one opened below it.
class RootFileView::Cursor final : public FileView::Directory {
 public:
  explicit Cursor(int borrowed) : fd_(borrowed) {}
  explicit Cursor(UniqueFd owned) : owned_(std::move(owned)), fd_(owned_.get()) {}
  int fd() const { return fd_; }

 private:
  UniqueFd owned_;
  int fd_;
};

Error RootFileView::NotARegularFile(const std::string& host_path) const {
  return Error(ErrorCode::kInvalidArgument,
               Quote(host_path) + " under " + Quote(root_) + " is not a regular file");
}

Result<std::string> RootFileView::ReadFile(const std::string& host_path) const {
  Result<Parent> parent = OpenParent(host_path);
  if (!parent.ok()) return parent.error();
  if (parent->name.empty()) return NotARegularFile(host_path);
  struct stat info;
  if (fstatat(parent->fd, parent->name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    return Failed("lstat", host_path);
  }
  if (S_ISLNK(info.st_mode)) {
    return Error(ErrorCode::kLoop, Quote(host_path) + " under " + Quote(root_) +
                                       " is a symlink; refusing to follow it");
  }
  if (!S_ISREG(info.st_mode)) return NotARegularFile(host_path);
  // O_NONBLOCK: a FIFO swapped in meanwhile does not block the open.
  UniqueFd fd(openat(parent->fd, parent->name.c_str(),
                     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return Failed("open", host_path);
  if (fstat(fd.get(), &info) != 0) return Failed("fstat", host_path);
  if (!S_ISREG(info.st_mode)) return NotARegularFile(host_path);
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed("read", host_path);
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

Result<std::unique_ptr<FileView::Directory>> RootFileView::OpenDirectory(
    const std::string& host_path) const {
  Result<Parent> parent = OpenParent(host_path);
  if (!parent.ok()) return parent.error();
  if (parent->name.empty()) return std::unique_ptr<Directory>(new Cursor(root_fd_.get()));
  UniqueFd fd(openat(parent->fd, parent->name.c_str(),
                     O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Failed("openat", host_path);
  return std::unique_ptr<Directory>(new Cursor(std::move(fd)));
}

Result<FileView::Found> RootFileView::LookUp(const Directory& parent, const std::string& host_path,
                                             size_t parent_length, bool want_directory) const {
  // The components before the last are opened with the confined lookup, then
  // the last is examined relative to them.
  const size_t last_slash = host_path.rfind('/');
  if (last_slash < parent_length || host_path.size() <= last_slash + 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "host path " + Quote(host_path) + " has no component after its parent");
  }
  for (size_t start = parent_length + 1; start <= last_slash + 1;) {
    const size_t end = std::min(host_path.find('/', start), host_path.size());
    const std::string_view component(host_path.data() + start, end - start);
    if (component.empty() || component == "." || component == "..") {
      return Error(ErrorCode::kInvalidArgument, "host path " + Quote(host_path) +
                                                    " has an empty, '.' or '..' component");
    }
    start = end + 1;
  }
  int dirfd = static_cast<const Cursor&>(parent).fd();
  UniqueFd between;
  if (last_slash > parent_length) {
    Result<UniqueFd> opened = OpenBelow(
        dirfd,
        std::string_view(host_path).substr(parent_length + 1, last_slash - parent_length - 1),
        host_path);
    if (!opened.ok()) return opened.error();
    between = std::move(*opened);
    dirfd = between.get();
  }
  const char* name = host_path.c_str() + last_slash + 1;
  struct stat info;
  if (fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) return Failed("lstat", host_path);
  Found found{FileStat{TypeOf(info.st_mode), info.st_dev, info.st_ino,
                       static_cast<mode_t>(info.st_mode & 07777)},
              "", nullptr};
  if (found.stat.type == FileType::kSymlink) {
    Result<std::string> target = ReadLinkAt(dirfd, name, host_path, info.st_dev);
    if (!target.ok()) return target.error();
    found.target = std::move(*target);
  } else if (found.stat.type == FileType::kDirectory && want_directory) {
    UniqueFd fd(openat(dirfd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid()) return Failed("openat", host_path);
    found.directory = std::make_unique<Cursor>(std::move(fd));
  }
  return found;
}

}  // namespace nsenter
