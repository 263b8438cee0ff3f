#include "nsenter/realpath_resolver.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
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
// Cursors kept open on the directories just below the top of the resolved
// path, so that "x/.." costs no reopening; older ones are reopened on demand.
constexpr size_t kKeptCursors = 32;

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

// What a memoized link expands to: the resolved path after its target text
// has been consumed. The key (the link's own path) fixes everything before.
struct Expansion {
  size_t kept;                        // Components of the state before it kept.
  std::string suffix;                 // Resolved text after those.
  std::vector<Component> components;  // The components after those.
  size_t links;                       // Symlinks gnulib meets inside it.
};

// A link whose expansion is under way.
struct OpenExpansion {
  std::string key;        // The link's path.
  size_t rest_size;       // Size of the text after the link: done when only it is left.
  size_t lowest;          // Fewest components the resolved path has had since.
  size_t links_before;    // gnulib's symlink count before its inner links.
  // The next open expansion of the same link outwards, as an index in the
  // stack of open expansions, if any.
  std::optional<size_t> enclosing_same_link;
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
    case ErrorCode::kNameTooLong:
    case ErrorCode::kUnsupported: return true;
    default: return false;
  }
}

bool IsPlainName(std::string_view name) { return name != "." && name != ".."; }

size_t SaturatingAdd(size_t a, size_t b) {
  return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b;
}

// realpath's answer for `path` if the view shows in one call that its whole
// lookup meets no symlink: then every component exists, each directory
// check holds, and ".." is textual, so both modes answer the path made
// lexically clean. Asked only where the component walk could not have
// failed on a limit instead: every prefix it resolves is no longer than
// `path`, so PATH_MAX is not reached; and with n components, it looks up
// each once and reopens at most n of them per lookup, within max_lookups.
std::optional<std::string> SymlinkFreeAnswer(const FileView& view, const std::string& path,
                                             const RealpathLimits& limits) {
  if (path.size() + 1 >= kPathMax) return std::nullopt;
  size_t components = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/' && (i == 0 || path[i - 1] == '/')) ++components;
  }
  if (components * (components + 1) > limits.max_lookups) return std::nullopt;
  if (!view.ResolvesWithoutSymlinks(path)) return std::nullopt;
  return CleanAbsolutePath(path);
}

// One resolution: gnulib's canonicalize_filename_mode over a FileView.
class Resolution {
 public:
  // Outcome of Run besides an answer: -m met a loop after reusing a memoized
  // expansion, so the answer must be computed again without memoization.
  struct Restart {};

  Resolution(const FileView& view, const std::string& path, RealpathMode mode,
             const RealpathLimits& limits, bool memoize)
      : view_(view), path_(path), mode_(mode), limits_(limits), memoize_(memoize),
        pending_(path) {}

  // The answer, or std::nullopt for a Restart.
  std::optional<Result<std::string>> Run() {
    while (true) {
      position_ = pending_.find_first_not_of('/', position_);
      CloseFinishedExpansions();
      if (position_ == std::string::npos) break;
      size_t end = pending_.find('/', position_);
      if (end == std::string::npos) end = pending_.size();
      const std::string_view name(pending_.data() + position_, end - position_);
      if (name == "..") {
        PopComponent();
      } else if (name != ".") {
        Status status = Step(end);
        if (restart_) return std::nullopt;
        if (!status.ok()) return Result<std::string>(status.error());
        continue;  // Step has moved position_.
      }
      position_ = end;
    }
    return Result<std::string>(resolved_.empty() ? std::string("/") : resolved_);
  }

 private:
  size_t Remaining() const {
    return position_ == std::string::npos ? 0 : pending_.size() - position_;
  }

