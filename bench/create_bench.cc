// Nsenter::Create for each backend over this machine's own root
// (fixture.h): option checks and discovery of the host binaries (about 40
// lookups through a RootFileView); natively also opening and checking the
// mount namespace file and opening the resolution root. No process runs.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/fixture.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {
namespace {

void BM_Create(benchmark::State& state, Backend backend) {
  const Options options = OwnHostOptions(backend);
  Result<std::unique_ptr<Nsenter>> first = Nsenter::Create(options);
  if (!VerifyOk(state, first)) return;
  if ((*first)->backend() != backend) {
    state.SkipWithError("Nsenter::Create made the other backend");
    return;
  }
  for (auto _ : state) {
    Result<std::unique_ptr<Nsenter>> ns = Nsenter::Create(options);
    benchmark::DoNotOptimize(ns);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Create, native, Backend::kNative)->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Create, nsenter, Backend::kNsenter)->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
