// Agreement: on a real host, HostMounter::IsLikelyNotMountPoint (and the
// exact IsMountPoint) and HostFiles::GetFileType, GetMode and GetOwner give the same answers
// through both backends as the host's own findmnt(8) and stat(1) give, errors included, for over
// 200 paths of a tree generated from a fixed seed: nested directories; files of varied modes
// (setuid, setgid, sticky, none) and owners; symlinks (relative, absolute, chains, dangling, loops,
// into and out of mounts); a FIFO, unix sockets, character and block devices; tmpfs mounts (nested,
// stacked), bind mounts (a directory onto itself, a file, a read-only one), a mount hidden under a
// later mount on its parent, and a chain of 45 symlinks.
//
// The tree is built on the host, and the reference answers are computed
// there by the host's tools, from a child that entered the host's mount
// namespace (host_side.h), not through the library:
//   mount point: `realpath -e -- P`, then `findmnt -o target --noheadings
//                --first-only --target RESOLVED` names RESOLVED itself (as
//                upstream's nsenter mounter decides; findmnt finding nothing
//                means "no");
//   type, mode, owner: `stat -L --printf=%F:%a:%u:%g -- P`.
// A tool that fails is an error, which every backend must report too.
// Two differences are by design and expected as such: a hidden mount's mount
// point is not one natively (host_mounter.h), and a path through more than
// 40 symlinks, which stat -L refuses, is stat'ed at the file realpath
// resolves it to (host_files.h).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"
#include "nsenter/privileged/backends.h"
#include "nsenter/privileged/host_side.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"

namespace nsenter::privileged {
namespace {

using AgreementTest = PrivilegedTest;

// The generator's seed: the tree and the paths are the same in every run.
constexpr unsigned kSeed = 11;
constexpr size_t kRandomDirectories = 10;
constexpr size_t kRandomFiles = 14;
constexpr size_t kRandomSymlinks = 14;
// The threads that ask the library.
constexpr size_t kThreads = 4;
// More symlinks in a chain than the kernel follows in one lookup (40).
constexpr int kBeyondLinkLimit = 45;

void Check(int result, const std::string& what) {
  if (result < 0) throw std::system_error(errno, std::generic_category(), what);
}

struct Owner {
  uid_t uid;
  gid_t gid;
};

// A path to ask about, and what it is, for the counts and the table rows.
struct Probe {
  std::string path;
  std::string kind;
  // Whether the path leads to the mount point of a mount hidden under a
  // later mount on its parent, where the backends differ by design
  // (host_mounter.h).
  bool at_hidden_mount = false;
  // Where the path leads through more symlinks than the kernel follows (40),
  // or empty: stat -L fails on it, while realpath, and so the backends,
  // resolve it (host_files.h).
  std::string beyond_link_limit_to{};
};

// The tree to build: a list of steps, run in order on the host, and the
// paths to probe that come with each node.
class TreePlan {
 public:
  explicit TreePlan(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }

