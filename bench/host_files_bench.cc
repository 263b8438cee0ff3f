// HostFiles::GetFileType and HostMounter::IsLikelyNotMountPoint through the
// Nsenter facade, on the same paths as EvalSymlinks (fixture.h): natively the
// in-process resolver and a confined fstatat (statx) below the resolution
// root, no process; through nsenter the host's realpath and then stat
// (findmnt), each `nsenter --mount=... -- PROGRAM ...` (four execs).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/fixture.h"
#include "nsenter/error.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {
namespace {

// Times `call`, once its first answer proved to be `expected` (else the
// benchmark fails with `unexpected`, untimed).
template <typename T, typename Call>
void TimeVerified(benchmark::State& state, const Call& call, const T& expected,
                  const char* unexpected) {
  Result<T> checked = call();
  if (!VerifyOk(state, checked)) return;
  if (*checked != expected) {
    state.SkipWithError(unexpected);
    return;
  }
  for (auto _ : state) {
    Result<T> answer = call();
    benchmark::DoNotOptimize(answer);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_GetFileType(benchmark::State& state, Backend backend, PathCase which) {
  const Nsenter* ns = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (ns == nullptr) return;
  const HostFiles files(*ns);
  const std::string& path = GetCase(which).path;
  TimeVerified(
      state, [&] { return files.GetFileType(path); }, HostFileType::kFile,
      "unexpected type: the case's path is a regular file");
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
  const Nsenter* ns = SharedNsenterOrSkip(state, backend, backend == Backend::kNsenter);
  if (ns == nullptr) return;
  const HostMounter mounter(*ns);
  const std::string& path = GetCase(which).path;
  TimeVerified(
      state, [&] { return mounter.IsLikelyNotMountPoint(path); }, true,
      "unexpected answer: the case's path is a file, not a mount point");
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
