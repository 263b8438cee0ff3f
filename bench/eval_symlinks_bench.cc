// EvalSymlinks through the Nsenter facade, on the same paths (fixture.h):
//   - the native backend (the in-process resolver over the confined
//     RootFileView) against the nsenter backend (`nsenter --mount=... --
//     realpath -e -- PATH`, two execs per call);
//   - the native backend's throughput (items_per_second) from 1, 2 and 8
//     threads sharing one Nsenter.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/fixture.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {
namespace {

void BM_EvalSymlinks(benchmark::State& state, Backend backend, PathCase which) {
  // realpath(1) through nsenter needs setns; the native resolver does not.
  const Nsenter* ns = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (ns == nullptr) return;
  const ResolveCase& path = GetCase(which);
  if (!Verify(state, ns->EvalSymlinks(path.path, /*must_exist=*/true), path.expected)) return;
  for (auto _ : state) {
    Result<std::string> resolved = ns->EvalSymlinks(path.path, /*must_exist=*/true);
    benchmark::DoNotOptimize(resolved);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_EvalSymlinks, native/tree, Backend::kNative, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_EvalSymlinks, nsenter/tree, Backend::kNsenter, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_EvalSymlinks, native/plain, Backend::kNative, PathCase::kPlain)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_EvalSymlinks, nsenter/plain, Backend::kNsenter, PathCase::kPlain)
    ->Apply(StandardSettings);

// One Nsenter shared by all threads; real time per item is wall time divided
// by the items of all threads.
BENCHMARK_CAPTURE(BM_EvalSymlinks, native/tree/shared, Backend::kNative, PathCase::kTree)
    ->Apply(StandardSettings)
    ->Threads(1)
    ->Threads(2)
    ->Threads(8);

}  // namespace
}  // namespace nsenter::bench