  // Each method adds its node (`relative` to the root) and returns its path.
  std::string Dir(const std::string& relative, mode_t mode, Owner owner, const std::string& kind) {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] {
      Check(mkdir(path.c_str(), 0700), "mkdir " + path);
      SetOwnerAndMode(path, owner, mode);
    });
    return path;
  }
  std::string File(const std::string& relative, mode_t mode, Owner owner, const std::string& kind,
                   const std::string& contents = "") {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] {
      const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      Check(fd, "create " + path);
      const bool written =
          write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size());
      close(fd);
      if (!written) throw std::runtime_error("cannot write " + path);
      SetOwnerAndMode(path, owner, mode);
    });
    return path;
  }
  std::string Symlink(const std::string& relative, const std::string& target,
                      const std::string& kind) {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] { Check(symlink(target.c_str(), path.c_str()), "symlink " + path); });
    return path;
  }
  std::string Special(const std::string& relative, mode_t type_and_mode, dev_t device, Owner owner,
                      const std::string& kind) {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] {
      Check(mknod(path.c_str(), type_and_mode, device), "mknod " + path);
      SetOwnerAndMode(path, owner, type_and_mode & 07777);
    });
    return path;
  }
  // A unix socket bound at `relative` (by its name, from its directory: a
  // socket's address is short).
  std::string Socket(const std::string& relative, const std::string& kind) {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] {
      const std::filesystem::path file(path);
      Check(chdir(file.parent_path().c_str()), "chdir for " + path);
      sockaddr_un address = {};
      address.sun_family = AF_UNIX;
      const std::string name = file.filename();
      name.copy(address.sun_path, sizeof address.sun_path - 1);
      const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      Check(fd, "socket");
      const int bound = bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
      const int error = errno;
      close(fd);
      errno = error;
      Check(bound, "bind " + path);
      Check(chdir("/"), "chdir /");
    });
    return path;
  }
  // A tmpfs on `relative`, a directory made first unless `exists`.
  std::string Tmpfs(const std::string& relative, const std::string& options,
                    const std::string& kind, bool exists = false) {
    const std::string path = Add(relative, kind);
    steps_.push_back([=] {
      if (!exists) Check(mkdir(path.c_str(), 0755), "mkdir " + path);
      Check(mount("agreement", path.c_str(), "tmpfs", 0, options.c_str()), "mount tmpfs " + path);
    });
    return path;
  }
  // A bind mount of existing `source` on existing `target` (relative both),
  // then remounted read-only if `read_only`.
  std::string Bind(const std::string& source, const std::string& target, bool read_only,
                   const std::string& kind) {
    const std::string from = Path(source);
    const std::string to = Add(target, kind);
    steps_.push_back([=] {
      Check(mount(from.c_str(), to.c_str(), nullptr, MS_BIND, nullptr), "bind " + to);
      if (read_only) {
        Check(mount(nullptr, to.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr),
              "remount read-only " + to);
      }
    });
    return to;
  }

  // Runs the steps, in order; throws std::system_error naming a failed one.
  void Build() const {
    for (const std::function<void()>& step : steps_) step();
  }

  // A chain of `length` symlinks, "<prefix>-0" -> `target` (relative) and
  // "<prefix>-<i>" -> "<prefix>-<i-1>"; the last one alone is a node.
  std::string SymlinkChain(const std::string& prefix, int length, const std::string& target,
                           const std::string& kind) {
    std::string previous = target;
    for (int i = 0; i + 1 < length; ++i) {
      const std::string link = Path(prefix + "-" + std::to_string(i));
      steps_.push_back([=] { Check(symlink(previous.c_str(), link.c_str()), "symlink " + link); });
      previous = prefix + "-" + std::to_string(i);
    }
    const std::string last = Symlink(prefix + "-" + std::to_string(length - 1), previous, kind);
    MarkBeyondLinkLimit(last, Path(target));
    return last;
  }

  // Marks every probe of `path` as leading to a hidden mount's mount point.
  void MarkHiddenMount(const std::string& path) {
    for (Probe& probe : probes_) probe.at_hidden_mount |= probe.path == path;
  }
  // Marks every probe of `path` as leading to `end` through too many symlinks.
  void MarkBeyondLinkLimit(const std::string& path, const std::string& end) {
    for (Probe& probe : probes_) {
      if (probe.path == path) probe.beyond_link_limit_to = end;
    }
  }

  // Each node's own path, with the kind of its step, in the order they were
  // added (a path that two steps made, say a stacked mount, twice).
  const std::vector<Probe>& probes() const { return probes_; }

 private:
  std::string Path(const std::string& relative) const { return root_ + "/" + relative; }
  std::string Add(const std::string& relative, const std::string& kind) {
    const std::string path = Path(relative);
    probes_.push_back({path, kind});
    return path;
  }
  static void SetOwnerAndMode(const std::string& path, Owner owner, mode_t mode) {
    Check(chown(path.c_str(), owner.uid, owner.gid), "chown " + path);
    // After chown, which clears the set-user-ID and set-group-ID bits.
    Check(chmod(path.c_str(), mode), "chmod " + path);
  }

  std::string root_;
  std::vector<std::function<void()>> steps_;
  std::vector<Probe> probes_;
};

constexpr Owner kRoot = {0, 0};
constexpr Owner kOwners[] = {{0, 0},           {1000, 1000},     {65534, 65534},
                             {123456, 654321}, {2147483648u, 7}, {1000, 0}};
