// The resolver on many paths, and on the graphs where GNU realpath explodes:
//   BM_Realpath3Corpus / BM_ResolverCorpus: a generated tree (depths 1 to 30,
//     absolute and relative links, ".." after links, long names) and 1,200
//     paths on it, 1 in 6 with a missing tail. glibc realpath(3) runs
//     chrooted into the tree, so both see the same "/"; the resolver runs
//     over a RootFileView of the tree, -e (realpath(3)'s mode) where the path
//     exists and -m on missing tails (realpath(3) fails there). One iteration
//     resolves every path; the time per path is the mean over the corpus.
//   BM_Chain/N: e_i -> e_{i-1}/../e_{i-1} up to depth N, -e of e_N (2^N
//     expansions for GNU realpath; memoized here).
//   BM_Growth: g -> g/x, -e, which ends with kLoop at the work bound.
//   BM_HopTree: 1,030 links, each "a/../" x 817 and then the next link, 1,000
//     directories deep: the worst case of the bound on lookups (kLoop).
//   BM_OpenExpansions: 240 links A0000 -> A0001/. -> ... whose expansions stay
//     open, in a directory 2,000 levels deep, then 7 levels of links each
//     naming the level below 682 times (memoized expansions reused while
//     every A link is open): kLoop at the bound on lookups.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/fixture.h"
#include "fakehost/temp_dir.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "nsenter/unique_fd.h"

namespace nsenter::bench {
namespace {

struct Corpus {
  fakehost::TempDir tree;
  std::vector<std::string> paths;
  std::vector<bool> missing_tail;  // Resolved with -m.
};

// A name of 1 to 12 bytes, or 1 in 10 of 100 to 200.
std::string RandomName(std::mt19937& rng, const char* prefix) {
  const size_t length = rng() % 10 == 0 ? 100 + rng() % 101 : 1 + rng() % 12;
  std::string name = prefix;
  while (name.size() < length) name += static_cast<char>('a' + rng() % 26);
  return name;
}

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* made = new Corpus;
    std::mt19937 rng(20261203);
    // 40 directory chains of depth 1..30; dirs[c][j] is level j of chain c
    // ("/t" + ...), level 0 being the chain's top.
    std::vector<std::vector<std::string>> dirs;
    for (int c = 0; c < 40; ++c) {
      std::vector<std::string> chain = {"/t/c" + std::to_string(c)};
      for (int j = 1; j < 1 + c % 30; ++j) chain.push_back(chain.back() + "/" + RandomName(rng, "d"));
      made->tree.MakeDir(chain.back().substr(1));
      made->tree.WriteFile(chain.back().substr(1) + "/file");
      dirs.push_back(std::move(chain));
    }
    // In every chain, at a random level: an absolute link to a level of
    // another chain, and a relative one climbing to a level above.
    std::vector<std::string> links;
    for (int c = 0; c < 40; ++c) {
      const std::string& at = dirs[c][rng() % dirs[c].size()];
      const auto& other = dirs[rng() % dirs.size()];
      const std::string& to = other[rng() % other.size()];
      links.push_back(at + "/abs");
      made->tree.Symlink(at.substr(1) + "/abs", to);
      const size_t level = static_cast<size_t>(std::count(at.begin(), at.end(), '/')) - 2;
      const size_t up = 1 + rng() % (level + 1);
      std::string target;
      for (size_t i = 0; i < up; ++i) target += "../";
      const std::string& climbed = dirs[c][level + 1 - up];
      links.push_back(at + "/rel");
      made->tree.Symlink(at.substr(1) + "/rel", target + climbed.substr(climbed.rfind('/') + 1));
    }
    for (int i = 0; i < 1200; ++i) {
      std::string path;
      switch (rng() % 4) {
        case 0: {  // A plain directory or its file.
          const auto& chain = dirs[rng() % dirs.size()];
          path = chain[rng() % chain.size()];
          if (rng() % 2 == 0) path = chain.back() + "/file";
          break;
        }
        case 1:  // Through a link, then into its target.
        case 2: {
          path = links[rng() % links.size()];
          if (rng() % 2 == 0) path += "/..";  // ".." after a link.
          break;
        }
        default: {  // A link, "." and enough ".." to reach "/", another link.
          path = links[rng() % links.size()] + "/.";
          for (int up = 0; up < 32; ++up) path += "/..";
          path += links[rng() % links.size()];
        }
      }
      const bool missing = rng() % 6 == 0;
      if (missing) path += "/" + RandomName(rng, "missing") + "/tail";
      made->paths.push_back(path);
      made->missing_tail.push_back(missing);
    }
    return made;
  }();
  return *corpus;
}

