#include "fakehost/host_command_emulation.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "fakehost/gnu_messages.h"
#include "fakehost/mount_table.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter::fakehost {
namespace {

// util-linux's exit status for a failed mount or umount.
constexpr int kMountFailure = 32;
constexpr std::string_view kDmesgHint =
    "       dmesg(1) may have more information after failed mount system call.\n";
// findmnt pads a column to at least its header's width ("TARGET").
constexpr size_t kTargetColumnWidth = 6;

bool Has(const std::vector<std::string>& options, std::string_view option) {
  return std::find(options.begin(), options.end(), option) != options.end();
}

std::string FromRoot(const std::string& path) { return path.starts_with('/') ? path : "/" + path; }

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string ChildOf(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// findmnt's encoding of a cell: bytes that are not printable, and a
// backslash that would read as an escape, as \xHH.
std::string FindmntEncode(std::string_view text) {
  std::string encoded;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool escape_like = c == '\\' && i + 1 < text.size() && text[i + 1] == 'x';
    if (c >= 0x20 && c < 0x7f && !escape_like) {
      encoded.push_back(text[i]);
      continue;
    }
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    encoded += hex;
  }
  return encoded;
}

mode_t TypeBits(FileType type) {
  switch (type) {
    case FileType::kDirectory: return S_IFDIR;
    case FileType::kRegular: return S_IFREG;
    case FileType::kSymlink: return S_IFLNK;
    case FileType::kOther: break;
  }
  return 0;
}

Answer Failed(int exit_code, std::string stderr_data) {
  return Answer{exit_code, "", std::move(stderr_data)};
}

class Emulator {
 public:
  Emulator(FakeHost& host, const std::string& program) : host_(host), program_(program) {}

  Result<Answer> operator()(const FindmntCommand& command) const {
    const std::optional<MountTable> table = host_.Mounts();
    if (!table) return NoMountTable();
    Result<std::string> path = Resolve(command.path, RealpathMode::kMustExist);
    const MountInfo* mount = path.ok() ? MountHolding(*table, *path) : nullptr;
    if (mount == nullptr) return Failed(1, "");
    std::string target = FindmntEncode(mount->mount_point);
    target.resize(std::max(target.size(), kTargetColumnWidth), ' ');
    return Answer{0, target + " " + FindmntEncode(mount->fs_type) + "\n", ""};
  }

  Result<Answer> operator()(const MountCommandLine& command) const {
    if (!host_.Mounts()) return NoMountTable();
    const bool bind = Has(command.options, "bind");
    const bool remount = Has(command.options, "remount");
    if (Has(command.options, "rbind")) return Unmodelled("a recursive bind mount (rbind)");
    if (!bind && !remount && command.fs_type.empty()) {
      return Unmodelled("a mount without -t that is not a bind (mount(8) would probe the device)");
    }
    Result<std::string> target = Resolve(command.target, RealpathMode::kMustExist);
    if (!target.ok()) return MountFailed(command.target, "mount point does not exist.");
    if (remount) {
      bool remounted = false;
      Status changed = host_.ChangeMounts([&](MountTable& table) -> Status {
        remounted = Remount(table, *target, command.options);
        return {};
      });
      if (!changed.ok()) return changed.error();
      if (!remounted) return MountFailed(command.target, "mount point not mounted or bad option.");
      return Answer{};
    }
    NewMount mount{*target, command.fs_type, command.source, command.options};
    if (bind) {
      Result<std::string> source = Resolve(command.source, RealpathMode::kMustExist);
      if (!source.ok()) {
        return MountFailed(command.target, "special device " + command.source + " does not exist.");
      }
      mount.source = *source;
    }
    bool added = false;
    Status changed = host_.ChangeMounts([&](MountTable& table) -> Status {
      added = AddMount(table, mount);
      return {};
    });
    if (!changed.ok()) return changed.error();
    if (!added) return Unmodelled("a mount where the recorded table holds no mount");
    return Answer{};
  }

