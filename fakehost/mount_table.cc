#include "fakehost/mount_table.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <set>
#include <string_view>

namespace nsenter::fakehost {
namespace {

constexpr std::string_view kSharedTag = "shared:";

bool Has(const std::vector<std::string>& options, std::string_view option) {
  return std::find(options.begin(), options.end(), option) != options.end();
}

bool IsBind(const std::vector<std::string>& options) { return Has(options, "bind"); }

// Options that set per-mount flags, or only steer mount(8).
bool IsPerMountOrCommand(const std::string& option) {
  static const std::set<std::string, std::less<>> kOptions = {
      "ro",      "rw",    "nosuid",   "suid",       "nodev",       "dev",        "noexec",
      "exec",    "atime", "noatime",  "relatime",   "norelatime",  "strictatime", "nodiratime",
      "diratime", "bind", "remount", "defaults"};
  return kOptions.contains(option);
}

std::vector<std::string> PerMountOptions(const std::vector<std::string>& options) {
  std::vector<std::string> flags = {Has(options, "ro") ? "ro" : "rw"};
  for (const char* flag : {"nosuid", "nodev", "noexec"}) {
    if (Has(options, flag)) flags.emplace_back(flag);
  }
  flags.emplace_back(Has(options, "noatime") ? "noatime" : "relatime");
  return flags;
}

bool IsShared(const MountInfo& mount) {
  return std::any_of(mount.optional_fields.begin(), mount.optional_fields.end(),
                     [](const std::string& field) { return field.starts_with(kSharedTag); });
}

std::string SharedTagOf(const MountInfo& mount) {
  for (const std::string& field : mount.optional_fields) {
    if (field.starts_with(kSharedTag)) return field;
  }
  return "";
}

// One more than the largest `value` over the table.
template <typename Value>
int NextNumber(const MountTable& table, Value value) {
  int largest = 0;
  for (const MountInfo& mount : table) largest = std::max(largest, value(mount));
  return largest + 1;
}

std::string NewPeerGroup(const MountTable& table) {
  const int group = NextNumber(table, [](const MountInfo& mount) {
    const std::string tag = SharedTagOf(mount);
    return tag.empty() ? 0 : std::atoi(tag.c_str() + kSharedTag.size());
  });
  return std::string(kSharedTag) + std::to_string(group);
}

std::string ParentPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

// `path` below `mount_point`, as a path from the mount's root.
std::string JoinRoot(const std::string& root, const std::string& mount_point,
                     const std::string& path) {
  const std::string below = mount_point == "/" ? path : path.substr(mount_point.size());
  if (below.empty()) return root;
  return root == "/" ? below : root + below;
}

// The index of the topmost mount at `path`, or table.size().
size_t TopmostIndex(const MountTable& table, const std::string& path) {
  for (size_t i = table.size(); i > 0; --i) {
    if (table[i - 1].mount_point == path) return i - 1;
  }
  return table.size();
}

}  // namespace

const MountInfo* TopmostAt(const MountTable& table, const std::string& path) {
  const size_t index = TopmostIndex(table, path);
  return index == table.size() ? nullptr : &table[index];
}

const MountInfo* MountHolding(const MountTable& table, const std::string& path) {
  for (std::string candidate = path;; candidate = ParentPath(candidate)) {
    if (const MountInfo* mount = TopmostAt(table, candidate)) return mount;
    if (candidate == "/") return nullptr;
  }
}

bool AddMount(MountTable& table, const NewMount& request) {
  const MountInfo* parent = MountHolding(table, request.target);
  if (parent == nullptr) return false;
  MountInfo mount;
  mount.id = NextNumber(table, [](const MountInfo& m) { return m.id; });
  mount.parent_id = parent->id;
  mount.mount_point = request.target;
  if (IsBind(request.options)) {
    const MountInfo* source = MountHolding(table, request.source);
    if (source == nullptr) return false;
    mount.major = source->major;
    mount.minor = source->minor;
    mount.root = JoinRoot(source->root, source->mount_point, request.source);
    mount.mount_options = source->mount_options;
    mount.fs_type = source->fs_type;
    mount.source = source->source;
    mount.super_options = source->super_options;
    if (IsShared(*source)) mount.optional_fields = {SharedTagOf(*source)};
  } else {
    mount.major = 0;
    mount.minor = static_cast<unsigned>(NextNumber(table, [](const MountInfo& m) {
      return m.major == 0 ? static_cast<int>(m.minor) : 0;
    }));
    mount.root = "/";
    mount.mount_options = PerMountOptions(request.options);
    mount.fs_type = request.fs_type;
    mount.source = request.source;
    mount.super_options = {Has(request.options, "ro") ? "ro" : "rw"};
    for (const std::string& option : request.options) {
      if (!IsPerMountOrCommand(option)) mount.super_options.push_back(option);
    }
  }
  if (mount.optional_fields.empty() && IsShared(*parent)) {
    mount.optional_fields = {NewPeerGroup(table)};
  }
  table.push_back(std::move(mount));
  return true;
}

bool Remount(MountTable& table, const std::string& target, const std::vector<std::string>& options) {
  const size_t index = TopmostIndex(table, target);
  if (index == table.size()) return false;
  table[index].mount_options = PerMountOptions(options);
  return true;
}

bool MakeRShared(MountTable& table, const std::string& path) {
  const MountInfo* top = TopmostAt(table, path);
  if (top == nullptr) return false;
  std::set<int> subtree = {top->id};
  // Children follow their parents in the table.
  for (const MountInfo& mount : table) {
    if (subtree.contains(mount.parent_id)) subtree.insert(mount.id);
  }
  for (MountInfo& mount : table) {
    if (!subtree.contains(mount.id) || IsShared(mount)) continue;
    mount.optional_fields.insert(mount.optional_fields.begin(), NewPeerGroup(table));
  }
  return true;
}

UnmountResult Unmount(MountTable& table, const std::string& target) {
  const size_t index = TopmostIndex(table, target);
  if (index == table.size()) return UnmountResult::kNotMounted;
  const int id = table[index].id;
  if (std::any_of(table.begin(), table.end(),
                  [id](const MountInfo& mount) { return mount.parent_id == id; })) {
    return UnmountResult::kBusy;
  }
  table.erase(table.begin() + static_cast<std::ptrdiff_t>(index));
  return UnmountResult::kUnmounted;
}

}  // namespace nsenter::fakehost
