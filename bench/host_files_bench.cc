// HostFiles::GetFileType and HostMounter::IsLikelyNotMountPoint through the
// Nsenter facade, on the same paths as EvalSymlinks (fixture.h): natively the
// in-process resolver and a confined fstatat (statx) below the resolution
// root, no process; through nsenter the host's realpath and then stat
// (findmnt), each `nsenter --mount=... -- PROGRAM ...` (four execs).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/fixture.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {
namespace {

void BM_GetFileType(benchmark::State& state, Backend backend, PathCase which) {
  const Nsenter* shared = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (shared == nullptr) return;
  const HostFiles files(*shared);
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

void BM_IsLikelyNotMountPoint(benchmark::State& state, Backend backend, PathCase which) {
  const Nsenter* shared = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (shared == nullptr) return;
  const HostMounter mounter(*shared);
  const std::string& path = GetCase(which).path;
  Result<bool> checked = mounter.IsLikelyNotMountPoint(path);
  if (!VerifyOk(state, checked)) return;
  if (!*checked) {
    state.SkipWithError("unexpected answer: the case's path is a file, not a mount point");
    return;
  }
  for (auto _ : state) {
    Result<bool> likely_not = mounter.IsLikelyNotMountPoint(path);
    benchmark::DoNotOptimize(likely_not);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_IsLikelyNotMountPoint, native/tree, Backend::kNative, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_IsLikelyNotMountPoint, nsenter/tree, Backend::kNsenter, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_IsLikelyNotMountPoint, native/plain, Backend::kNative, PathCase::kPlain)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_IsLikelyNotMountPoint, nsenter/plain, Backend::kNsenter, PathCase::kPlain)
    ->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
