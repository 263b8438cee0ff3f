#include "nsenter/mount/host_mounter.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "nsenter/host_path.h"
#include "nsenter/mount/confined_files.h"
#include "nsenter/mount/host_command.h"
#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

// umount(8) (util-linux): "umount: TARGET: not mounted." and exit 32.
constexpr int kUmountFailure = 32;

// Whether umount's stderr is exactly its "not mounted" line for `target`,
// which it names as given: a target whose own name holds ": not mounted"
// and that fails otherwise ("target is busy.") is no match.
bool SaysNotMounted(std::string_view stderr_data, const std::string& target) {
  if (stderr_data.ends_with('\n')) stderr_data.remove_suffix(1);
  return stderr_data == "umount: " + target + ": not mounted.";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// findmnt's safe encoding of a column: bytes it will not print as \xHH.
std::string DecodeHexEscapes(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
        HexDigit(text[i + 2]) >= 0 && HexDigit(text[i + 3]) >= 0) {
      decoded.push_back(static_cast<char>(HexDigit(text[i + 2]) * 16 + HexDigit(text[i + 3])));
      i += 3;
      continue;
    }
    decoded.push_back(text[i]);
  }
  return decoded;
}

// The TARGET cell of findmnt's first line "TARGET<padding> FSTYPE", still
// escaped and padded, or nullopt.
std::optional<std::string_view> FindmntTargetCell(std::string_view output) {
  std::string_view line = output.substr(0, output.find('\n'));
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  const size_t last_space = line.rfind(' ');
  if (last_space == std::string_view::npos) return std::nullopt;
  const std::string_view cell = line.substr(0, last_space);
  if (cell.find_first_not_of(' ') == std::string_view::npos) return std::nullopt;
  return cell;
}

// Whether findmnt's TARGET cell names `path`. findmnt pads the cell with
// spaces (to the header's width, "TARGET"), which cannot be told from spaces
// that end the target itself: `path` is named when it equals the cell's
// target but for trailing spaces, and ends in no more spaces than the cell.
// Only "/" followed by nothing but spaces can thereby be taken for "/".
bool FindmntCellNames(std::string_view cell, std::string_view path) {
  const size_t cell_end = cell.find_last_not_of(' ') + 1;
  const size_t path_end = path.find_last_not_of(' ') + 1;
  return path.size() - path_end <= cell.size() - cell_end &&
         DecodeHexEscapes(cell.substr(0, cell_end)) == path.substr(0, path_end);
}

bool IsShared(const MountInfo& mount) {
  return std::any_of(mount.optional_fields.begin(), mount.optional_fields.end(),
                     [](const std::string& field) { return field.starts_with("shared:"); });
}

}  // namespace

// Kubernetes' mount-utils has no such list: its Mounter.MountSensitive runs
// every mount through `systemd-run --scope` where systemd-run works (and
// MountSensitiveWithoutSystemd none), for the FUSE daemons a mount may start
// ("any fuse daemons will be started in a specific scope"; kubernetes
// staging/src/k8s.io/mount-utils/mount_linux.go, doMount). Here only the
// types known to start a daemon get the scope; the rest stays plain mount(8).
std::vector<std::string> DefaultSystemdScopeFsTypes() {
  return {"fuse", "fuse.", "fuseblk", "glusterfs", "ceph-fuse"};
}

HostMounter::HostMounter(const Nsenter& ns, HostMounterOptions options)
    : ns_(ns), options_(options) {}

bool HostMounter::InSystemdScope(const MountRequest& request) const {
  const bool listed = std::any_of(
      options_.systemd_scope_fs_types.begin(), options_.systemd_scope_fs_types.end(),
      [&](const std::string& type) {
        return type.ends_with('.') ? request.fs_type.starts_with(type) : request.fs_type == type;
      });
  return listed && !request.fs_type.empty() && !IsBindMount(request) &&
         ns_.SupportsSystemd().found;
}

Status HostMounter::Mount(const MountRequest& request) const {
  Result<std::vector<MountCommand>> commands = BuildMountCommands(request);
  if (!commands.ok()) return commands.error();
  const bool scoped = InSystemdScope(request);
  for (const MountCommand& command : *commands) {
    std::string program = "mount";
    std::vector<std::string> args = command.args;
    if (scoped) {
      program = ns_.SupportsSystemd().path;
      args.insert(args.begin(), {"--description=Transient mount for " + request.target, "--scope",
                                 "--", ns_.AbsHostPath("mount")});
    }
    Result<std::string> ran = RunHostCommand(ns_, program, args, request.sensitive_options);
    if (!ran.ok()) return ran.error();
  }
  return {};
}

