// The native resolver without the facade and without confinement to a
// host root, against its floor: ResolveRealpath(-e) over a RootFileView of
// "/" — with each of its two lookups, openat2(RESOLVE_IN_ROOT) and the
// openat(O_NOFOLLOW) component walk — and glibc's realpath(3), on the same
// paths (fixture.h).
#include <benchmark/benchmark.h>
#include <limits.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "bench/fixture.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"

namespace nsenter::bench {
namespace {

void BM_Realpath3(benchmark::State& state, PathCase which) {
  const ResolveCase& path = GetCase(which);
  char buffer[PATH_MAX];
  const char* first = ::realpath(path.path.c_str(), buffer);
  if (!Verify(state,
              first != nullptr ? Result<std::string>(first)
                               : Error(ErrorCodeFromErrno(errno), std::strerror(errno)),
              path.expected)) {
    return;
  }
  for (auto _ : state) {
    char* resolved = ::realpath(path.path.c_str(), buffer);
    benchmark::DoNotOptimize(resolved);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Resolver(benchmark::State& state, RootFileView::Lookup lookup, PathCase which) {
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open("/", lookup);
  if (!VerifyOk(state, view)) return;
  if (lookup == RootFileView::Lookup::kAuto && !(*view)->uses_openat2()) {
    state.SkipWithError("openat2 is not available here (the component walk is measured apart)");
    return;
  }
  const ResolveCase& path = GetCase(which);
  if (!Verify(state, ResolveRealpath(**view, path.path, RealpathMode::kMustExist),
              path.expected)) {
    return;
  }
  for (auto _ : state) {
    Result<std::string> resolved = ResolveRealpath(**view, path.path, RealpathMode::kMustExist);
    benchmark::DoNotOptimize(resolved);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Realpath3, tree, PathCase::kTree)->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Resolver, openat2/tree, RootFileView::Lookup::kAuto, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Resolver, walk/tree, RootFileView::Lookup::kComponentWalk, PathCase::kTree)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Realpath3, plain, PathCase::kPlain)->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Resolver, openat2/plain, RootFileView::Lookup::kAuto, PathCase::kPlain)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Resolver, walk/plain, RootFileView::Lookup::kComponentWalk, PathCase::kPlain)
    ->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