constexpr mode_t kFileModes[] = {0644, 0600, 0755, 04755, 02750, 06711, 0444, 0, 01644, 0777};
constexpr mode_t kDirectoryModes[] = {0755, 0700, 01777, 0711, 02775, 0555};

// The fixed part of the tree: every kind of node the agreement must cover.
// Returns the writable directories in which the random part may add nodes.
std::vector<std::string> PlanFixedPart(TreePlan& plan) {
  const std::string r = plan.root();
  plan.Dir("plain", 0755, kRoot, "directory");
  plan.File("plain/file", 0644, kRoot, "file", "contents\n");
  plan.File("plain/empty", 0600, {1000, 1000}, "file");
  plan.File("plain/setuid", 04755, kRoot, "setuid file", "#!/bin/sh\n");
  plan.File("plain/setgid", 02750, {1000, 2000}, "setuid file");
  plan.Dir("sticky", 01777, kRoot, "directory");
  plan.File("noperm", 0, {65534, 65534}, "file");
  plan.Dir("dev", 0755, kRoot, "directory");
  plan.Special("dev/null", S_IFCHR | 0666, makedev(1, 3), kRoot, "char device");
  plan.Special("dev/zero", S_IFCHR | 0640, makedev(1, 5), {0, 5}, "char device");
  plan.Special("dev/loop0", S_IFBLK | 0660, makedev(7, 0), {0, 6}, "block device");
  plan.Special("fifo", S_IFIFO | 0640, 0, {1000, 1000}, "fifo");
  plan.Socket("sock", "socket");

  // A tmpfs with its own root mode and owner, one inside it, a bind of it
  // read-only, and symlinks into and out of it.
  plan.Tmpfs("mnt", "size=2m,mode=0711,uid=1000,gid=2000", "tmpfs");
  plan.File("mnt/file", 0640, {1000, 2000}, "file", "in a mount\n");
  plan.Dir("mnt/dir", 0750, {1000, 2000}, "directory");
  plan.Socket("mnt/sock", "socket");
  plan.Tmpfs("mnt/nested", "size=1m,mode=01777", "nested tmpfs");
  plan.File("mnt/nested/file", 04711, kRoot, "setuid file");
  plan.Symlink("mnt/out-relative", "../plain", "symlink out of a mount");
  plan.Symlink("mnt/out-absolute", r + "/plain/file", "symlink out of a mount");
  plan.Symlink("mnt/to-root", "/", "symlink out of a mount");
  plan.Dir("ro", 0755, kRoot, "directory");
  plan.Bind("mnt", "ro", /*read_only=*/true, "read-only bind");

  plan.Dir("self", 0700, {1000, 1000}, "directory");
  plan.Bind("self", "self", /*read_only=*/false, "bind onto itself");
  plan.File("self/file", 0644, kRoot, "file");
  plan.Dir("bind-source", 0755, kRoot, "directory");
  plan.File("bind-source/file", 0600, {65534, 65534}, "file");
  plan.Dir("bind-target", 0700, kRoot, "directory");
  plan.Bind("bind-source", "bind-target", /*read_only=*/false, "directory bind");
  plan.File("file-source", 04755, kRoot, "file");
  plan.File("file-target", 0600, {1000, 1000}, "file");
  plan.Bind("file-source", "file-target", /*read_only=*/false, "file bind");

  // Two tmpfs stacked on one directory; a file made on the upper one.
  plan.Tmpfs("stack", "size=1m,mode=0700", "tmpfs");
  plan.Tmpfs("stack", "size=1m,mode=0751", "stacked tmpfs", /*exists=*/true);
  plan.File("stack/upper", 0644, kRoot, "file");

  // A mount hidden under a later mount on its parent: hidden/inner stays in
  // the mount table, but the path now leads into the upper tmpfs, where it
  // is made again as a plain directory; hidden-gone/inner is not made again.
  plan.Dir("hidden", 0755, kRoot, "directory");
  plan.Tmpfs("hidden/inner", "size=1m,mode=0700", "hidden tmpfs");
  plan.File("hidden/inner/under", 0644, kRoot, "file hidden under a mount");
  plan.Tmpfs("hidden", "size=1m,mode=0755", "tmpfs", /*exists=*/true);
  const std::string hidden = plan.Dir("hidden/inner", 0750, kRoot, "directory over a hidden mount");
  plan.MarkHiddenMount(hidden);
  plan.Dir("hidden-gone", 0755, kRoot, "directory");
  plan.MarkHiddenMount(plan.Tmpfs("hidden-gone/inner", "size=1m", "hidden tmpfs"));
  plan.Tmpfs("hidden-gone", "size=1m", "tmpfs", /*exists=*/true);

  // Names findmnt escapes or pads around, each a directory bound onto itself.
  for (const std::string name : {"with space", "trailing space ", "back\\x41slash",
                                 "octal\\040escape", "new\nline", "\xff\xfe"}) {
    plan.Dir(name, 0755, kRoot, "odd name");
    plan.Bind(name, name, /*read_only=*/false, "odd name bound onto itself");
  }

  plan.Symlink("to-mnt", "mnt", "symlink into a mount");
  plan.Symlink("to-mnt-absolute", r + "/mnt", "symlink into a mount");
  plan.Symlink("to-nested", "mnt/nested/", "symlink into a mount");
  plan.Symlink("chain-1", "chain-2", "symlink chain");
  plan.Symlink("chain-2", r + "/chain-3", "symlink chain");
  plan.Symlink("chain-3", "mnt/out-absolute", "symlink chain");
  plan.Symlink("dangling", "no-such-file", "dangling symlink");
  plan.Symlink("dangling-absolute", r + "/mnt/no-such-dir/x", "dangling symlink");
  plan.Symlink("loop-1", "loop-2", "symlink loop");
  plan.Symlink("loop-2", "loop-1", "symlink loop");
  plan.SymlinkChain("deep", kBeyondLinkLimit, "plain/setuid", "symlink chain beyond 40 links");
  plan.Symlink("to-null", "dev/null", "symlink to a device");
  plan.Symlink("to-loop0", r + "/dev/loop0", "symlink to a device");
  plan.Symlink("to-sock", r + "/sock", "symlink to a socket");
  plan.Symlink("to-fifo", "fifo", "symlink to a fifo");
  plan.Symlink("to-file-target", "file-target", "symlink to a bind");
  plan.Symlink("to-self", "./self/", "symlink to a bind");
  plan.MarkHiddenMount(plan.Symlink("to-hidden", "hidden/inner", "symlink to a hidden mount"));
  plan.Symlink("through-dotdot", "mnt/../ro/nested", "symlink to a bind");
  plan.Symlink("to-proc", "/proc", "symlink out of the tree");

  return {r,
          r + "/plain",
          r + "/sticky",
          r + "/mnt",
          r + "/mnt/dir",
          r + "/mnt/nested",
          r + "/self",
          r + "/bind-source",
          r + "/stack",
          r + "/hidden/inner"};
}

