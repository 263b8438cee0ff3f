#include "nsenter/mount/host_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <vector>

#include "nsenter/mount/confined_files.h"
#include "nsenter/mount/host_command.h"
#include "nsenter/mount/mount_args.h"
#include "nsenter/quote.h"
#include "nsenter/tool_messages.h"

namespace nsenter {
namespace {

// stat(1)'s format: the raw mode in hex, the owner's uid and gid.
constexpr char kStatFormat[] = "--printf=%f:%u:%g";

std::optional<HostFileType> TypeOfMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return HostFileType::kDirectory;
    case S_IFREG:
      return HostFileType::kFile;
    case S_IFSOCK:
      return HostFileType::kSocket;
    case S_IFCHR:
      return HostFileType::kCharDevice;
    case S_IFBLK:
      return HostFileType::kBlockDevice;
    case S_IFIFO:
      return HostFileType::kFifo;
    default:
      return std::nullopt;
  }
}

Result<HostFileStat> FromRawMode(mode_t raw_mode, uid_t uid, gid_t gid, const std::string& path) {
  const std::optional<HostFileType> type = TypeOfMode(raw_mode);
  if (!type) {
    return Error(ErrorCode::kInternal,
                 "mode " + std::to_string(raw_mode) + " of " + Quote(path) + " has no known type");
  }
  return HostFileStat{*type, static_cast<mode_t>(raw_mode & 07777), {uid, gid}};
}

// One number of "HEX:UID:GID", consuming it and its separator from `text`.
template <typename T>
bool ParseField(std::string_view& text, int base, char separator, T& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  if (separator == '\0') return text.empty();
  if (text.empty() || text.front() != separator) return false;
  text.remove_prefix(1);
  return true;
}

// Runs host file tool `program` (stat, mkdir, touch) and returns its stdout.
// A failure its message names (tool_messages.h) gets the code the native
// route's system call has for it, and that text after its message; process
// details kept.
Result<std::string> RunFileTool(const Nsenter& ns, const std::string& program,
                                const std::vector<std::string>& args) {
  Result<std::string> output = RunHostCommand(ns, program, args);
  if (output.ok() || output.error().code() != ErrorCode::kNonZeroExit) return output;
  const Error& error = output.error();
  const std::optional<ReportedError> reported = ReportedErrorOf(error.stderr_data());
  if (!reported) return error;
  return error.WithCode(reported->code, error.message() + ": " + std::string(reported->text));
}

// Runs host file tool `program` for its effect alone.
Status RunForEffect(const Nsenter& ns, const std::string& program,
                    const std::vector<std::string>& args) {
  Result<std::string> ran = RunFileTool(ns, program, args);
  if (!ran.ok()) return ran.error();
  return {};
}

bool PathWithinMount(const std::string& path, const std::string& mount_point) {
  if (mount_point == "/" || path == mount_point) return true;
  return path.starts_with(mount_point) && path[mount_point.size()] == '/';
}

}  // namespace

std::string_view HostFileTypeName(HostFileType type) {
  switch (type) {
    case HostFileType::kDirectory:
      return "Directory";
    case HostFileType::kFile:
      return "File";
    case HostFileType::kSocket:
      return "Socket";
    case HostFileType::kCharDevice:
      return "CharDevice";
    case HostFileType::kBlockDevice:
      return "BlockDevice";
    case HostFileType::kFifo:
      return "FIFO";
  }
  return "unknown";
}

HostFiles::HostFiles(const Nsenter& ns, HostMounterOptions options)
    : ns_(ns), mounter_(ns, options) {}

Result<HostFileStat> HostFiles::StatNatively(const std::string& resolved) const {
  Result<UniqueFd> root = OpenHostRootDirectory(ns_);
  if (!root.ok()) return root.error();
  Result<struct stat> st = StatBelow(root->get(), resolved);
  if (!st.ok()) return NativeFailure(st.error(), resolved);
  return FromRawMode(st->st_mode, st->st_uid, st->st_gid, resolved);
}

Result<HostFileStat> HostFiles::StatThroughNsenter(const std::string& resolved) const {
  const std::vector<std::string> args = {"-L", kStatFormat, "--", resolved};
  Result<std::string> output = RunFileTool(ns_, "stat", args);
  if (!output.ok()) return output.error();
  std::string_view text = *output;
  unsigned raw_mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  if (!ParseField(text, 16, ':', raw_mode) || !ParseField(text, 10, ':', uid) ||
      !ParseField(text, 10, '\0', gid)) {
    return Error(ErrorCode::kInternal, "stat printed " + Quote(*output) + " for " +
                                           Quote(resolved) + ", not HEX:UID:GID");
  }
  return FromRawMode(raw_mode, uid, gid, resolved);
}

Result<HostFileStat> HostFiles::StatResolved(const std::string& resolved) const {
  return native() ? StatNatively(resolved) : StatThroughNsenter(resolved);
}

Result<HostFileStat> HostFiles::Stat(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  return StatResolved(*resolved);
}

Result<HostFileType> HostFiles::GetFileType(const std::string& path) const {
  Result<HostFileStat> st = Stat(path);
  if (!st.ok()) return st.error();
  return st->type;
}