  // Appends the component at position_ (ending at `end`), or a run of plain
  // names starting there, to the resolved path and looks it up, following it
  // if it is a symlink.
  Status Step(size_t end) {
    const Reach parent = components_.empty() ? Reach::kDirectory : components_.back().reach;
    const size_t parent_length = resolved_.size();
    const size_t run_end = parent == Reach::kDirectory ? RunEnd(end) : end;
    const size_t first_new = components_.size();
    const size_t run_start = position_;
    identities_.resize(std::min(identities_.size(), first_new + 1));
    // Push every component of the run; all but the last are directories if
    // the lookup succeeds.
    for (size_t start = position_; start < run_end;) {
      size_t stop = pending_.find('/', start);
      if (stop == std::string::npos || stop > run_end) stop = run_end;
      PushComponent(std::string_view(pending_.data() + start, stop - start),
                    Reach::kDirectory);
      start = pending_.find_first_not_of('/', stop);
      if (start == std::string::npos) start = run_end;
    }
    components_.back().reach = Reach::kUnresolved;
    const std::string_view name(pending_.data() + position_, end - position_);
    position_ = run_end;
    if (parent == Reach::kUnresolved) return {};

    Result<FileView::Found> found = LookUp(name, parent, parent_length, first_new);
    if (exhausted_) return Fail(*exhausted_);
    const size_t run_length = components_.size() - first_new;
    if (!found.ok() && run_length > 1) {
      // The run did not resolve in one lookup (a symlink or a missing name
      // in it): try its first half, down to single names.
      max_run_ = run_length / 2;
      components_.resize(first_new);
      resolved_.resize(parent_length);
      position_ = run_start;
      return {};
    }
    max_run_ = std::numeric_limits<size_t>::max();
    if (!found.ok()) {
      if (mode_ == RealpathMode::kMustExist || !IsResolutionFailure(found.error().code())) {
        return Fail(found.error());
      }
      return {};  // -m: kept literally.
    }
    Component& last = components_.back();
    last.reach = found->stat.type == FileType::kDirectory ? Reach::kDirectory
                                                            : Reach::kNonDirectory;
    cursors_.resize(components_.size());
    cursors_.back() = std::move(found->directory);
    identities_.resize(components_.size() + 1);
    if (found->stat.type == FileType::kDirectory) {
      identities_.back().emplace(found->stat.device, found->stat.inode);
    }
    if (found->stat.type == FileType::kSymlink) {
      last.reach = Reach::kUnresolved;
      return Follow(run_end, std::move(found->target));
    }
    if (mode_ == RealpathMode::kMustExist &&
        SuffixRequiresDirCheck(std::string_view(pending_).substr(run_end))) {
      if (resolved_.size() + 1 >= kPathMax) {
        return Fail(ErrorCode::kNameTooLong,
                    Quote(resolved_ + "/") + " is not shorter than PATH_MAX (4096 bytes)");
      }
      if (found->stat.type != FileType::kDirectory) {
        return Fail(ErrorCode::kNotADirectory,
                    Quote(resolved_) + " is not a directory but is followed by " +
                        Quote(pending_.substr(run_end)));
      }
    }
    return {};
  }

  // Where a run of plain names starting at position_ (whose first name ends
  // at `end`) can be looked up in one call with the answer of single steps:
  // the names are followed only by names (so no directory check falls
  // between them), none is longer than NAME_MAX, and the path stays shorter
  // than PATH_MAX. At most max_run_ names.
  size_t RunEnd(size_t end) const {
    size_t run_end = end;
    size_t names = 1;
    size_t length = resolved_.size() + 1 + (end - position_);
    if (end - position_ > kNameMax || length >= kPathMax) return end;
    while (true) {
      const size_t start = pending_.find_first_not_of('/', run_end);
      if (start == std::string::npos) break;
      size_t stop = pending_.find('/', start);
      if (stop == std::string::npos) stop = pending_.size();
      const std::string_view name(pending_.data() + start, stop - start);
      length += 1 + name.size();
      if (names == max_run_ || !IsPlainName(name) || name.size() > kNameMax ||
          length >= kPathMax) {
        break;
      }
      run_end = stop;
      ++names;
    }
    return run_end;
  }

  void PushComponent(std::string_view name, Reach reach) {
    components_.push_back({resolved_.size(), reach});
    resolved_ += '/';
    resolved_ += name;
  }