// The random part: directories, files and symlinks in random places, with
// random modes and owners, and symlinks (relative or absolute) to any node.
void PlanRandomPart(TreePlan& plan, std::vector<std::string> directories, std::mt19937& random) {
  const auto pick = [&](const auto& items) { return items[random() % std::size(items)]; };
  const auto relative_to_root = [&](const std::string& path) {
    return std::filesystem::path(path).lexically_relative(plan.root()).string();
  };
  // One pick a statement: the order of a call's arguments is unspecified.
  for (size_t i = 0; i < kRandomDirectories; ++i) {
    const std::string parent = relative_to_root(pick(directories));
    const mode_t mode = pick(kDirectoryModes);
    const Owner owner = pick(kOwners);
    directories.push_back(plan.Dir(parent + "/d" + std::to_string(i), mode, owner, "directory"));
  }
  for (size_t i = 0; i < kRandomFiles; ++i) {
    const std::string parent = relative_to_root(pick(directories));
    const mode_t mode = pick(kFileModes);
    const Owner owner = pick(kOwners);
    plan.File(parent + "/f" + std::to_string(i), mode, owner, "file");
  }
  const std::vector<Probe> nodes = plan.probes();
  for (size_t i = 0; i < kRandomSymlinks; ++i) {
    const std::string parent = pick(directories);
    const Probe& target_node = pick(nodes);
    const std::string& target = target_node.path;
    const bool absolute = random() % 2 == 0;
    const std::string text =
        absolute ? target : std::filesystem::path(target).lexically_relative(parent).string();
    const std::string link =
        plan.Symlink(relative_to_root(parent) + "/l" + std::to_string(i), text,
                     absolute ? "random absolute symlink" : "random relative symlink");
    if (target_node.at_hidden_mount) plan.MarkHiddenMount(link);
    if (!target_node.beyond_link_limit_to.empty()) {
      plan.MarkBeyondLinkLimit(link, target_node.beyond_link_limit_to);
    }
  }
}

