// Exec("/bin/true")->Run(), wall time per command from start to reaping:
// the native backend (a CLONE_VM|CLONE_VFORK child that setns(2)s and
// execs /bin/true), the nsenter backend (exec of nsenter(1), which setns(2)s
// and execs /bin/true) and, as the floor, ProcessExecutor (a bare
// posix_spawn of /bin/true, with the same pipes, pidfd and reaping).
#include <benchmark/benchmark.h>

#include "bench/fixture.h"
#include "nsenter/exec.h"
#include "nsenter/nsenter.h"
#include "nsenter/process_executor.h"

namespace nsenter::bench {
namespace {

void RunTrue(benchmark::State& state, const Executor& executor) {
  if (!VerifyOk(state, executor.Command("/bin/true", {})->Run())) return;
  for (auto _ : state) {
    Status status = executor.Command("/bin/true", {})->Run();
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Exec(benchmark::State& state, Backend backend) {
  const Nsenter* ns = SharedNsenterOrSkip(state, backend, /*needs_setns=*/true);
  if (ns == nullptr) return;
  RunTrue(state, *ns);
}

void BM_ExecPosixSpawn(benchmark::State& state) { RunTrue(state, ProcessExecutor()); }

BENCHMARK_CAPTURE(BM_Exec, native, Backend::kNative)->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Exec, nsenter, Backend::kNsenter)->Apply(StandardSettings);
BENCHMARK(BM_ExecPosixSpawn)->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
