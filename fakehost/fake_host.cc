#include "fakehost/fake_host.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <utility>
#include <vector>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenter::fakehost {
namespace {

// Linux limits: a whole path (with its NUL), one name, links per lookup.
constexpr size_t kPathMax = 4096;
constexpr size_t kNameMax = 255;
constexpr int kMaxSymlinksPerLookup = 40;

constexpr dev_t kDevice = 1;
constexpr ino_t kRootInode = 2;
constexpr mode_t kDefaultDirectoryMode = 0755;
constexpr mode_t kDefaultFileMode = 0644;
constexpr mode_t kSymlinkMode = 0777;

FileType FileTypeOf(EntryType type) {
  switch (type) {
    case EntryType::kFile: return FileType::kRegular;
    case EntryType::kDirectory: return FileType::kDirectory;
    case EntryType::kSymlink: return FileType::kSymlink;
  }
  return FileType::kOther;
}

mode_t ModeOf(const Entry& entry) {
  switch (entry.type) {
    case EntryType::kFile: return entry.mode.value_or(kDefaultFileMode);
    case EntryType::kDirectory: return entry.mode.value_or(kDefaultDirectoryMode);
    case EntryType::kSymlink: return kSymlinkMode;
  }
  return 0;
}

// The components of `path` after its leading "/", if any: "/a//b/" gives
// "a", "", "b", "". An empty component stands for a run of slashes.
std::deque<std::string> Components(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::deque<std::string> components;
  size_t start = 0;
  while (true) {
    const size_t end = path.find('/', start);
    components.emplace_back(path.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return components;
}

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string ChildOf(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

Error SystemError(std::string_view call, const std::string& path) {
  const int error = errno;
  return Error(ErrorCodeFromErrno(error),
               std::string(call) + " " + Quote(path) + ": " + std::strerror(error));
}

}  // namespace

Result<std::shared_ptr<FakeHost>> FakeHost::Create(Fixture fixture) {
  if (Status valid = ValidateFixture(fixture); !valid.ok()) return valid.error();
  return std::shared_ptr<FakeHost>(new FakeHost(std::move(fixture)));
}

FakeHost::FakeHost(Fixture fixture) : fixture_(std::move(fixture)) {
  nodes_["/"] = {FileType::kDirectory, kDefaultDirectoryMode, "", 0};
  for (const Entry& entry : fixture_.entries) {
    nodes_[entry.path] = {FileTypeOf(entry.type), ModeOf(entry), entry.target, 0};
    for (std::string parent = ParentOf(entry.path); parent != "/"; parent = ParentOf(parent)) {
      nodes_.try_emplace(parent, Node{FileType::kDirectory, kDefaultDirectoryMode, "", 0});
    }
  }
  next_inode_ = kRootInode;
  for (auto& [path, node] : nodes_) node.inode = next_inode_++;
  if (fixture_.mountinfo) {
    std::string text;
    for (const std::string& line : *fixture_.mountinfo) text += line + "\n";
    // ValidateFixture checked every line.
    mounts_ = *ParseMountInfo(text);
  }
}

Error FakeHost::LookupError(ErrorCode code, std::string_view operation,
                            const std::string& host_path, std::string_view reason) const {
  return Error(code, std::string(operation) + " " + Quote(host_path) + " on the fake host of " +
                         fixture_.source + ": " + std::string(reason));
}

Result<FakeHost::NodeMap::const_iterator> FakeHost::Lookup(std::string_view operation,
                                                           const std::string& host_path) const {
  if (host_path.empty()) {
    return LookupError(ErrorCode::kNotFound, operation, host_path, "No such file or directory");
  }
  if (host_path.front() != '/' || host_path.find('\0') != std::string::npos) {
    return LookupError(ErrorCode::kInvalidArgument, operation, host_path,
                       "expected an absolute path without NUL bytes");
  }
  if (host_path.size() >= kPathMax) {
    return LookupError(ErrorCode::kNameTooLong, operation, host_path, "File name too long");
  }
  std::deque<std::string> pending = Components(host_path);
  std::string current = "/";  // Always a directory.
  int links = 0;
  while (!pending.empty()) {
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (name.empty() || name == ".") continue;
    if (name == "..") {
      current = ParentOf(current);
      continue;
    }
    if (name.size() > kNameMax) {
      return LookupError(ErrorCode::kNameTooLong, operation, host_path, "File name too long");
    }
    std::string path = ChildOf(current, name);
    const auto found = nodes_.find(path);
    if (found == nodes_.end()) {
      return LookupError(ErrorCode::kNotFound, operation, host_path, "No such file or directory");
    }
    if (pending.empty()) return found;
    if (found->second.type == FileType::kSymlink) {
      if (++links > kMaxSymlinksPerLookup) {
        return LookupError(ErrorCode::kLoop, operation, host_path,
                           "Too many levels of symbolic links");
      }
      const std::string& target = found->second.target;
      const std::deque<std::string> target_components = Components(target);
      pending.insert(pending.begin(), target_components.begin(), target_components.end());
      if (target.front() == '/') current = "/";
      continue;
    }
    if (found->second.type != FileType::kDirectory) {
      return LookupError(ErrorCode::kNotADirectory, operation, host_path, "Not a directory");
    }
    current = std::move(path);
  }
  return nodes_.find(current);
}

Result<FileStat> FakeHost::Lstat(const std::string& host_path) const {
  std::shared_lock lock(mutex_);
  Result<NodeMap::const_iterator> found = Lookup("lstat", host_path);
  if (!found.ok()) return found.error();
  const Node& node = (*found)->second;
  return FileStat{node.type, kDevice, node.inode, node.mode};
}

Result<std::string> FakeHost::Readlink(const std::string& host_path) const {
  std::shared_lock lock(mutex_);
  Result<NodeMap::const_iterator> found = Lookup("readlink", host_path);
  if (!found.ok()) return found.error();
  const Node& node = (*found)->second;
  if (node.type != FileType::kSymlink) {
    return LookupError(ErrorCode::kInvalidArgument, "readlink", host_path, "not a symlink");
  }
  return node.target;
}

Result<std::string> FakeHost::ReadFile(const std::string& host_path) const {
  std::shared_lock lock(mutex_);
  if (mounts_ && host_path == MountInfoPath()) return FormatMountInfo(*mounts_);
  Result<NodeMap::const_iterator> found = Lookup("open", host_path);
  if (!found.ok()) return found.error();
  const Node& node = (*found)->second;
  if (node.type == FileType::kSymlink) {
    return LookupError(ErrorCode::kLoop, "open", host_path, "Too many levels of symbolic links");
  }
  if (node.type != FileType::kRegular) {
    return LookupError(ErrorCode::kInvalidArgument, "open", host_path, "not a regular file");
  }
  return std::string();  // A fixture records no contents.
}

std::string FakeHost::MountInfoPath() const {
  // ValidateFixture checked that mount_namespace names a process.
  return "/proc/" + std::to_string(*MountNamespacePid(fixture_.mount_namespace)) + "/mountinfo";
}

Status FakeHost::WriteNode(const std::string& dir, const std::string& path, const Node& node) {
  const std::string file = JoinHostPath(dir, path);
  switch (node.type) {
    case FileType::kDirectory:
      // Writable until its children exist; Materialize sets its mode after.
      if (mkdir(file.c_str(), 0700) != 0) return SystemError("mkdir", file);
      break;
    case FileType::kRegular: {
      UniqueFd fd(open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!fd.valid()) return SystemError("create", file);
      if (fchmod(fd.get(), node.mode) != 0) return SystemError("chmod", file);
      break;
    }
    case FileType::kSymlink:
      if (symlink(node.target.c_str(), file.c_str()) != 0) return SystemError("symlink", file);
      break;
    case FileType::kOther: break;
  }
  return {};
}

Status FakeHost::WriteMountInfo(const std::string& dir) const {
  if (!mounts_) return {};
  const std::string file = JoinHostPath(dir, MountInfoPath());
  const std::string proc = file.substr(0, file.rfind('/'));
  std::error_code error;
  std::filesystem::create_directories(proc, error);
  if (error) {
    return Error(ErrorCodeFromErrno(error.value()),
                 "mkdir " + Quote(proc) + ": " + error.message());
  }
  const std::string text = FormatMountInfo(*mounts_);
  UniqueFd fd(open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!fd.valid()) return SystemError("create", file);
  for (std::string_view rest = text; !rest.empty();) {
    const ssize_t n = write(fd.get(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SystemError("write", file);
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status FakeHost::Materialize(const std::string& dir) {
  struct stat info;
  if (stat(dir.c_str(), &info) != 0) return SystemError("stat", dir);
  if (!S_ISDIR(info.st_mode)) {
    return Error(ErrorCode::kNotADirectory, "cannot write the fake host of " + fixture_.source +
                                                " into " + Quote(dir) + ": not a directory");
  }
  std::unique_lock lock(mutex_);
  for (const auto& [path, node] : nodes_) {
    if (path == "/") continue;
    if (Status written = WriteNode(dir, path, node); !written.ok()) return written;
  }
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    if (it->second.type != FileType::kDirectory || it->first == "/") continue;
    const std::string file = JoinHostPath(dir, it->first);
    if (chmod(file.c_str(), it->second.mode) != 0) return SystemError("chmod", file);
  }
  if (Status written = WriteMountInfo(dir); !written.ok()) return written;
  materialized_.push_back(dir);
  return {};
}

std::optional<std::vector<MountInfo>> FakeHost::Mounts() const {
  std::shared_lock lock(mutex_);
  return mounts_;
}

Status FakeHost::AddNode(const std::string& path, FileType type, mode_t mode) {
  std::unique_lock lock(mutex_);
  if (path.empty() || path.front() != '/' || path == "/" || path.back() == '/' ||
      path.find('\0') != std::string::npos || path.find("//") != std::string::npos ||
      path.find("/./") != std::string::npos || path.find("/../") != std::string::npos ||
      path.ends_with("/.") || path.ends_with("/..")) {
    return LookupError(ErrorCode::kInvalidArgument, "create", path, "not a canonical path");
  }
  if (nodes_.contains(path)) {
    return LookupError(ErrorCode::kInvalidArgument, "create", path, "File exists");
  }
  const auto parent = nodes_.find(ParentOf(path));
  if (parent == nodes_.end()) {
    return LookupError(ErrorCode::kNotFound, "create", path, "No such file or directory");
  }
  if (parent->second.type != FileType::kDirectory) {
    return LookupError(ErrorCode::kNotADirectory, "create", path, "Not a directory");
  }
  const Node& node = nodes_[path] = Node{type, mode, "", next_inode_++};
  for (const std::string& dir : materialized_) {
    if (Status written = WriteNode(dir, path, node); !written.ok()) return written;
    const std::string file = JoinHostPath(dir, path);
    if (chmod(file.c_str(), mode) != 0) return SystemError("chmod", file);
  }
  return {};
}

Status FakeHost::MakeDirectory(const std::string& path, std::optional<mode_t> mode) {
  return AddNode(path, FileType::kDirectory, mode.value_or(kDefaultDirectoryMode));
}

Status FakeHost::MakeFile(const std::string& path) {
  return AddNode(path, FileType::kRegular, kDefaultFileMode);
}

Status FakeHost::ChangeMounts(const std::function<Status(std::vector<MountInfo>&)>& change) {
  std::unique_lock lock(mutex_);
  if (!mounts_) {
    return Error(ErrorCode::kInvalidArgument,
                 "the fixture " + fixture_.source + " records no mount table (\"mountinfo\")");
  }
  std::vector<MountInfo> changed = *mounts_;
  if (Status changed_ok = change(changed); !changed_ok.ok()) return changed_ok;
  mounts_ = std::move(changed);
  for (const std::string& dir : materialized_) {
    if (Status written = WriteMountInfo(dir); !written.ok()) return written;
  }
  return {};
}

}  // namespace nsenter::fakehost
