#include "nsenter/mount_propagation.h"

#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_set>
#include <utility>
#include <vector>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (start < line.size()) {
    const size_t end = std::min(line.find(' ', start), line.size());
    if (end > start) fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool escaped = text[i] == '\\' && i + 3 < text.size() &&
                         text.substr(i + 1, 3).find_first_not_of("01234567") == std::string_view::npos;
    if (escaped) {
      out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

Propagation FromOptionalFields(const std::vector<std::string_view>& optional) {
  bool shared = false, slave = false, unbindable = false;
  for (const std::string_view field : optional) {
    shared = shared || field.starts_with("shared:");
    slave = slave || field.starts_with("master:");
    unbindable = unbindable || field == "unbindable";
  }
  if (shared && slave) return Propagation::kSharedAndSlave;
  if (shared) return Propagation::kShared;
  if (slave) return Propagation::kSlave;
  return unbindable ? Propagation::kUnbindable : Propagation::kPrivate;
}

// One line of mountinfo.
struct Mount {
  uint64_t id = 0;
  uint64_t parent = 0;
  MountPropagation propagation;  // Its mount point and propagation.
};

bool ParseId(std::string_view text, uint64_t& id) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size();
}

Result<std::vector<Mount>> ParseMounts(std::string_view mountinfo) {
  std::vector<Mount> mounts;
  size_t start = 0;
  while (start < mountinfo.size()) {
    const size_t end = std::min(mountinfo.find('\n', start), mountinfo.size());
    const std::string_view line = mountinfo.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    const std::vector<std::string_view> fields = Fields(line);
    size_t separator = 6;
    while (separator < fields.size() && fields[separator] != "-") ++separator;
    Mount mount;
    if (fields.size() < 7 || separator >= fields.size() || !ParseId(fields[0], mount.id) ||
        !ParseId(fields[1], mount.parent)) {
      return Error(ErrorCode::kInternal, "not a mountinfo line: " + Quote(line));
    }
    mount.propagation = MountPropagation{
        Unescape(fields[4]),
        FromOptionalFields({fields.begin() + 6, fields.begin() + static_cast<long>(separator)})};
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

// The mounts by parent id and mount point: on each, the last listed of those
// made there, which hides the others. A mount listed as its own parent is
// left out: it is the root of a forged or detached tree, never a child.
using Children = std::map<std::pair<uint64_t, std::string_view>, const Mount*>;

Children IndexChildren(const std::vector<Mount>& mounts) {
  Children children;
  for (const Mount& mount : mounts) {
    if (mount.parent != mount.id) {
      children[{mount.parent, mount.propagation.mount_point}] = &mount;
    }
  }
  return children;
}

// The mount a lookup crosses into at `mount_point` from `from`: the top of
// the stack of mounts there, or `from` where nothing is mounted. A stack is
// at most as tall as the table is long, which ends a cycle of parent ids in
// a forged table.
const Mount& TopOn(const Children& children, const Mount& from, std::string_view mount_point) {
  const Mount* top = &from;
  for (size_t climbed = 0; climbed < children.size(); ++climbed) {
    const auto above = children.find({top->id, mount_point});
    if (above == children.end()) break;
    top = above->second;
  }
  return *top;
}

// The root of the tree: a mount on "/" whose parent is not listed (it lies
// outside this process's root) or is itself.
const Mount* RootMount(const std::vector<Mount>& mounts) {
  std::unordered_set<uint64_t> ids;
  for (const Mount& mount : mounts) ids.insert(mount.id);
  for (const Mount& mount : mounts) {
    const bool parent_listed = mount.parent != mount.id && ids.contains(mount.parent);
    if (mount.propagation.mount_point == "/" && !parent_listed) return &mount;
  }
  return nullptr;
}

}  // namespace

std::string_view PropagationName(Propagation propagation) {
  switch (propagation) {
    case Propagation::kShared: return "shared";
    case Propagation::kSlave: return "slave";
    case Propagation::kSharedAndSlave: return "shared and slave";
    case Propagation::kPrivate: return "private";
    case Propagation::kUnbindable: return "unbindable";
  }
  return "unknown";
}

Result<MountPropagation> ParseMountPropagation(std::string_view mountinfo, const std::string& path) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  const std::string clean = CleanAbsolutePath(path);
  Result<std::vector<Mount>> mounts = ParseMounts(mountinfo);
  if (!mounts.ok()) return mounts.error();
  const Mount* root = RootMount(*mounts);
  if (root == nullptr) return Error(ErrorCode::kNotFound, "no mount holds " + Quote(path));
  // Walk the path as a lookup does: at each prefix below "/", cross into what
  // is mounted there on the mount reached so far. A mount on a prefix hides
  // every mount made earlier below it, which then hangs off another parent.
  // A lookup starts at the process's root and never crosses a mount stacked
  // over "/" itself (the kernel resolves through the old root; switch_root
  // needs `chroot .` for that reason), so the walk does not climb there.
  const Children children = IndexChildren(*mounts);
  const Mount* holder = root;
  for (size_t slash = 0; slash != std::string::npos && clean != "/";) {
    slash = clean.find('/', slash + 1);
    holder = &TopOn(children, *holder, std::string_view(clean).substr(0, slash));
  }
  return holder->propagation;
}

Result<MountPropagation> MountPropagationOf(const std::string& path) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  char resolved[PATH_MAX];
  const std::string lookup = realpath(path.c_str(), resolved) != nullptr ? resolved : path;
  std::ifstream file("/proc/self/mountinfo");
  std::stringstream text;
  if (!file || !(text << file.rdbuf())) {
    return Error(ErrorCodeFromErrno(errno),
                 std::string("cannot read /proc/self/mountinfo: ") + std::strerror(errno));
  }
  return ParseMountPropagation(text.str(), lookup);
}

}  // namespace nsenter