Status HostMounter::Unmount(const std::string& target) const {
  Result<std::vector<std::string>> args = BuildUnmountArgs(target);
  if (!args.ok()) return args.error();
  Result<std::string> ran = RunHostCommand(ns_, "umount", *args);
  if (ran.ok()) return {};
  const Error& error = ran.error();
  if (error.code() == ErrorCode::kNonZeroExit && error.exit_status() == kUmountFailure &&
      SaysNotMounted(error.stderr_data(), target)) {
    return error.WithCode(ErrorCode::kNotMounted, Quote(target) + " is not mounted on the host");
  }
  return error;
}

Result<std::vector<MountInfo>> HostMounter::List() const {
  const std::string file = "/proc/" + std::to_string(options_.target_pid) + "/mountinfo";
  Result<std::string> text = ns_.host_files().ReadFile(file);
  if (!text.ok()) return text.error();
  Result<std::vector<MountInfo>> table = ParseMountInfo(*text);
  if (!table.ok()) {
    return Error(ErrorCode::kInvalidArgument,
                 Quote(JoinHostPath(ns_.host_root(), file)) + ": " + table.error().message());
  }
  return table;
}

Result<bool> HostMounter::IsLikelyNotMountPoint(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  if (ns_.backend() == Backend::kNative) {
    Result<bool> mount_point = IsResolvedMountPoint(*resolved);
    if (!mount_point.ok()) return mount_point.error();
    return !*mount_point;
  }
  const std::vector<std::string> args = {"-o", "target,fstype", "--noheadings", "--first-only",
                                         "--target", *resolved};
  Result<std::string> output = RunHostCommand(ns_, "findmnt", args);
  if (!output.ok()) {
    if (output.error().code() == ErrorCode::kNonZeroExit) return true;  // Nothing found.
    return output.error();
  }
  const std::optional<std::string_view> cell = FindmntTargetCell(*output);
  if (!cell) {
    return Error(ErrorCode::kInternal,
                 "findmnt printed no mount target for " + Quote(*resolved) + ": " + Quote(*output));
  }
  return !FindmntCellNames(*cell, *resolved);
}

Result<bool> HostMounter::IsMountPoint(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  return IsResolvedMountPoint(*resolved);
}

Result<bool> HostMounter::IsResolvedMountPoint(const std::string& resolved) const {
  if (ns_.backend() == Backend::kNative) {
    Result<UniqueFd> root = OpenHostRootDirectory(ns_);
    if (!root.ok()) return root.error();
    return IsMountRootBelow(root->get(), resolved);
  }
  Result<std::vector<MountInfo>> table = List();
  if (!table.ok()) return table.error();
  return TopmostAt(*table, resolved) != nullptr;
}

const MountInfo* HostMounter::TopmostAt(const std::vector<MountInfo>& table,
                                        const std::string& mount_point) {
  const auto found = std::find_if(table.rbegin(), table.rend(), [&](const MountInfo& mount) {
    return mount.mount_point == mount_point;
  });
  return found == table.rend() ? nullptr : &*found;
}

Result<std::vector<std::string>> HostMounter::GetMountRefs(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid.error();
  std::vector<std::string> refs;
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok() && resolved.error().code() == ErrorCode::kNotFound) return refs;
  if (!resolved.ok()) return resolved.error();
  Result<std::vector<MountInfo>> table = List();
  if (!table.ok()) return table.error();
  const MountInfo* mount = TopmostAt(*table, *resolved);
  if (mount == nullptr) return refs;
  for (const MountInfo& other : *table) {
    if (other.id != mount->id && other.root == mount->root && other.major == mount->major &&
        other.minor == mount->minor) {
      refs.push_back(other.mount_point);
    }
  }
  return refs;
}

Status HostMounter::MakeRShared(const std::string& path) const {
  if (Status valid = ValidateHostPath(path, "path"); !valid.ok()) return valid;
  Result<std::string> resolved = ns_.EvalSymlinks(path, true);
  if (!resolved.ok()) return resolved.error();
  Result<std::vector<MountInfo>> table = List();
  if (!table.ok()) return table.error();
  const MountInfo* mount = TopmostAt(*table, *resolved);
  if (mount != nullptr && IsShared(*mount)) return {};
  if (mount == nullptr) {
    if (Status bound = Mount({*resolved, *resolved, "", {"bind"}, {}}); !bound.ok()) return bound;
  }
  const std::vector<std::string> args = {"--make-rshared", "--", *resolved};
  if (Result<std::string> ran = RunHostCommand(ns_, "mount", args); !ran.ok()) return ran.error();
  return {};
}

}  // namespace nsenter
