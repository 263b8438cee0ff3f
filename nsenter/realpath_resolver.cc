#include "nsenter/realpath_resolver.h"

#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenter {
namespace {

// Paths handed to the kernel must be shorter than this (Linux PATH_MAX).
constexpr size_t kPathMax = 4096;
// Longest component a Linux file system looks up (NAME_MAX).
constexpr size_t kNameMax = 255;
// gnulib follows this many symlinks before it starts checking for loops.
constexpr size_t kUncheckedSymlinks = 20;

// How far the kernel gets looking up the path resolved so far.
enum class Reach {
  kDirectory,     // An existing directory: lookups below it go to the view.
  kNonDirectory,  // An existing non-directory: lookups below it fail ENOTDIR.
  kUnresolved,    // Not reachable (-m only): everything below is lexical.
};

// A component of the path resolved so far.
struct Component {
  size_t parent_length;  // Length of the resolved path without this component.
  Reach reach;
};

// True if `rest` (what follows a component) makes gnulib check that the
// component is a directory: it is "/", or has a "." component at its end or a
// ".." component anywhere, before any other component.
bool SuffixRequiresDirCheck(std::string_view rest) {
  size_t i = 0;
  while (i < rest.size() && rest[i] == '/') {
    while (i < rest.size() && rest[i] == '/') ++i;
    if (i == rest.size()) return true;
    if (rest[i] != '.') return false;
    ++i;
    if (i == rest.size()) return true;
    if (rest[i] == '.' && (i + 1 == rest.size() || rest[i + 1] == '/')) return true;
  }
  return false;
}

// Codes a lookup reports when the path does not resolve, which -m forgives.
bool IsResolutionFailure(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kNotADirectory:
    case ErrorCode::kLoop:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNameTooLong: return true;
    default: return false;
  }
}

// What a lookup of one component found: its type and, for a symlink, the
// target text.
struct Found {
  FileType type;
  std::string target;
};

// One resolution: gnulib's canonicalize_filename_mode over a FileView.
class Resolution {
 public:
  Resolution(const FileView& view, const std::string& path, RealpathMode mode,
             const RealpathLimits& limits)
      : view_(view), path_(path), mode_(mode), limits_(limits), pending_(path) {}

  Result<std::string> Run() {
    while (true) {
      position_ = pending_.find_first_not_of('/', position_);
      if (position_ == std::string::npos) break;
      size_t end = pending_.find('/', position_);
      if (end == std::string::npos) end = pending_.size();
      const std::string name = pending_.substr(position_, end - position_);
      if (name == "..") {
        PopComponent();
      } else if (name != ".") {
        if (Status status = Step(name, end); !status.ok()) return status.error();
        continue;  // Step has moved position_.
      }
      position_ = end;
    }
    return resolved_.empty() ? std::string("/") : resolved_;
  }

 private:
  // Appends `name` (ending at `end` in pending_) to the resolved path and
  // looks it up, following it if it is a symlink.
  Status Step(const std::string& name, size_t end) {
    const Reach parent = components_.empty() ? Reach::kDirectory : components_.back().reach;
    components_.push_back({resolved_.size(), Reach::kUnresolved});
    resolved_ += '/';
    resolved_ += name;
    position_ = end;
    if (parent == Reach::kUnresolved) return {};

    Result<Found> found = LookUp(name, parent);
    if (!found.ok()) {
      if (mode_ == RealpathMode::kMustExist || !IsResolutionFailure(found.error().code())) {
        return Fail(found.error());
      }
      return {};  // -m: kept literally.
    }
    if (found->type == FileType::kSymlink) return Follow(name, end, found->target);
    if (mode_ == RealpathMode::kMustExist &&
        SuffixRequiresDirCheck(std::string_view(pending_).substr(end))) {
      if (resolved_.size() + 1 >= kPathMax) {
        return Fail(ErrorCode::kNameTooLong,
                    Quote(resolved_ + "/") + " is not shorter than PATH_MAX (4096 bytes)");
      }
      if (found->type != FileType::kDirectory) {
        return Fail(ErrorCode::kNotADirectory,
                    Quote(resolved_) + " is not a directory but is followed by " +
                        Quote(pending_.substr(end)));
      }
    }
    components_.back().reach =
        found->type == FileType::kDirectory ? Reach::kDirectory : Reach::kNonDirectory;
    return {};
  }

