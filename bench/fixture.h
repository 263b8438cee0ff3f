// Set-up shared by the benchmarks: the paths they resolve (with their known
// answers), Nsenter instances of both backends over this machine's own root
// and mount namespace, the privilege check, and the one-time result checks
// made before anything is timed.
//
// Both backends are configured alike: host root "/", the mount namespace
// file /proc/self/ns/mnt (re-entering one's own mount namespace is allowed
// to root), and this process as the target, so that the native backend
// resolves in /proc/<own pid>/root, the same tree realpath(1) sees through
// nsenter.
//
// Thread-safety: the shared objects are created once, on first use, and are
// immutable afterwards.
#ifndef BENCH_FIXTURE_H_
#define BENCH_FIXTURE_H_

#include <benchmark/benchmark.h>

#include <string>

#include "nsenter/error.h"
#include "nsenter/nsenter.h"

namespace nsenter::bench {

// The paths every resolution benchmark resolves with `realpath -e`
// semantics:
//   kTree:  <tmp>/chain/c/target in a temporary tree, through three symlinks
//           (chain -> <tmp>/rel/up absolute, rel -> dir/a and up -> b
//           relative) to <tmp>/dir/a/b/c/target;
//   kPlain: /usr/bin/mount, a regular file reached without any symlink.
enum class PathCase { kTree, kPlain };

struct ResolveCase {
  std::string path;
  std::string expected;  // What realpath -e prints for `path`.
};

// The case's path and answer; the tree is made on first use and removed at
// exit.
const ResolveCase& GetCase(PathCase which);

// Whether this process may setns(2) into a mount namespace: effective
// CAP_SYS_ADMIN and CAP_SYS_CHROOT. The nsenter backend's commands and the
// native backend's Exec need it; native EvalSymlinks does not.
bool CanSetns();
inline constexpr char kNeedsRoot[] =
    "needs root with CAP_SYS_ADMIN and CAP_SYS_CHROOT (setns into a mount namespace)";

// The options described above, for `backend`; log messages are dropped.
Options OwnHostOptions(Backend backend);

// The Nsenter of `backend`, created on first use and shared by all
// benchmarks and threads; or null, after failing the benchmark with
// SkipWithError, when it could not be created or when `needs_setns` and
// CanSetns() is false.
const Nsenter* SharedNsenterOrSkip(benchmark::State& state, Backend backend, bool needs_setns);

// The settings of every benchmark, for use with Benchmark::Apply: wall-clock
// time (work done by child processes is not this process's CPU time), in
// microseconds; 5 repetitions of at least 0.4 s each (main.cc interleaves the
// repetitions of all benchmarks), summarised by Google Benchmark's mean,
// median, stddev and cv and by "min", the fastest repetition: the wall time
// least disturbed by other load on a shared machine (bench/ratios.py).
void StandardSettings(benchmark::internal::Benchmark* benchmark);

// Before timing: fails the benchmark with SkipWithError unless `got`
// succeeded. Returns whether timing may go on.
template <typename T>
bool VerifyOk(benchmark::State& state, const Result<T>& got) {
  if (got.ok()) return true;
  state.SkipWithError(("unexpected error: " + got.error().ToString()).c_str());
  return false;
}

// The same, and `got` must be `want`.
bool Verify(benchmark::State& state, const Result<std::string>& got, const std::string& want);

}  // namespace nsenter::bench

#endif  // BENCH_FIXTURE_H_
