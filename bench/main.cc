// The benchmark runner: every benchmark of bench/*_bench.cc, with Google
// Benchmark's command-line flags (e.g. --benchmark_format=json).
//
// Unlike Google Benchmark's own main, the repetitions of all benchmarks are
// interleaved in a random order by default, so that load which comes and
// goes during a run is spread over every benchmark instead of distorting
// whichever one runs at that moment; --benchmark_enable_random_interleaving=false
// on the command line turns this off.
#include <benchmark/benchmark.h>

#include <vector>

int main(int argc, char** argv) {
  char interleave[] = "--benchmark_enable_random_interleaving=true";
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + 1, interleave);  // Before the user's flags, which win.
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
