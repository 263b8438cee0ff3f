#include "tools/nsenterctl/host.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <optional>
#include <utility>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "fakehost/native_options.h"
#include "nsenter/namespaces.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "tools/nsenterctl/scratch_dir.h"

namespace nsenterctl {
namespace {

// `text`, a message that names paths in `tree`, with `tree` (a plain path:
// see ScratchDir) replaced by `root`: as Quote shows it where `tree` starts
// a quoted path, as is elsewhere.
std::string ReplaceTree(std::string text, const std::string& tree, const std::string& root) {
  const std::string quoted_root = nsenter::Quote(root);
  const std::string in_quotes = quoted_root.substr(1, quoted_root.size() - 2);
  for (size_t at = text.find(tree); at != std::string::npos;) {
    const std::string& replacement = at > 0 && text[at - 1] == '\'' ? in_quotes : root;
    text.replace(at, tree.size(), replacement);
    at = text.find(tree, at + replacement.size());
  }
  return text;
}

// `text` with the materialized `tree`, if any, named as `root`.
std::string InTermsOfRoot(std::string text, const ScratchDir* tree, const std::string& root) {
  return tree == nullptr ? text : ReplaceTree(std::move(text), tree->path(), root);
}

class NsenterHost final : public Host {
 public:
  NsenterHost(std::unique_ptr<nsenter::Nsenter> ns, std::string root, int target_pid,
              std::unique_ptr<ScratchDir> tree)
      : tree_(std::move(tree)),
        ns_(std::move(ns)),
        root_(std::move(root)),
        target_pid_(target_pid) {}
  const nsenter::Nsenter& nsenter() const override { return *ns_; }
  std::string root() const override { return root_; }
  int target_pid() const override { return target_pid_; }
  std::string Describe(const nsenter::Error& error) const override {
    return InTermsOfRoot(error.message(), tree_.get(), root_);
  }

 private:
  std::unique_ptr<ScratchDir> tree_;  // A materialized fixture; outlives ns_.
  std::unique_ptr<nsenter::Nsenter> ns_;
  std::string root_;
  int target_pid_;
};

// The library's log goes to stderr with --verbose only: without it, each
// failure is printed once, by the subcommand, from the Result.
nsenter::LogSink MakeLog(bool verbose) {
  if (!verbose) return nullptr;
  return [](int, std::string_view message) { std::cerr << "nsenterctl: " << message << "\n"; };
}

// The namespaces of "--namespaces mnt,net": /proc/PID/ns/ names.
std::vector<nsenter::NamespaceKind> ParseNamespaces(const std::string& list) {
  std::vector<nsenter::NamespaceKind> kinds;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, comma - start);
    const nsenter::NamespaceInfo* found = nullptr;
    for (const nsenter::NamespaceInfo& info : nsenter::AllNamespaces()) {
      if (info.proc_name == name) found = &info;
    }
    if (found == nullptr) {
      throw UsageError("unknown namespace " + nsenter::Quote(name) +
                       " in --namespaces (want a comma-separated list of mnt, net, uts, ipc, pid, "
                       "cgroup)");
    }
    if (std::find(kinds.begin(), kinds.end(), found->kind) != kinds.end()) {
      throw UsageError("namespace " + nsenter::Quote(name) + " is given twice in --namespaces");
    }
    kinds.push_back(found->kind);
    start = comma + 1;
  }
  if (std::find(kinds.begin(), kinds.end(), nsenter::NamespaceKind::kMount) == kinds.end()) {
    throw UsageError("--namespaces must include mnt");
  }
  return kinds;
}

int ParseTargetPid(const std::string& text) {
  int pid = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc() || end != text.data() + text.size() || pid < 1) {
    throw UsageError("invalid --target-pid " + nsenter::Quote(text) + " (want a process ID, 1 or more)");
  }
  return pid;
}

