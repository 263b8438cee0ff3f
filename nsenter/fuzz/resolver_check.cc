#include "nsenter/fuzz/resolver_check.h"

#include <fcntl.h>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "fakehost/fake_host.h"
#include "fakehost/temp_dir.h"
#include "nsenter/error.h"
#include "nsenter/file_view.h"
#include "nsenter/fuzz/in_root.h"
#include "nsenter/fuzz/resolver_input.h"
#include "nsenter/host_path.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

// Lower than the defaults, which a runaway resolution takes tens of
// milliseconds to reach under the sanitizers; still above the 20 links
// gnulib follows before its loop check and above what 16 files need without
// a loop.
constexpr RealpathLimits kLimits = {
    .max_symlinks = 128, .max_requeued_bytes = 64 << 10, .max_lookups = 4096};

// A view that counts the calls made to it.
class CountingView final : public FileView {
 public:
  explicit CountingView(const FileView& view) : view_(view) {}

  Result<FileStat> Lstat(const std::string& host_path) const override {
    ++calls_;
    return view_.Lstat(host_path);
  }
  Result<std::string> Readlink(const std::string& host_path) const override {
    ++calls_;
    return view_.Readlink(host_path);
  }
  Result<std::unique_ptr<Directory>> OpenDirectory(const std::string& host_path) const override {
    ++calls_;
    return view_.OpenDirectory(host_path);
  }
  Result<Found> LookUp(const Directory& parent, const std::string& host_path,
                       size_t parent_length, bool want_directory) const override {
    ++calls_;
    return view_.LookUp(parent, host_path, parent_length, want_directory);
  }
  size_t calls() const { return calls_; }

 private:
  const FileView& view_;
  mutable std::atomic<size_t> calls_ = 0;
};

struct NamedView {
  std::string name;  // For messages.
  std::unique_ptr<RootFileView> view;
};

std::string Describe(const Result<std::string>& answer) {
  if (answer.ok()) return "prints " + Quote(*answer);
  return "fails with " + answer.error().ToString();
}

bool SameAnswer(const Result<std::string>& a, const Result<std::string>& b) {
  if (a.ok() != b.ok()) return false;
  return a.ok() ? *a == *b : a.error().code() == b.error().code();
}

// The most view calls the header of realpath_resolver.h allows: each costs
// at least one of `max_lookups`, plus the cursor on "/", and a resolution is
// made at most twice.
size_t MaxViewCalls(const RealpathLimits& limits) { return 2 * (limits.max_lookups + 1); }

// The properties of a successful answer `result` (see the header).
std::optional<std::string> CheckResult(const std::string& result, RealpathMode mode,
                                       const std::vector<NamedView>& views, int root_fd) {
  if (result.empty() || result.front() != '/' || CleanAbsolutePath(result) != result) {
    return "the result " + Quote(result) + " is not an absolute, clean path";
  }
  if (mode == RealpathMode::kMustExist) {
    for (const NamedView& named : views) {
      const Result<FileStat> stat = named.view->Lstat(result);
      if (!stat.ok()) return "Lstat over the " + named.name + " fails: " + stat.error().ToString();
      if (stat->type == FileType::kSymlink) return "the " + named.name + " finds a symlink";
    }
  }
  const Result<FileIdentity> walked = IdentityByWalk(root_fd, result);
  if (!walked.ok()) {
    if (mode == RealpathMode::kAllowMissing) return std::nullopt;
    return "a walk following no symlink does not reach the result: " + walked.error().ToString();
  }
  const Result<FileIdentity> confined = IdentityInRoot(root_fd, result);
  if (!confined.ok()) {
    return "openat2(RESOLVE_IN_ROOT) does not reach the result: " + confined.error().ToString();
  }
  if (!(*confined == *walked)) {
    return "openat2(RESOLVE_IN_ROOT) reaches another file than the walk following no symlink";
  }
  return std::nullopt;
}

std::optional<std::string> CheckQuery(const FileView& host, const std::vector<NamedView>& views,
                                      int root_fd, const std::string& query, RealpathMode mode) {
  const CountingView counting(host);
  const Result<std::string> expected = ResolveRealpath(counting, query, mode, kLimits);
  if (counting.calls() > MaxViewCalls(kLimits)) {
    return "the resolver called the view " + std::to_string(counting.calls()) +
           " times, more than its work bound";
  }
  for (const NamedView& named : views) {
    const Result<std::string> answer = ResolveRealpath(*named.view, query, mode, kLimits);
    if (!SameAnswer(expected, answer)) {
      return "over the fake host it " + Describe(expected) + "; over the " + named.name + " it " +
             Describe(answer);
    }
  }
  if (!expected.ok()) return std::nullopt;
  if (std::optional<std::string> broken = CheckResult(*expected, mode, views, root_fd)) {
    return "it " + Describe(expected) + ", but " + *broken;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CheckResolverInput(std::string_view input) {
  const ResolverInput decoded = DecodeResolverInput(input);
  const Result<std::shared_ptr<fakehost::FakeHost>> host =
      fakehost::FakeHost::Create(decoded.tree);
  if (!host.ok()) return "the decoded tree is not a valid fixture: " + host.error().ToString();
  const fakehost::TempDir dir;
  if (const Status written = (*host)->Materialize(dir.path()); !written.ok()) {
    return "cannot write the tree: " + written.error().ToString();
  }
  const UniqueFd root_fd(open(dir.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd.valid()) return "cannot open " + Quote(dir.path());
  std::vector<NamedView> views;
  for (const auto& [name, lookup] :
       {std::pair{"root view (openat2)", RootFileView::Lookup::kAuto},
        std::pair{"root view (component walk)", RootFileView::Lookup::kComponentWalk}}) {
    Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(dir.path(), lookup);
    if (!view.ok()) return "cannot open the " + std::string(name) + ": " + view.error().ToString();
    views.push_back({name, std::move(*view)});
  }
  for (const std::string& query : decoded.queries) {
    for (const auto& [flag, mode] : {std::pair{"-e", RealpathMode::kMustExist},
                                     std::pair{"-m", RealpathMode::kAllowMissing}}) {
      const std::optional<std::string> broken =
          CheckQuery(**host, views, root_fd.get(), query, mode);
      if (broken) return std::string(flag) + " " + Quote(query) + ": " + *broken;
    }
  }
  return std::nullopt;
}

}  // namespace nsenter