// The paths to ask about: every node's own, and, picked at random, the same
// node reached otherwise: through "." and "..", a trailing slash, a missing
// child, and the bind mounts and symlinks that lead to its directory.
std::vector<Probe> GenerateProbes(const TreePlan& plan, std::mt19937& random) {
  const std::string r = plan.root();
  // Where a node's directory is also reached: {prefix, other prefix}.
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {r + "/mnt/", r + "/ro/"},
      {r + "/mnt/", r + "/to-mnt/"},
      {r + "/mnt/", r + "/to-mnt-absolute/"},
      {r + "/mnt/nested/", r + "/to-nested/"},
      {r + "/bind-source/", r + "/bind-target/"},
      {r + "/self/", r + "/to-self/"},
      {r + "/plain/", r + "/mnt/out-relative/"},
      {r + "/plain/", r + "/mnt/to-root" + r + "/plain/"},
  };
  std::vector<Probe> probes = {{"/", "host path"},
                               {"/proc", "host path"},
                               {std::filesystem::path(r).parent_path(), "host path"},
                               {"/no-such-path-of-the-agreement-test", "missing"}};
  for (const Probe& node : plan.probes()) {
    probes.push_back(node);
    const std::string name = std::filesystem::path(node.path).filename();
    // A variant keeps `at_hidden_mount` but not `beyond_link_limit_to`: the
    // long chains end at files, where every variant fails in every tool.
    const bool hidden = node.at_hidden_mount;
    switch (random() % 6) {
      case 0:
        probes.push_back({node.path + "/", node.kind + ", trailing slash", hidden});
        break;
      case 1:
        probes.push_back({node.path + "/.", node.kind + ", /.", hidden});
        break;
      case 2:
        probes.push_back({node.path + "/../" + name, node.kind + ", /../", hidden});
        break;
      case 3:
        probes.push_back({node.path + "/missing", "missing child"});
        break;
      default:
        break;
    }
    for (const auto& [prefix, other] : aliases) {
      if (node.path.starts_with(prefix) && random() % 3 == 0) {
        Probe alias = node;
        alias.path = other + node.path.substr(prefix.size());
        alias.kind += ", aliased";
        probes.push_back(alias);
      }
    }
  }
  return probes;
}

// One path's answers: "yes"/"no", a type name, an octal mode, "uid:gid";
// "error" (the tools) or "error: CODE" (the library) instead of any of them.
struct Answers {
  std::string mount_point;
  std::string type;
  std::string mode;
  std::string owner;
  // The library's exact IsMountPoint too, held to the same answer.
  std::string exact_mount_point{};
};

constexpr char kError[] = "error";

std::string OctalMode(unsigned long mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%04lo", mode);
  return text;
}

// stdout of host tool `program` run with `args` in the C locale, or nothing
// if it failed.
std::optional<std::string> RunTool(const std::string& program,
                                   const std::vector<std::string>& args) {
  std::unique_ptr<Cmd> cmd = ProcessExecutor().Command(program, args);
  cmd->SetEnv({"LC_ALL=C", "PATH=/usr/bin:/bin"});
  Result<std::string> output = cmd->Output();
  if (!output.ok()) return std::nullopt;
  return *output;
}

// `text` without its last "\n".
std::string Line(std::string text) {
  if (text.ends_with('\n')) text.pop_back();
  return text;
}

// findmnt's column text with its "\xHH" escapes (of backslashes, control and
// invalid bytes) turned back into bytes.
std::string FindmntUnescape(const std::string& text) {
  std::string bytes;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\\x") == 0 && i + 4 <= text.size()) {
      bytes.push_back(static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16)));
      i += 3;
    } else {
      bytes.push_back(text[i]);
    }
  }
  return bytes;
}