// The options every backend shares, from the command line.
nsenter::Options CommonOptions(const ParsedArgs& args) {
  nsenter::Options options;
  options.host_root = PathOption(args, "rootfs", "/rootfs");
  options.log = MakeLog(args.Has("verbose"));
  const std::string backend = args.Value("backend", "nsenter");
  if (backend == "native") {
    options.backend = nsenter::Backend::kNative;
  } else if (backend != "nsenter") {
    throw UsageError("unknown backend " + nsenter::Quote(backend) + " (want nsenter or native)");
  }
  for (const std::string& dir : args.Values("search-dir")) {
    options.search_dirs.push_back(AbsolutePathOperand("search dir", dir));
  }
  if (args.Has("namespaces")) options.namespaces = ParseNamespaces(args.Value("namespaces"));
  if (options.backend == nsenter::Backend::kNative &&
      std::find(options.namespaces.begin(), options.namespaces.end(),
                nsenter::NamespaceKind::kPid) != options.namespaces.end()) {
    throw UsageError("the native backend cannot enter the PID namespace (use --backend nsenter)");
  }
  if (args.Has("target-pid")) options.target_pid = ParseTargetPid(args.Value("target-pid"));
  return options;
}

// `options` pointed at the fake host of `fixture`: through nsenter, the
// fixture replayed in memory; natively, its tree materialized in `tree`. The
// target pid is that of the fixture's mount namespace (/proc/<pid>/ns/mnt),
// whose mount table the fake host serves.
nsenter::Status UseFixture(nsenter::fakehost::Fixture fixture, nsenter::Options& options,
                           std::unique_ptr<ScratchDir>& tree) {
  const std::string recorded_root = fixture.root;
  if (std::optional<int> pid = nsenter::fakehost::MountNamespacePid(fixture.mount_namespace)) {
    options.target_pid = *pid;
  }
  nsenter::Result<std::shared_ptr<nsenter::fakehost::FakeHost>> host =
      nsenter::fakehost::FakeHost::Create(std::move(fixture));
  if (!host.ok()) return host.error();
  if (options.backend == nsenter::Backend::kNsenter) {
    options.host_root = recorded_root;
    options.host_files = *host;
    auto executor = std::make_shared<nsenter::fakehost::FakeExecutor>(*host);
    // The mount namespace file the fixture names, not /proc/1/ns/mnt.
    options.namespace_files[nsenter::NamespaceKind::kMount] = executor->mount_namespace();
    options.executor = std::move(executor);
    return {};
  }
  nsenter::Result<std::unique_ptr<ScratchDir>> dir = ScratchDir::Create();
  if (!dir.ok()) return dir.error();
  tree = std::move(*dir);
  if (nsenter::Status written = (*host)->Materialize(tree->path()); !written.ok()) return written;
  nsenter::Options native = nsenter::fakehost::NativeOptionsOver(tree->path());
  native.search_dirs = options.search_dirs;
  native.namespaces = options.namespaces;
  native.target_pid = options.target_pid;
  if (options.log) {
    native.log = [log = options.log, dir = tree->path(), recorded_root](
                     int verbosity, std::string_view message) {
      log(verbosity, ReplaceTree(std::string(message), dir, recorded_root));
    };
  }
  options = std::move(native);
  return {};
}

// Directories some distributions keep their programs in, outside the
// default search dirs: Flatcar's /opt/bin, NixOS's /run/current-system/sw/bin.
constexpr const char* kKnownSearchDirs[] = {"/opt/bin", "/run/current-system/sw/bin"};

