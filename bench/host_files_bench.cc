// HostFiles::GetFileType through the Nsenter facade, on the same paths as
// EvalSymlinks (fixture.h): natively the in-process resolver and a confined
// fstatat below the resolution root, no process; through nsenter the host's
// realpath and stat, each `nsenter --mount=... -- PROGRAM ...` (four execs).
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/fixture.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {
namespace {

void BM_GetFileType(benchmark::State& state, Backend backend, PathCase which) {
  const Nsenter* shared = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (shared == nullptr) return;
  // The shared Nsenter lives until exit; HostFiles only borrows it.
  const HostFiles files(std::shared_ptr<const Nsenter>(std::shared_ptr<void>(), shared));
  const std::string& path = GetCase(which).path;
  Result<HostFileType> checked = files.GetFileType(path);
  if (!VerifyOk(state, checked)) return;
  if (*checked != HostFileType::kFile) {
    state.SkipWithError("unexpected type: the case's path is a regular file");
    return;
  }
  for (auto _ : state) {
    Result<HostFileType> type = files.GetFileType(path);
    benchmark::DoNotOptimize(type);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_GetFileType, native/tree, Backend::kNative, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_GetFileType, nsenter/tree, Backend::kNsenter, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_GetFileType, native/plain, Backend::kNative, PathCase::kPlain)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_GetFileType, nsenter/plain, Backend::kNsenter, PathCase::kPlain)
    ->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