RealpathMode ModeOf(const Corpus& corpus, size_t i) {
  return corpus.missing_tail[i] ? RealpathMode::kAllowMissing : RealpathMode::kMustExist;
}

// This thread's file system root and working directory are the corpus tree
// while it lives (unshare(CLONE_FS) keeps the change to this thread), and
// this process's again after.
class ChrootedThread {
 public:
  explicit ChrootedThread(const std::string& root)
      : saved_root_(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)),
        saved_cwd_(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) {
    ok_ = saved_root_.valid() && saved_cwd_.valid() && ::unshare(CLONE_FS) == 0 &&
          ::chroot(root.c_str()) == 0 && ::chdir("/") == 0;
    if (!ok_) error_ = std::strerror(errno);
  }
  // Back to the saved root and directory; a failure would leave this thread
  // in the tree, which no later benchmark could run in, so it aborts.
  ~ChrootedThread() {
    if (ok_ && (::fchdir(saved_root_.get()) != 0 || ::chroot(".") != 0 ||
                ::fchdir(saved_cwd_.get()) != 0)) {
      std::abort();
    }
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }

 private:
  UniqueFd saved_root_;
  UniqueFd saved_cwd_;
  bool ok_ = false;
  std::string error_;
};

void BM_Realpath3Corpus(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(corpus.tree.path());
  if (!VerifyOk(state, view)) return;
  const ChrootedThread chrooted(corpus.tree.path());
  if (!chrooted.ok()) {
    state.SkipWithError(("cannot chroot into the corpus tree: " + chrooted.error()).c_str());
    return;
  }
  // Before timing: realpath(3) and the resolver agree on every existing path.
  char buffer[PATH_MAX];
  for (size_t i = 0; i < corpus.paths.size(); ++i) {
    if (corpus.missing_tail[i]) continue;
    const char* real = ::realpath(corpus.paths[i].c_str(), buffer);
    const Result<std::string> ours = ResolveRealpath(**view, corpus.paths[i], ModeOf(corpus, i));
    if (real == nullptr || !ours.ok() || *ours != real) {
      state.SkipWithError(("realpath(3) and the resolver differ on " + Quote(corpus.paths[i]))
                              .c_str());
      return;
    }
  }
  for (auto _ : state) {
    for (const std::string& path : corpus.paths) {
      char* resolved = ::realpath(path.c_str(), buffer);
      benchmark::DoNotOptimize(resolved);
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * corpus.paths.size());
}

void BM_ResolverCorpus(benchmark::State& state) {
  const Corpus& corpus = GetCorpus();
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(corpus.tree.path());
  if (!VerifyOk(state, view)) return;
  for (auto _ : state) {
    for (size_t i = 0; i < corpus.paths.size(); ++i) {
      Result<std::string> resolved = ResolveRealpath(**view, corpus.paths[i], ModeOf(corpus, i));
      benchmark::DoNotOptimize(resolved);
    }
  }
  state.SetItemsProcessed(state.iterations() * corpus.paths.size());
}

// Times -e of `path` over a view of `tree`, whose answer must be `expected`
// (an error code for a failure).
void TimeResolution(benchmark::State& state, const fakehost::TempDir& tree,
                    const std::string& path, const Result<std::string>& expected) {
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(tree.path());
  if (!VerifyOk(state, view)) return;
  const Result<std::string> first = ResolveRealpath(**view, path, RealpathMode::kMustExist);
  if (first.ok() != expected.ok() || (first.ok() && *first != *expected) ||
      (!first.ok() && first.error().code() != expected.error().code())) {
    state.SkipWithError(("unexpected answer for " + Quote(path)).c_str());
    return;
  }
  for (auto _ : state) {
    Result<std::string> resolved = ResolveRealpath(**view, path, RealpathMode::kMustExist);
    benchmark::DoNotOptimize(resolved);
  }
}

void BM_Chain(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  fakehost::TempDir tree;
  tree.MakeDir("e0");
  for (int i = 1; i <= depth; ++i) {
    const std::string previous = "e" + std::to_string(i - 1);
    tree.Symlink("e" + std::to_string(i), previous + "/../" + previous);
  }
  TimeResolution(state, tree, "/e" + std::to_string(depth), std::string("/e0"));
}

void BM_Growth(benchmark::State& state) {
  fakehost::TempDir tree;
  tree.Symlink("g", "g/x");
  TimeResolution(state, tree, "/g", Error(ErrorCode::kLoop, ""));
}

void BM_HopTree(benchmark::State& state) {
  fakehost::TempDir tree;
  // Made one level at a time: the deepest paths are too long for a single
  // mkdir -p.
  UniqueFd dir(::open(tree.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  std::string deep;
  for (int i = 0; i < 1000 && dir.valid(); ++i) {
    deep += "d/";
    if (::mkdirat(dir.get(), "d", 0755) != 0) break;
    dir = UniqueFd(::openat(dir.get(), "d", O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  std::string hops;
  for (int i = 0; i < 817; ++i) hops += "a/../";
  bool made = dir.valid() && ::mkdirat(dir.get(), "a", 0755) == 0 &&
              ::mkdirat(dir.get(), "l1030", 0755) == 0;
  for (int i = 0; i < 1030 && made; ++i) {
    const std::string target = hops + "l" + std::to_string(i + 1);
    made = ::symlinkat(target.c_str(), dir.get(), ("l" + std::to_string(i)).c_str()) == 0;
  }
  if (!made) {
    state.SkipWithError((std::string("cannot make the hop tree: ") + std::strerror(errno)).c_str());
    return;
  }
  TimeResolution(state, tree, "/" + deep + "l0", Error(ErrorCode::kLoop, ""));
}

// `letter` and `i` as a name of five bytes, "A0042".
std::string LinkName(char letter, int i) {
  std::string digits = std::to_string(i);
  return letter + std::string(4 - digits.size(), '0') + digits;
}

void BM_OpenExpansions(benchmark::State& state) {
  fakehost::TempDir tree;
  UniqueFd dir(::open(tree.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  std::string deep;
  for (int i = 0; i < 2000 && dir.valid(); ++i) {
    deep += "d/";
    if (::mkdirat(dir.get(), "d", 0755) != 0) break;
    dir = UniqueFd(::openat(dir.get(), "d", O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  constexpr int kOpens = 240, kLevels = 7;
  bool made = dir.valid();
  const auto link = [&](const std::string& name, const std::string& target) {
    made = made && ::symlinkat(target.c_str(), dir.get(), name.c_str()) == 0;
  };
  for (int i = 0; i + 1 < kOpens; ++i) link(LinkName('A', i), LinkName('A', i + 1) + "/.");
  link(LinkName('A', kOpens - 1), LinkName('L', kLevels - 1));
  for (int k = 0; k < kLevels; ++k) {
    const std::string inner = k == 0 ? LinkName('X', 0) : LinkName('L', k - 1);
    std::string target = inner;
    while (target.size() + 1 + inner.size() < 4096) target += "/" + inner;
    link(LinkName('L', k), target);
  }
  link(LinkName('X', 0), ".");
  if (!made) {
    state.SkipWithError((std::string("cannot make the tree: ") + std::strerror(errno)).c_str());
    return;
  }
  TimeResolution(state, tree, "/" + deep + LinkName('A', 0), Error(ErrorCode::kLoop, ""));
}

// CPU time: no child process runs.
void CpuSettings(benchmark::internal::Benchmark* benchmark) {
  StandardSettings(benchmark);
  benchmark->MeasureProcessCPUTime();
}

BENCHMARK(BM_Realpath3Corpus)->Apply(CpuSettings);
BENCHMARK(BM_ResolverCorpus)->Apply(CpuSettings);
BENCHMARK(BM_Chain)->Arg(10)->Arg(20)->Arg(30)->Apply(CpuSettings);
BENCHMARK(BM_Growth)->Apply(CpuSettings);
BENCHMARK(BM_HopTree)->Apply(CpuSettings);
BENCHMARK(BM_OpenExpansions)->Apply(CpuSettings);

}  // namespace
}  // namespace nsenter::bench