// stat(1)'s %F names, as HostFileTypeName's.
std::string TypeFromStat(const std::string& name) {
  static const std::map<std::string, std::string> kTypes = {
      {"regular file", "File"},
      {"regular empty file", "File"},
      {"directory", "Directory"},
      {"fifo", "FIFO"},
      {"socket", "Socket"},
      {"character special file", "CharDevice"},
      {"block special file", "BlockDevice"}};
  const auto found = kTypes.find(name);
  return found == kTypes.end() ? "unknown stat type " + Quote(name) : found->second;
}

// The host's tools' answers for `path`; run on the host.
Answers AskTheTools(const std::string& path) {
  Answers answers;
  const std::optional<std::string> resolved = RunTool("/usr/bin/realpath", {"-e", "--", path});
  if (!resolved) {
    answers.mount_point = kError;
  } else {
    const std::string target = Line(*resolved);
    const std::optional<std::string> found = RunTool(
        "/usr/bin/findmnt", {"-o", "target", "--noheadings", "--first-only", "--target", target});
    answers.mount_point = found && FindmntUnescape(Line(*found)) == target ? "yes" : "no";
  }
  const std::optional<std::string> stat =
      RunTool("/usr/bin/stat", {"-L", "--printf=%F:%a:%u:%g", "--", path});
  if (!stat) {
    answers.type = answers.mode = answers.owner = kError;
    return answers;
  }
  // The type name holds spaces but no colon; the rest are numbers.
  std::istringstream fields(*stat);
  std::string type, mode, uid, gid;
  std::getline(fields, type, ':');
  std::getline(fields, mode, ':');
  std::getline(fields, uid, ':');
  std::getline(fields, gid);
  answers.type = TypeFromStat(type);
  answers.mode = OctalMode(std::stoul(mode, nullptr, 8));
  answers.owner = uid + ":" + gid;
  return answers;
}

// Answers encoded one path a line, fields apart by tabs (none holds either).
std::string Encode(const std::vector<Answers>& all) {
  std::string text;
  for (const Answers& a : all) {
    text += a.mount_point + "\t" + a.type + "\t" + a.mode + "\t" + a.owner + "\n";
  }
  return text;
}

std::vector<Answers> Decode(const std::string& text) {
  std::vector<Answers> all;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    Answers a;
    std::getline(fields, a.mount_point, '\t');
    std::getline(fields, a.type, '\t');
    std::getline(fields, a.mode, '\t');
    std::getline(fields, a.owner, '\t');
    all.push_back(a);
  }
  return all;
}

template <typename T>
std::string Answer(const Result<T>& result, const std::function<std::string(const T&)>& show) {
  if (result.ok()) return show(*result);
  return std::string(kError) + ": " + std::string(ErrorCodeName(result.error().code()));
}

// The library's answers for `path` through `mounter` and `files`.
Answers AskTheLibrary(const HostMounter& mounter, const HostFiles& files, const std::string& path) {
  return {
      Answer<bool>(mounter.IsLikelyNotMountPoint(path),
                   [](const bool& likely_not) { return likely_not ? "no" : "yes"; }),
      Answer<HostFileType>(
          files.GetFileType(path),
          [](const HostFileType& type) { return std::string(HostFileTypeName(type)); }),
      Answer<mode_t>(files.GetMode(path), [](const mode_t& mode) { return OctalMode(mode); }),
      Answer<HostOwner>(files.GetOwner(path),
                        [](const HostOwner& owner) {
                          return std::to_string(owner.uid) + ":" + std::to_string(owner.gid);
                        }),
      Answer<bool>(mounter.IsMountPoint(path),
                   [](const bool& mount_point) { return mount_point ? "yes" : "no"; }),
  };
}