  Result<Answer> operator()(const SystemdScopeProbeCommand&) const { return Answer{}; }

  Result<Answer> operator()(const MakeRSharedCommand& command) const {
    if (!host_.Mounts()) return NoMountTable();
    Result<std::string> path = Resolve(command.path, RealpathMode::kMustExist);
    if (!path.ok()) return MountFailed(command.path, "mount point does not exist.");
    bool shared = false;
    Status changed = host_.ChangeMounts([&](MountTable& table) -> Status {
      shared = MakeRShared(table, *path);
      return {};
    });
    if (!changed.ok()) return changed.error();
    if (!shared) return MountFailed(command.path, "not mount point or bad option.");
    return Answer{};
  }

  Result<Answer> operator()(const UmountCommand& command) const {
    if (!host_.Mounts()) return NoMountTable();
    Result<std::string> target = Resolve(command.target, RealpathMode::kMustExist);
    if (!target.ok()) return UmountFailed(command.target, "no mount point specified.");
    UnmountResult result = UnmountResult::kNotMounted;
    Status changed = host_.ChangeMounts([&](MountTable& table) -> Status {
      result = Unmount(table, *target);
      return {};
    });
    if (!changed.ok()) return changed.error();
    switch (result) {
      case UnmountResult::kUnmounted: return Answer{};
      case UnmountResult::kNotMounted: return UmountFailed(command.target, "not mounted.");
      case UnmountResult::kBusy: return UmountFailed(command.target, "target is busy.");
    }
    return UmountFailed(command.target, "not mounted.");
  }

  Result<Answer> operator()(const StatCommand& command) const {
    Result<std::string> path = Resolve(command.path, RealpathMode::kMustExist);
    Result<FileStat> file = path.ok() ? host_.Lstat(*path) : Result<FileStat>(path.error());
    if (!file.ok()) {
      return FailedOn(file.error(), "cannot statx " + QuoteFileNameAlways(command.path));
    }
    char printed[32];
    std::snprintf(printed, sizeof printed, "%x:0:0",
                  static_cast<unsigned>(TypeBits(file->type) | file->mode));
    return Answer{0, printed, ""};
  }

  Result<Answer> operator()(const MakeDirCommand& command) const {
    std::string current = "/";  // Canonical, a directory.
    std::string shown;          // The prefix of the path as -p's messages name it.
    std::vector<std::string> names;
    for (size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
      end = command.path.find('/', start);
      const std::string name = command.path.substr(start, end - start);
      if (name == "..") return Unmodelled("mkdir of a path with a \"..\" component");
      if (!name.empty() && name != ".") names.push_back(name);
    }
    // mkdir -p names the prefix that failed, mkdir its operand.
    const auto cannot = [&](std::string_view why) {
      return Failed(1, program_ + ": cannot create directory " +
                           QuoteLocale(command.parents ? shown : command.path) + ": " +
                           std::string(why) + "\n");
    };
    if (names.empty() && !command.parents) return cannot("File exists");
    for (size_t i = 0; i < names.size(); ++i) {
      const bool last = i + 1 == names.size();
      shown += "/" + names[i];
      const std::string candidate = ChildOf(current, names[i]);
      const auto failed = [&](const Error& error) {
        return FailedOn(error, "cannot create directory " +
                                   QuoteLocale(command.parents ? shown : command.path));
      };
      Result<std::string> resolved = ResolveRealpath(host_, candidate, RealpathMode::kMustExist);
      if (resolved.ok()) {
        Result<FileStat> file = host_.Lstat(*resolved);
        if (!file.ok()) return failed(file.error());
        if (file->type != FileType::kDirectory) {
          return cannot(last ? "File exists" : "Not a directory");
        }
        if (last && !command.parents) return cannot("File exists");
        current = *resolved;
        continue;
      }
      const ErrorCode unresolved = resolved.error().code();
      if (unresolved != ErrorCode::kNotFound && unresolved != ErrorCode::kNotADirectory) {
        return failed(resolved.error());
      }
      if (host_.Lstat(candidate).ok()) {  // A dangling symlink: mkdir(2) does not follow
        // it at the name it makes, -p takes it for a file met, and mkdir(2)
        // follows it on the way to what it misses.
        if (last || (command.parents && unresolved == ErrorCode::kNotFound)) {
          return cannot("File exists");
        }
        return failed(resolved.error());
      }
      if (unresolved != ErrorCode::kNotFound) return failed(resolved.error());
      if (!last && !command.parents) return cannot("No such file or directory");
      const std::optional<mode_t> mode = last ? command.mode : std::nullopt;
      if (Status made = host_.MakeDirectory(candidate, mode); !made.ok()) {
        return failed(made.error());
      }
      current = candidate;
    }
    return Answer{};
  }