Result<mode_t> HostFiles::GetMode(const std::string& path) const {
  Result<HostFileStat> st = Stat(path);
  if (!st.ok()) return st.error();
  return st->mode;
}

Result<HostOwner> HostFiles::GetOwner(const std::string& path) const {
  Result<HostFileStat> st = Stat(path);
  if (!st.ok()) return st.error();
  return st->owner;
}

Result<bool> HostFiles::PathIsDevice(const std::string& path) const {
  Result<HostFileType> type = GetFileType(path);
  if (!type.ok()) return type.error();
  return *type == HostFileType::kCharDevice || *type == HostFileType::kBlockDevice;
}

Result<bool> HostFiles::PathExists(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  Result<std::string> resolved = ns_.EvalSymlinks(path, false);
  if (!resolved.ok()) return resolved.error();
  Result<HostFileStat> st = StatResolved(*resolved);
  if (st.ok()) return true;
  if (st.error().code() == ErrorCode::kNotFound) return false;
  return st.error();
}

Status HostFiles::MakeDir(const std::string& path, const MakeDirOptions& options) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid;
  if (options.mode) {
    if (Status valid = ValidateMode(*options.mode); !valid.ok()) return valid;
  }
  if (!native()) return MakeDirThroughNsenter(path, options);
  Result<UniqueFd> root = OpenHostRootDirectory(ns_);
  if (!root.ok()) return root.error();
  if (std::optional<Error> dangling = DanglingSymlinkFailure(root->get(), path, options.parents)) {
    return *dangling;
  }
  Result<std::string> resolved = ns_.EvalSymlinks(path, false);
  if (!resolved.ok()) return resolved.error();
  Status made = MakeDirectoryBelow(root->get(), *resolved, options.parents, options.mode);
  if (!made.ok()) return NativeFailure(made.error(), *resolved);
  return {};
}

std::optional<Error> HostFiles::DanglingSymlinkFailure(int root, const std::string& path,
                                                        bool parents) const {
  std::string prefix;
  std::string resolved_parent = "/";
  for (size_t start = 1, end = 0; end != std::string::npos; start = end + 1) {
    end = path.find('/', start);
    const std::string name = path.substr(start, end - start);
    if (name.empty()) continue;
    prefix += "/" + name;
    Result<std::string> resolved = ns_.EvalSymlinks(prefix, true);
    if (resolved.ok()) {
      resolved_parent = *std::move(resolved);
      continue;
    }
    const ErrorCode code = resolved.error().code();
    if (code != ErrorCode::kNotFound && code != ErrorCode::kNotADirectory) return std::nullopt;
    const std::string entry = (resolved_parent == "/" ? "" : resolved_parent) + "/" + name;
    Result<bool> symlink = IsSymlinkBelow(root, entry);
    if (!symlink.ok() || !*symlink) return std::nullopt;  // The first missing name.
    const bool last = path.find_first_not_of('/', end) == std::string::npos;
    if (last || (parents && code == ErrorCode::kNotFound)) {
      return Error(ErrorCode::kAlreadyExists, "cannot create directory " +
                                                  Quote(parents ? prefix : path) +
                                                  ": File exists (a dangling symlink)");
    }
    return resolved.error();
  }
  return std::nullopt;
}

Status HostFiles::MakeDirThroughNsenter(const std::string& path,
                                        const MakeDirOptions& options) const {
  std::vector<std::string> args;
  if (options.parents) args.push_back("-p");
  if (options.mode) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(*options.mode));
    args.insert(args.end(), {"-m", octal});
  }
  args.insert(args.end(), {"--", path});
  return RunForEffect(ns_, "mkdir", args);
}

Status HostFiles::MakeFile(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid;
  if (!native()) return RunForEffect(ns_, "touch", {"--", path});
  Result<std::string> resolved = ns_.EvalSymlinks(path, false);
  if (!resolved.ok()) return resolved.error();
  Result<UniqueFd> root = OpenHostRootDirectory(ns_);
  if (!root.ok()) return root.error();
  Status touched = TouchBelow(root->get(), *resolved);
  if (!touched.ok()) return NativeFailure(touched.error(), *resolved);
  return {};
}

Error HostFiles::NativeFailure(const Error& error, const std::string& resolved) const {
  if (error.code() != ErrorCode::kPermissionDenied) return error;
  Result<std::string> again = ns_.EvalSymlinks(resolved, true);
  if (!again.ok() && again.error().code() == ErrorCode::kLoop) return again.error();
  return error;
}

Result<bool> HostFiles::GetSELinuxSupport(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  Result<std::vector<MountInfo>> table = mounter_.List();
  if (!table.ok()) return table.error();
  const auto holder = std::find_if(table->rbegin(), table->rend(), [&](const MountInfo& mount) {
    return PathWithinMount(*resolved, mount.mount_point);
  });
  if (holder == table->rend()) {
    return Error(ErrorCode::kNotFound, "no mount of the host holds " + Quote(*resolved));
  }
  return std::find(holder->super_options.begin(), holder->super_options.end(), "seclabel") !=
         holder->super_options.end();
}

}  // namespace nsenter