  // What the lookup of the components from `first_new` on (the last being
  // `name`) tells realpath, below a prefix of `parent_length` bytes that
  // reaches `parent`.
  Result<FileView::Found> LookUp(std::string_view name, Reach parent, size_t parent_length,
                                 size_t first_new) {
    if (resolved_.size() >= kPathMax) {
      return Error(ErrorCode::kNameTooLong,
                   "the path up to " + Quote(std::string(name)) + " is " +
                       std::to_string(resolved_.size()) +
                       " bytes, not shorter than PATH_MAX (4096 bytes)");
    }
    if (parent == Reach::kNonDirectory) {
      return Error(ErrorCode::kNotADirectory,
                   Quote(resolved_.substr(0, parent_length)) + " is not a directory");
    }
    if (name.size() > kNameMax) {
      return Error(ErrorCode::kNameTooLong, "component " + Quote(std::string(name)) +
                                                " is longer than NAME_MAX (255 bytes)");
    }
    Result<const FileView::Directory*> cursor = CursorOf(first_new);
    if (!cursor.ok()) return cursor.error();
    if (Status spent = Spend(components_.size() - first_new); !spent.ok()) return spent.error();
    const bool want_directory = NextNeedsCursor();
    Result<FileView::Found> found =
        view_.LookUp(**cursor, resolved_, parent_length, want_directory);
    if (found.ok() && found->stat.type == FileType::kSymlink &&
        found->target.find('\0') != std::string::npos) {
      return Error(ErrorCode::kInternal,
                   "the view gave symlink " + Quote(resolved_) + " a target with a NUL byte");
    }
    return found;
  }

  // True if a name other than "." or ".." follows position_: the cursor of
  // the component just looked up would be used.
  bool NextNeedsCursor() const {
    size_t start = position_;
    while (true) {
      start = pending_.find_first_not_of('/', start);
      if (start == std::string::npos) return false;
      size_t stop = pending_.find('/', start);
      if (stop == std::string::npos) stop = pending_.size();
      const std::string_view name(pending_.data() + start, stop - start);
      if (name == "..") return false;
      if (name != ".") return true;
      start = stop;
    }
  }

  // A cursor on the directory made of the first `count` components,
  // reopened from "/" if it was not kept.
  Result<const FileView::Directory*> CursorOf(size_t count) {
    if (count == 0) {
      if (root_cursor_ == nullptr) {
        Result<std::unique_ptr<FileView::Directory>> root = view_.OpenDirectory("/");
        if (!root.ok()) return root.error();
        root_cursor_ = std::move(*root);
      }
      return root_cursor_.get();
    }
    cursors_.resize(std::max(cursors_.size(), count));
    std::unique_ptr<FileView::Directory>& cursor = cursors_[count - 1];
    if (cursor == nullptr) {
      const std::string directory = PrefixOf(count);
      if (Status spent = Spend(count); !spent.ok()) return spent.error();
      Result<std::unique_ptr<FileView::Directory>> opened = view_.OpenDirectory(directory);
      if (!opened.ok()) return opened.error();
      cursor = std::move(*opened);
    }
    // Keep only the most recent cursors open.
    if (count > kKeptCursors) cursors_[count - 1 - kKeptCursors].reset();
    return cursor.get();
  }

  // Length of the resolved path made of the first `count` components.
  size_t LengthOf(size_t count) const {
    return count < components_.size() ? components_[count].parent_length : resolved_.size();
  }
  // That path itself ("/" for none).
  std::string PrefixOf(size_t count) const {
    return count == 0 ? "/" : resolved_.substr(0, LengthOf(count));
  }

  // Counts `lookups` components looked up against the work bound. Once it
  // is exceeded, the resolution fails in both modes (exhausted_).
  Status Spend(size_t lookups) {
    work_ += std::max<size_t>(lookups, 1);
    if (work_ > limits_.max_lookups && !exhausted_) {
      exhausted_.emplace(ErrorCode::kLoop,
                         "gave up after looking up more than " +
                             std::to_string(limits_.max_lookups) +
                             " components (work bound RealpathLimits::max_lookups)");
    }
    if (exhausted_) return *exhausted_;
    return {};
  }

