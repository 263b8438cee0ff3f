#include "bench/fixture.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "fakehost/temp_dir.h"
#include "nsenter/quote.h"

namespace nsenter::bench {
namespace {

// The temporary tree of PathCase::kTree, and both cases.
struct Cases {
  Cases() {
    tree_dir.WriteFile("dir/a/b/c/target");
    tree_dir.Symlink("rel", "dir/a");
    tree_dir.Symlink("dir/a/up", "b");
    tree_dir.Symlink("chain", tree_dir.path() + "/rel/up");
    const std::string canonical = std::filesystem::canonical(tree_dir.path()).string();
    tree = {tree_dir.path() + "/chain/c/target", canonical + "/dir/a/b/c/target"};
  }

  fakehost::TempDir tree_dir;
  ResolveCase tree;
  ResolveCase plain{"/usr/bin/mount", "/usr/bin/mount"};
};

bool HasEffective(const __user_cap_data_struct (&data)[_LINUX_CAPABILITY_U32S_3], int capability) {
  return (data[capability / 32].effective & (1U << (capability % 32))) != 0;
}

const Result<std::unique_ptr<Nsenter>>& SharedNsenter(Backend backend) {
  if (backend == Backend::kNative) {
    static const Result<std::unique_ptr<Nsenter>> native =
        Nsenter::Create(OwnHostOptions(Backend::kNative));
    return native;
  }
  static const Result<std::unique_ptr<Nsenter>> program =
      Nsenter::Create(OwnHostOptions(Backend::kNsenter));
  return program;
}

double Fastest(const std::vector<double>& repetitions) {
  return *std::min_element(repetitions.begin(), repetitions.end());
}

}  // namespace

const ResolveCase& GetCase(PathCase which) {
  static const Cases cases;
  return which == PathCase::kTree ? cases.tree : cases.plain;
}

bool CanSetns() {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return HasEffective(data, CAP_SYS_ADMIN) && HasEffective(data, CAP_SYS_CHROOT);
}

Options OwnHostOptions(Backend backend) {
  Options options;
  options.host_root = "/";
  options.backend = backend;
  options.target_pid = getpid();
  options.namespace_files[NamespaceKind::kMount] = "/proc/self/ns/mnt";
  options.log = [](int, std::string_view) {};
  return options;
}

const Nsenter* SharedNsenterOrSkip(benchmark::State& state, Backend backend, bool needs_setns) {
  if (needs_setns && !CanSetns()) {
    state.SkipWithError(kNeedsRoot);
    return nullptr;
  }
  const Result<std::unique_ptr<Nsenter>>& ns = SharedNsenter(backend);
  if (!ns.ok()) {
    state.SkipWithError(("Nsenter::Create failed: " + ns.error().ToString()).c_str());
    return nullptr;
  }
  return ns->get();
}

void StandardSettings(benchmark::internal::Benchmark* benchmark) {
  benchmark->UseRealTime()
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(0.4)
      ->Repetitions(5)
      ->ComputeStatistics("min", Fastest);
}

bool Verify(benchmark::State& state, const Result<std::string>& got, const std::string& want) {
  if (!VerifyOk(state, got)) return false;
  if (*got == want) return true;
  state.SkipWithError(("wrong result " + Quote(*got) + ", expected " + Quote(want)).c_str());
  return false;
}

}  // namespace nsenter::bench
