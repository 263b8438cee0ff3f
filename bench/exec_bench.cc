// Exec("/bin/true")->Run(), wall time per command from start to reaping:
// the native backend (a CLONE_VM|CLONE_VFORK child that setns(2)s and
// execs /bin/true), the nsenter backend (exec of nsenter(1), which setns(2)s
// and execs /bin/true) and, as the floor, ProcessExecutor (a bare
// posix_spawn of /bin/true, with the same pipes, pidfd and reaping).
// BM_ExecWhileForking/native and BM_ExecPosixSpawnWhileForking are the
// native backend and the floor while another thread forks a child every
// millisecond, each of which lives 100 ms: a start must not wait for any of
// them.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

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

// A thread that forks a child every millisecond, each of which sleeps 100 ms
// and exits; it reaps its own children by pid (never waitpid(-1), which
// could take a command's child) and, when destroyed, waits for the last ones.
class ConcurrentForker {
 public:
  ConcurrentForker()
      : thread_([this] {
          constexpr timespec kChildLife = {0, 100'000'000};
          std::deque<pid_t> children;
          while (!stop_) {
            const pid_t pid = fork();
            if (pid == 0) {
              nanosleep(&kChildLife, nullptr);
              _exit(0);
            }
            if (pid > 0) children.push_back(pid);
            while (!children.empty() && waitpid(children.front(), nullptr, WNOHANG) != 0) {
              children.pop_front();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
          for (const pid_t pid : children) waitpid(pid, nullptr, 0);
        }) {}
  ~ConcurrentForker() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void BM_ExecWhileForking(benchmark::State& state, Backend backend) {
  const Nsenter* ns = SharedNsenterOrSkip(state, backend, /*needs_setns=*/true);
  if (ns == nullptr) return;
  ConcurrentForker forker;
  RunTrue(state, *ns);
}

void BM_ExecPosixSpawn(benchmark::State& state) { RunTrue(state, ProcessExecutor()); }

void BM_ExecPosixSpawnWhileForking(benchmark::State& state) {
  ConcurrentForker forker;
  RunTrue(state, ProcessExecutor());
}

BENCHMARK_CAPTURE(BM_Exec, native, Backend::kNative)->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_ExecWhileForking, native, Backend::kNative)
    ->Apply(StandardSettings);
BENCHMARK_CAPTURE(BM_Exec, nsenter, Backend::kNsenter)->Apply(StandardSettings);
BENCHMARK(BM_ExecPosixSpawn)->Apply(StandardSettings);
BENCHMARK(BM_ExecPosixSpawnWhileForking)->Apply(StandardSettings);

}  // namespace
}  // namespace nsenter::bench