// `error` of discovery, with a hint where the host has a known directory of
// programs that was not searched.
nsenter::Error WithSearchDirHint(nsenter::Error error, const nsenter::Options& options) {
  if (error.code() != nsenter::ErrorCode::kNotFound ||
      !error.message().starts_with("unable to find ")) {
    return error;
  }
  std::shared_ptr<const nsenter::FileView> files = options.host_files;
  if (!files) {
    nsenter::Result<std::unique_ptr<nsenter::RootFileView>> view =
        nsenter::RootFileView::Open(options.host_root);
    if (!view.ok()) return error;
    files = std::move(*view);
  }
  std::string dirs;
  std::string flags;
  for (const char* dir : kKnownSearchDirs) {
    const auto& searched = options.search_dirs;
    if (std::find(searched.begin(), searched.end(), dir) != searched.end()) continue;
    // A directory, also through symlinks (NixOS's /run/current-system is one).
    nsenter::Result<std::string> resolved =
        nsenter::ResolveRealpath(*files, dir, nsenter::RealpathMode::kMustExist);
    if (!resolved.ok()) continue;
    nsenter::Result<nsenter::FileStat> stat = files->Lstat(*resolved);
    if (!stat.ok() || stat->type != nsenter::FileType::kDirectory) continue;
    dirs += (dirs.empty() ? "" : " and ") + std::string(dir);
    flags += std::string(" --search-dir ") + dir;
  }
  if (dirs.empty()) return error;
  return nsenter::Error(error.code(), error.message() + "; the host has " + dirs + ": try" + flags);
}

}  // namespace

std::vector<OptionSpec> HostOptionSpecs() {
  return {{"rootfs", true, false},     {"fixture", true, false},   {"backend", true, false},
          {"search-dir", true, true},  {"namespaces", true, false}, {"target-pid", true, false},
          {"verbose", false, false}};
}

nsenter::Result<std::unique_ptr<Host>> OpenHost(const ParsedArgs& args) {
  nsenter::Options options = CommonOptions(args);
  std::string shown_root = options.host_root;
  std::unique_ptr<ScratchDir> tree;
  if (args.Has("fixture")) {
    if (args.Has("rootfs")) throw UsageError("--rootfs and --fixture exclude each other");
    if (args.Has("target-pid")) throw UsageError("--target-pid and --fixture exclude each other");
    // A fixture records the mount namespace alone: every other one would fail each call.
    if (options.namespaces != std::vector<nsenter::NamespaceKind>{nsenter::NamespaceKind::kMount}) {
      throw UsageError("--fixture records the mount namespace only: --namespaces must be mnt");
    }
    nsenter::Result<nsenter::fakehost::Fixture> fixture =
        nsenter::fakehost::LoadFixture(PathOption(args, "fixture"));
    if (!fixture.ok()) return fixture.error();
    shown_root = fixture->root;
    if (nsenter::Status used = UseFixture(std::move(*fixture), options, tree); !used.ok()) {
      return used.error();
    }
  }
  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) {
    const nsenter::Error error = WithSearchDirHint(ns.error(), options);
    return error.WithCode(error.code(), InTermsOfRoot(error.message(), tree.get(), shown_root));
  }
  return std::unique_ptr<Host>(
      new NsenterHost(std::move(*ns), shown_root, options.target_pid, std::move(tree)));
}

void RefuseOnMaterializedFixture(const ParsedArgs& args, const std::string& command,
                                 FixtureNeed need) {
  if (!args.Has("fixture") || args.Value("backend", "nsenter") != "native") return;
  const std::string why =
      need == FixtureNeed::kRunsPrograms
          ? " would run a program on this machine, not on the recorded host (the fixture's "
            "files, written to a temporary directory, hold no programs)"
          : " cannot answer from the fixture's files written to a temporary directory: they "
            "hold none of the recorded host's mounts";
  throw UsageError(command + " with --fixture and --backend native" + why +
                   "; use --backend nsenter, which replays the fixture");
}

std::string DescribeWithHostMessage(const Host& host, const nsenter::Error& error) {
  const std::string said = error.stderr_data().substr(0, error.stderr_data().find('\n'));
  const std::string message = host.Describe(error);
  return said.empty() ? message : message + ": " + nsenter::Quote(said);
}

nsenter::HostMounterOptions MounterOptions(const Host& host) {
  return {.target_pid = host.target_pid()};
}

}  // namespace nsenterctl