// The library's answers for every probe through `ns`, asked from a few
// threads at once (HostMounter and HostFiles are thread-safe): the nsenter
// backend starts two host processes per question, and the machine is shared.
std::vector<Answers> AskTheLibrary(const Nsenter& ns, const std::vector<Probe>& probes) {
  const HostMounter mounter(ns);
  const HostFiles files(ns);
  std::vector<Answers> answers(probes.size());
  std::vector<std::thread> threads;
  for (size_t first = 0; first < kThreads; ++first) {
    threads.emplace_back([&, first] {
      for (size_t i = first; i < probes.size(); i += kThreads) {
        answers[i] = AskTheLibrary(mounter, files, probes[i].path);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return answers;
}

// What a backend must answer for `probes[i]`: the tools' answers
// (`reference`), but for the differences by design.
Answers Expected(const std::vector<Probe>& probes, const std::vector<Answers>& reference, size_t i,
                 Backend backend) {
  const Probe& probe = probes[i];
  Answers expected = reference[i];
  // findmnt names a hidden mount's mount point from the mount table;
  // natively it is what the path now leads to, not a mount's root
  // (host_mounter.h).
  if (probe.at_hidden_mount && backend == Backend::kNative && expected.mount_point == "yes") {
    expected.mount_point = "no";
  }
  // stat -L refuses a chain beyond 40 symlinks; the backends stat the file
  // that realpath resolves it to (host_files.h).
  if (!probe.beyond_link_limit_to.empty()) {
    const auto end = std::find_if(probes.begin(), probes.end(), [&](const Probe& other) {
      return other.path == probe.beyond_link_limit_to;
    });
    const Answers& stat_of_end = reference[end - probes.begin()];
    expected.type = stat_of_end.type;
    expected.mode = stat_of_end.mode;
    expected.owner = stat_of_end.owner;
  }
  return expected;
}

// Whether a library answer is the expected one: the same, or both errors.
bool Agrees(const std::string& expected, const std::string& library) {
  return expected == kError ? library.starts_with(kError) : expected == library;
}

// Expects each backend's answer to `question` about `probe` to be the
// expected one, and the backends to agree on the code of an error; a
// mismatch is one row of a table, with the tools' own answer.
void ExpectAgreement(const Probe& probe, const char* question, const std::string& tool,
                     const std::string& nsenter_expected, const std::string& native_expected,
                     const std::string& nsenter, const std::string& native) {
  const bool same_error = !nsenter.starts_with(kError) || nsenter == native;
  EXPECT_TRUE(Agrees(nsenter_expected, nsenter) && Agrees(native_expected, native) && same_error)
      << Quote(probe.path) << " | " << probe.kind << " | " << question << " | tools: " << tool
      << " | nsenter: " << nsenter << " | native: " << native;
}

// Expects the tools to have given every answer somewhere: the tree holds
// mount points and plain paths, each file type, and paths that fail.
void ExpectEveryAnswerGiven(const std::vector<Answers>& reference) {
  std::map<std::string, int> mount_points;
  std::map<std::string, int> types;
  for (const Answers& answers : reference) {
    ++mount_points[answers.mount_point];
    ++types[answers.type];
  }
  for (const char* answer : {"yes", "no", kError}) {
    EXPECT_GT(mount_points[answer], 0) << "no path's mount point answer is " << answer;
  }
  for (const char* type :
       {"Directory", "File", "Socket", "CharDevice", "BlockDevice", "FIFO", kError}) {
    EXPECT_GT(types[type], 0) << "no path's type is " << type;
  }
}

TEST_F(AgreementTest, BothBackendsAgreeWithFindmntAndStatOnAGeneratedTree) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    std::mt19937 random(kSeed);
    TreePlan plan(container.scratch + "/tree");
    std::vector<std::string> writable = PlanFixedPart(plan);
    PlanRandomPart(plan, std::move(writable), random);
    const std::vector<Probe> probes = GenerateProbes(plan, random);
    ASSERT_GE(probes.size(), 200u);

    const std::vector<Answers> reference = Decode(OnHostSide([&] {
      Check(mkdir(plan.root().c_str(), 0755), "mkdir " + plan.root());
      Check(mount("agreement", plan.root().c_str(), "tmpfs", 0, "size=4m,mode=0755"),
            "mount tmpfs " + plan.root());
      plan.Build();
      std::vector<Answers> all;
      for (const Probe& probe : probes) all.push_back(AskTheTools(probe.path));
      return Encode(all);
    }));
    ASSERT_EQ(reference.size(), probes.size());

    std::map<Backend, std::vector<Answers>> answers;
    for (const Backend backend : AllBackends()) {
      Result<std::unique_ptr<Nsenter>> created =
          Nsenter::Create(NsenterOptions(container, backend));
      ASSERT_TRUE(created.ok()) << created.error().ToString();
      answers[backend] = AskTheLibrary(**created, probes);
    }

    std::map<std::string, int> kinds;
    int hidden_mount_points = 0;
    int beyond_link_limit = 0;
    for (size_t i = 0; i < probes.size(); ++i) {
      ++kinds[probes[i].kind];
      const Answers& tool = reference[i];
      const Answers for_nsenter = Expected(probes, reference, i, Backend::kNsenter);
      const Answers for_native = Expected(probes, reference, i, Backend::kNative);
      const Answers& nsenter = answers[Backend::kNsenter][i];
      const Answers& native = answers[Backend::kNative][i];
      ExpectAgreement(probes[i], "mount point", tool.mount_point, for_nsenter.mount_point,
                      for_native.mount_point, nsenter.mount_point, native.mount_point);
      ExpectAgreement(probes[i], "exact mount point", tool.mount_point, for_nsenter.mount_point,
                      for_native.mount_point, nsenter.exact_mount_point, native.exact_mount_point);
      ExpectAgreement(probes[i], "type", tool.type, for_nsenter.type, for_native.type, nsenter.type,
                      native.type);
      ExpectAgreement(probes[i], "mode", tool.mode, for_nsenter.mode, for_native.mode, nsenter.mode,
                      native.mode);
      ExpectAgreement(probes[i], "owner", tool.owner, for_nsenter.owner, for_native.owner,
                      nsenter.owner, native.owner);
      hidden_mount_points += for_native.mount_point != tool.mount_point;
      if (!probes[i].beyond_link_limit_to.empty()) {
        ++beyond_link_limit;
        EXPECT_EQ(tool.type, kError) << Quote(probes[i].path) << ": stat -L followed it";
      }
    }
    EXPECT_GT(hidden_mount_points, 0) << "findmnt named no hidden mount's mount point";
    EXPECT_GT(beyond_link_limit, 0);
    ExpectEveryAnswerGiven(reference);
    std::cout << probes.size() << " paths, seed " << kSeed << ", " << hidden_mount_points
              << " at a hidden mount, " << beyond_link_limit << " beyond 40 symlinks:\n";
    for (const auto& [kind, count] : kinds) std::cout << "  " << count << "\t" << kind << "\n";
  });
}

// The case where the backends differ by design (host_mounter.h): a mount
// hidden under a later mount on its parent is a mount point to findmnt, which
// finds it in the mount table, and not natively, where the path leads into
// the later mount; there, as the native answer says, umount(8) finds nothing
// mounted.
TEST_F(AgreementTest, AMountHiddenUnderALaterMountIsAMountPointOnlyToFindmnt) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    const std::string parent = container.scratch + "/parent";
    const std::string hidden = parent + "/hidden";
    OnHostSide([&] {
      Check(mkdir(parent.c_str(), 0755), "mkdir " + parent);
      Check(mkdir(hidden.c_str(), 0755), "mkdir " + hidden);
      Check(mount("hidden", hidden.c_str(), "tmpfs", 0, "size=1m"), "mount tmpfs " + hidden);
      Check(mount("later", parent.c_str(), "tmpfs", 0, "size=1m"), "mount tmpfs " + parent);
      Check(mkdir(hidden.c_str(), 0755), "mkdir " + hidden + " again");
      return std::string();
    });
    for (const Backend backend : AllBackends()) {
      Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(NsenterOptions(container, backend));
      ASSERT_TRUE(ns.ok()) << ns.error().ToString();
      const HostMounter mounter(**ns);
      const bool native = backend == Backend::kNative;
      Result<bool> likely_not = mounter.IsLikelyNotMountPoint(hidden);
      ASSERT_TRUE(likely_not.ok()) << likely_not.error().ToString();
      EXPECT_EQ(*likely_not, native) << BackendName(backend);
      Result<bool> mount_point = mounter.IsMountPoint(hidden);
      ASSERT_TRUE(mount_point.ok()) << mount_point.error().ToString();
      EXPECT_EQ(*mount_point, !native) << BackendName(backend);
      Status unmounted = mounter.Unmount(hidden);
      ASSERT_FALSE(unmounted.ok()) << BackendName(backend);
      EXPECT_EQ(unmounted.error().code(), ErrorCode::kNotMounted) << unmounted.error().ToString();
    }
  });
}

}  // namespace
}  // namespace nsenter::privileged