  Result<Answer> operator()(const TouchCommand& command) const {
    const auto failed = [&](const Error& error) {
      return FailedOn(error, "cannot touch " + QuoteFileNameAlways(command.path));
    };
    Result<std::string> path = Resolve(command.path, RealpathMode::kAllowMissing);
    if (!path.ok()) return failed(path.error());
    Result<FileStat> file = host_.Lstat(*path);
    // A symlink the resolution kept is one it could not follow: a loop.
    if (file.ok() && file->type == FileType::kSymlink) {
      return failed(Error(ErrorCode::kLoop, "a symlink loop"));
    }
    if (file.ok()) return Answer{};
    if (file.error().code() != ErrorCode::kNotFound) return failed(file.error());
    Result<FileStat> parent = host_.Lstat(ParentOf(*path));
    if (!parent.ok()) return failed(parent.error());
    if (parent->type != FileType::kDirectory) {
      return failed(Error(ErrorCode::kNotADirectory, "parent is not a directory"));
    }
    if (Status made = host_.MakeFile(*path); !made.ok()) return failed(made.error());
    return Answer{};
  }

 private:
  Result<std::string> Resolve(const std::string& path, RealpathMode mode) const {
    if (path.empty()) return Error(ErrorCode::kNotFound, "empty path");
    return ResolveRealpath(host_, FromRoot(path), mode);
  }

  // A coreutils failure: "PROGRAM: <what>: <strerror of error>", exit 1.
  Result<Answer> FailedOn(const Error& error, const std::string& what) const {
    const std::optional<std::string_view> text = LookupErrorText(error.code());
    if (!text) {
      return Error(ErrorCode::kInternal, "fake host of " + host_.fixture().source + ": " +
                                             program_ + " has no message for: " + error.ToString());
    }
    return Failed(1, program_ + ": " + what + ": " + std::string(*text) + "\n");
  }

  static Answer MountFailed(const std::string& path, const std::string& what) {
    return Failed(kMountFailure, "mount: " + path + ": " + what + "\n" + std::string(kDmesgHint));
  }

  static Answer UmountFailed(const std::string& path, const std::string& what) {
    return Failed(kMountFailure, "umount: " + path + ": " + what + "\n");
  }

  Error Unmodelled(const std::string& what) const {
    return Error(ErrorCode::kExecFailed, "the fake host of " + host_.fixture().source +
                                             " does not model " + what + " (" + Quote(program_) +
                                             ")");
  }

  Error NoMountTable() const {
    return Error(ErrorCode::kExecFailed,
                 "the fixture " + host_.fixture().source + " records no mount table (\"mountinfo\"), so " +
                     Quote(program_) + " has nothing to answer from");
  }

  FakeHost& host_;
  const std::string& program_;
};

}  // namespace

Result<Answer> RunHostCommand(FakeHost& host, const std::string& program,
                              const HostCommand& command) {
  return std::visit(Emulator(host, program), command);
}

}  // namespace nsenter::fakehost