  // What readlink(2) of resolved_ would tell realpath, whose last component
  // `name` lies below a prefix that reaches `parent`.
  Result<Found> LookUp(const std::string& name, Reach parent) const {
    if (resolved_.size() >= kPathMax) {
      return Error(ErrorCode::kNameTooLong,
                   "the path up to " + Quote(name) + " is " + std::to_string(resolved_.size()) +
                       " bytes, not shorter than PATH_MAX (4096 bytes)");
    }
    if (parent == Reach::kNonDirectory) {
      return Error(ErrorCode::kNotADirectory,
                   Quote(resolved_.substr(0, components_.back().parent_length)) +
                       " is not a directory");
    }
    if (name.size() > kNameMax) {
      return Error(ErrorCode::kNameTooLong,
                   "component " + Quote(name) + " is longer than NAME_MAX (255 bytes)");
    }
    Result<FileStat> stat = view_.Lstat(resolved_);
    if (!stat.ok()) return stat.error();
    if (stat->type != FileType::kSymlink) return Found{stat->type, ""};
    Result<std::string> target = view_.Readlink(resolved_);
    if (!target.ok()) return target.error();
    if (target->find('\0') != std::string::npos) {
      return Error(ErrorCode::kInternal,
                   "the view gave symlink " + Quote(resolved_) + " a target with a NUL byte");
    }
    return Found{FileType::kSymlink, std::move(*target)};
  }

  // Replaces the symlink `name` (the last resolved component, ending at `end`
  // in pending_) with `target`, after gnulib's loop check.
  Status Follow(const std::string& name, size_t end, const std::string& target) {
    if (++symlinks_ > limits_.max_symlinks) {
      return Fail(ErrorCode::kLoop, "gave up at symlink " + Quote(resolved_) +
                                        " after following " +
                                        std::to_string(limits_.max_symlinks) +
                                        " symlinks (work bound RealpathLimits::max_symlinks)");
    }
    const size_t parent_length = components_.back().parent_length;
    if (symlinks_ > kUncheckedSymlinks) {
      const std::string parent = parent_length == 0 ? "/" : resolved_.substr(0, parent_length);
      Result<FileStat> directory = view_.Lstat(parent);
      if (!directory.ok()) return Fail(directory.error());
      // The rest of the path from the link's own name on.
      std::string rest = pending_.substr(end - name.size());
      if (!seen_.emplace(directory->device, directory->inode, std::move(rest)).second) {
        if (mode_ == RealpathMode::kMustExist) {
          return Fail(ErrorCode::kLoop, "symlink loop at " + Quote(resolved_));
        }
        return {};  // -m: the link stays, unresolved.
      }
    }
    requeued_ += target.size() + (pending_.size() - end);
    if (requeued_ > limits_.max_requeued_bytes) {
      return Fail(ErrorCode::kLoop,
                  "gave up at symlink " + Quote(resolved_) + " after re-queueing more than " +
                      std::to_string(limits_.max_requeued_bytes) +
                      " bytes of path (work bound RealpathLimits::max_requeued_bytes)");
    }
    pending_ = target + pending_.substr(end);
    position_ = 0;
    if (!target.empty() && target.front() == '/') {
      components_.clear();
      resolved_.clear();
    } else {
      PopComponent();
    }
    return {};
  }

  void PopComponent() {
    if (components_.empty()) return;
    resolved_.resize(components_.back().parent_length);
    components_.pop_back();
  }

  Error Fail(ErrorCode code, const std::string& detail) const {
    const char* flag = mode_ == RealpathMode::kMustExist ? "-e" : "-m";
    return Error(code, std::string("realpath ") + flag + " of " + Quote(path_) + ": " + detail);
  }
  Error Fail(const Error& cause) const { return Fail(cause.code(), cause.message()); }

  const FileView& view_;
  const std::string& path_;
  const RealpathMode mode_;
  const RealpathLimits& limits_;

  std::string pending_;  // Path text still to resolve, from position_ on.
  size_t position_ = 0;
  std::string resolved_;  // The path resolved so far; "" is "/".
  std::vector<Component> components_;  // One per component of resolved_.
  size_t symlinks_ = 0;
  size_t requeued_ = 0;
  // gnulib's loop check: (device, inode of the link's directory, rest of path).
  std::set<std::tuple<dev_t, ino_t, std::string>> seen_;
};

}  // namespace

Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode) {
  return ResolveRealpath(view, path, mode, RealpathLimits{});
}

Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode, const RealpathLimits& limits) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  return Resolution(view, path, mode, limits).Run();
}

}  // namespace nsenter