  // Replaces the symlink that is the last resolved component (ending at `end`
  // in pending_) with `target`, after gnulib's loop check, or with what it
  // expanded to before.
  Status Follow(size_t end, std::string target) {
    const size_t link_length = components_.size();
    const size_t name_start = components_.back().parent_length + 1;
    const std::string_view name(resolved_.data() + name_start, resolved_.size() - name_start);
    const size_t name_in_pending = end - name.size();
    gnu_links_ = SaturatingAdd(gnu_links_, 1);
    if (gnu_links_ > kUncheckedSymlinks) {
      Result<std::pair<dev_t, ino_t>> directory = IdentityOf(link_length - 1);
      if (!directory.ok()) return Fail(directory.error());
      // The rest of the path from the link's own name on.
      std::string rest = pending_.substr(name_in_pending);
      if (!seen_.emplace(directory->first, directory->second, std::move(rest)).second) {
        if (mode_ == RealpathMode::kMustExist) {
          return Fail(ErrorCode::kLoop, "symlink loop at " + Quote(resolved_));
        }
        // -m: the link stays, unresolved. Expansions reused before may have
        // skipped what gnulib remembers, so answer again without them.
        if (hits_ > 0) restart_ = true;
        memoize_ = false;
        open_.clear();
        innermost_open_.clear();
        return {};
      }
    }
    if (memoize_) {
      // The link met again inside its own expansion, with more text after
      // it than then: each round adds that text again, and realpath never
      // finishes (g -> g/x).
      // Each open expansion of a link had no more text after it than the
      // ones around it (or it would have failed here), so the innermost one
      // has the least.
      if (const auto open = innermost_open_.find(resolved_);
          open != innermost_open_.end() && pending_.size() - end > open_[open->second].rest_size) {
        return Fail(ErrorCode::kLoop, "symlink " + Quote(resolved_) +
                                          " expands to a path through itself with more "
                                          "after it, which grows without end (work bound)");
      }
      if (auto hit = memo_.find(resolved_); hit != memo_.end()) {
        if (Status spent = Spend(1); !spent.ok()) return Fail(spent.error());
        Apply(hit->second);
        return {};
      }
    }
    if (++followed_ > limits_.max_symlinks) {
      return Fail(ErrorCode::kLoop, "gave up at symlink " + Quote(resolved_) +
                                        " after following " +
                                        std::to_string(limits_.max_symlinks) +
                                        " symlinks (work bound RealpathLimits::max_symlinks)");
    }
    const size_t rest_size = pending_.size() - end;
    requeued_ += target.size() + rest_size;
    if (requeued_ > limits_.max_requeued_bytes) {
      return Fail(ErrorCode::kLoop,
                  "gave up at symlink " + Quote(resolved_) + " after re-queueing more than " +
                      std::to_string(limits_.max_requeued_bytes) +
                      " bytes of path (work bound RealpathLimits::max_requeued_bytes)");
    }
    if (memoize_) OpenExpansionOf(rest_size, link_length - 1);
    const bool absolute = !target.empty() && target.front() == '/';
    target.append(pending_, end);
    pending_ = std::move(target);
    position_ = 0;
    max_run_ = std::numeric_limits<size_t>::max();
    if (absolute) {
      while (!components_.empty()) PopComponent();
    } else {
      PopComponent();
    }
    return {};
  }

  // Device and inode of the directory made of the first `count` components.
  Result<std::pair<dev_t, ino_t>> IdentityOf(size_t count) {
    identities_.resize(std::max(identities_.size(), count + 1));
    std::optional<std::pair<dev_t, ino_t>>& identity = identities_[count];
    if (!identity) {
      if (Status spent = Spend(count); !spent.ok()) return spent.error();
      Result<FileStat> stat = view_.Lstat(PrefixOf(count));
      if (!stat.ok()) return stat.error();
      identity.emplace(stat->device, stat->inode);
    }
    return *identity;
  }

  // Opens the expansion of the link that is the resolved path, with
  // `rest_size` bytes after it and `kept` components before it.
  void OpenExpansionOf(size_t rest_size, size_t kept) {
    OpenExpansion expansion{resolved_, rest_size, kept, gnu_links_, std::nullopt};
    const auto [innermost, first] = innermost_open_.try_emplace(resolved_, open_.size());
    if (!first) {
      expansion.enclosing_same_link = innermost->second;
      innermost->second = open_.size();
    }
    open_.push_back(std::move(expansion));
  }

  // Ends the expansions whose target text has been consumed, memoizing them
  // where the state they leave does not depend on what follows.
  void CloseFinishedExpansions() {
    while (!open_.empty() && Remaining() <= open_.back().rest_size) {
      OpenExpansion done = std::move(open_.back());
      open_.pop_back();
      if (done.enclosing_same_link) {
        innermost_open_[done.key] = *done.enclosing_same_link;
      } else {
        innermost_open_.erase(done.key);
      }
      if (!open_.empty()) open_.back().lowest = std::min(open_.back().lowest, done.lowest);
      // Under -e, a directory check may follow; it passes for any suffix
      // only on a directory whose path leaves room for "/".
      const bool directory = components_.empty() || components_.back().reach == Reach::kDirectory;
      if (mode_ == RealpathMode::kMustExist && (!directory || resolved_.size() + 1 >= kPathMax)) {
        continue;
      }
      const size_t kept = std::min(done.lowest, components_.size());
      memo_.emplace(std::move(done.key),
                    Expansion{kept, resolved_.substr(LengthOf(kept)),
                              std::vector<Component>(components_.begin() + kept, components_.end()),
                              gnu_links_ - done.links_before});
    }
  }

  // Replaces the link that is the last resolved component with what it
  // expanded to before.
  void Apply(const Expansion& expansion) {
    ++hits_;
    gnu_links_ = SaturatingAdd(gnu_links_, expansion.links);
    while (components_.size() > expansion.kept) PopComponent();
    resolved_ += expansion.suffix;
    components_.insert(components_.end(), expansion.components.begin(),
                       expansion.components.end());
    // The expansions around it take it from the innermost as each closes.
    if (!open_.empty()) open_.back().lowest = std::min(open_.back().lowest, expansion.kept);
  }

  void PopComponent() {
    if (components_.empty()) return;
    resolved_.resize(components_.back().parent_length);
    components_.pop_back();
    if (cursors_.size() > components_.size()) cursors_.resize(components_.size());
    if (identities_.size() > components_.size() + 1) identities_.resize(components_.size() + 1);
    if (!open_.empty()) open_.back().lowest = std::min(open_.back().lowest, components_.size());
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
  bool memoize_;

  std::string pending_;  // Path text still to resolve, from position_ on.
  size_t position_ = 0;
  // The most names the next lookup takes at once: halved after a run failed
  // to resolve in one lookup, unlimited again after a lookup succeeds.
  size_t max_run_ = std::numeric_limits<size_t>::max();
  std::string resolved_;  // The path resolved so far; "" is "/".
  std::vector<Component> components_;  // One per component of resolved_.
  // cursors_[i]: a cursor on the first i + 1 components, if kept.
  std::vector<std::unique_ptr<FileView::Directory>> cursors_;
  std::unique_ptr<FileView::Directory> root_cursor_;
  // identities_[i]: device and inode of the first i components, if known.
  std::vector<std::optional<std::pair<dev_t, ino_t>>> identities_;

  size_t gnu_links_ = 0;  // Symlinks gnulib would have met, memoized ones included.
  size_t followed_ = 0;   // Symlinks followed here.
  size_t requeued_ = 0;
  size_t work_ = 0;       // Components looked up by view calls.
  // gnulib's loop check: (device, inode of the link's directory, rest of path).
  std::set<std::tuple<dev_t, ino_t, std::string>> seen_;
  std::unordered_map<std::string, Expansion> memo_;  // By the link's path.
  std::vector<OpenExpansion> open_;                    // Innermost last.
  // The index in open_ of each open link's innermost expansion, by its path.
  std::unordered_map<std::string, size_t> innermost_open_;
  size_t hits_ = 0;
  bool restart_ = false;
  std::optional<Error> exhausted_;  // Set once the work bound is exceeded.
};

}  // namespace

Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode) {
  return ResolveRealpath(view, path, mode, RealpathLimits{});
}

Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode, const RealpathLimits& limits) {
  if (Status valid = ValidateAbsolutePath("path", path); !valid.ok()) return valid.error();
  if (std::optional<std::string> lexical = SymlinkFreeAnswer(view, path, limits)) return *lexical;
  if (std::optional<Result<std::string>> answer =
          Resolution(view, path, mode, limits, /*memoize=*/true).Run()) {
    return *std::move(answer);
  }
  return *Resolution(view, path, mode, limits, /*memoize=*/false).Run();
}

}  // namespace nsenter
