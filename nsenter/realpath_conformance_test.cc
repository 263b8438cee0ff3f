// ResolveRealpath over a RootFileView (the native backend's view), compared
// with the real GNU realpath.
//
// A deterministic corpus (fixed seed) describes a tree — the layout of the
// design's experiments (hostile-inputs.md section 4) plus a random part with
// awkward names and link targets — and queries on it. The tree is written to
// a temporary directory, and /usr/bin/realpath, copied into the tree with the
// shared libraries the dynamic loader reports for it, runs there under
// chroot(8) with LC_ALL=C, so that the tree is its "/". For every query and
// both -e and -m, the printed path (or the error realpath reports) must be
// what the resolver answers.
//
// Needs CAP_SYS_CHROOT (skipped otherwise) and GNU coreutils >= 9.0.
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakehost/temp_dir.h"
#include "nsenter/error.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"
#include "nsenter/root_file_view.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

constexpr char kRealpath[] = "/usr/bin/realpath";
constexpr char kChroot[] = "/usr/sbin/chroot";
// Where the copy of realpath lives inside the tree; no query or link names it.
constexpr char kToolDir[] = "/__realpath_tool";
constexpr uint32_t kSeed = 20240611;
// Bytes of operands per realpath run, well below the kernel's argv limit.
constexpr size_t kBatchBytes = 256 * 1024;
// Names with blanks, a leading '-', a newline and bytes that are not UTF-8.
constexpr std::string_view kNames[] = {"a",   "b",      "dir",      "x y",     "-n",
                                       "sp ", "new\nl", "\xff\xfe", "caf\xe9", "..."};
// Path components that are not plain names, and a name that never exists.
constexpr std::string_view kSpecial[] = {"..", ".", "", "nope"};

// ---------------------------------------------------------------- The corpus.

enum class Kind { kDir, kFile, kLink };

struct Entry {
  std::string path;
  Kind kind;
  std::string target;
};

std::string Parent(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string Join(const std::vector<std::string>& components) {
  std::string joined;
  for (size_t i = 0; i < components.size(); ++i) joined += (i == 0 ? "" : "/") + components[i];
  return joined;
}

class Corpus {
 public:
  Corpus() : rng_(kSeed) {
    AddFixedLayout();
    AddRandomTree();
    AddChainFamilies();
    AddQueries();
  }

  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<std::string>& queries() const { return queries_; }

 private:
  size_t Pick(size_t n) { return rng_() % n; }
  std::string PickName() { return std::string(kNames[Pick(std::size(kNames))]); }

  void Add(const std::string& path, Kind kind, const std::string& target = "") {
    if (!known_.insert(path).second) return;
    const std::string parent = Parent(path);
    if (known_.count(parent) == 0 && parent != "/") Add(parent, Kind::kDir);
    // Parents first: Add(parent) above appended it before this entry.
    entries_.push_back({path, kind, target});
    if (kind == Kind::kDir && (path == "/r" || path.rfind("/r/", 0) == 0)) {
      random_dirs_.push_back(path);
    }
  }

  void Query(const std::string& path) {
    if (query_set_.insert(path).second) queries_.push_back(path);
  }

  // hostile-inputs.md section 4 in /w, with /etc/passwd, plus the E6 trees.
  // `runaway` grows the path by a "/" per step: realpath never finishes on it
  // and its queries are skipped (the resolver's work bound).
  void AddFixedLayout() {
    Add("/etc/passwd", Kind::kFile);
    Add("/w/f", Kind::kFile);
    Add("/w/d/sub", Kind::kDir);
    for (const auto& [name, target] : std::vector<std::pair<std::string, std::string>>{
             {"link", "link"}, {"a", "b"}, {"b", "a"}, {"abs", "/etc"}, {"rel", "d"},
             {"dang", "nonexist"}, {"up", "../../../../../../../../etc"}, {"lf", "f"},
             {"dslash", "d/"}, {"dd", "d//sub/"}, {"viaself", "link"}, {"q1", "q2"},
             {"q2", "q3"}, {"q3", "q1"}, {"lnkE", "/etc"}, {"runaway", "./runaway/"},
             {"dotdot", ".."}, {"root", "/"}, {"slashes", "//w//d//"}}) {
      Add("/w/" + name, Kind::kLink, target);
    }
    Add("/w/sp ", Kind::kFile);
    Add("/w/new\nline", Kind::kFile);
    Add("/w/-x", Kind::kDir);
    Add("/w/\xff\xfe dir/caf\xe9", Kind::kLink, "../d");
    Add("/w/chain/target", Kind::kDir);
    Add("/w/chain/l1", Kind::kLink, "target");
    for (int i = 2; i <= 60; ++i) {
      Add("/w/chain/l" + std::to_string(i), Kind::kLink, "l" + std::to_string(i - 1));
    }
    AddChain("/w/exp", Kind::kDir, 8, "");
    // E6: 25 nested 200-byte directories, links below and beyond PATH_MAX.
    std::string deep = "/deep";
    for (int i = 0; i < 25; ++i) {
      deep += "/" + std::string(200, 'd');
      if (i == 4 || i == 24) Add(deep + "/lnk", Kind::kLink, "/etc");
    }
    Add(deep + "/leaf", Kind::kFile);
    // Directories whose paths are 4093, 4094 and 4095 bytes long.
    std::string edge = "/edge";
    while (edge.size() < 4093 - 201) edge += "/" + std::string(200, 'e');
    for (size_t length : {4093, 4094, 4095}) {
      Add(edge + "/" + std::string(length - edge.size() - 1, static_cast<char>('a' + length % 3)),
          Kind::kDir);
    }
  }

  // Chain families: e_i -> e_{i-1}/../e_{i-1} takes realpath 2^i
  // expansions (the resolver memoizes them); depths up to 11 keep realpath
  // fast. e_0 is a directory, a file, missing, or a link into the q1 loop;
  // the links are relative, or absolute. (Added after the random tree, whose
  // link targets pick among the entries made before it.)
  void AddChainFamilies() {
    AddChain("/w/exp11", Kind::kDir, 11, "");
    AddChain("/w/expf", Kind::kFile, 10, "");
    AddChain("/w/expn", std::nullopt, 10, "");
    AddChain("/w/expabs", Kind::kDir, 10, "/w/expabs/");
    AddChain("/w/expq", Kind::kLink, 6, "");
  }

  // Links `dir`/e1 .. e`depth`, each e_i -> `prefix`e_{i-1}/../`prefix`e_{i-1},
  // over e_0 of `base` kind (none: missing; a link: into the q1 loop).
  void AddChain(const std::string& dir, std::optional<Kind> base, int depth,
                const std::string& prefix) {
    if (base) Add(dir + "/e0", *base, *base == Kind::kLink ? "/w/q1" : "");
    for (int i = 1; i <= depth; ++i) {
      const std::string previous = prefix + "e" + std::to_string(i - 1);
      Add(dir + "/e" + std::to_string(i), Kind::kLink, previous + "/../" + previous);
    }
  }

  // A link target: a path to a random entry (absolute or climbing from `dir`)
  // or random components, sometimes with a trailing "/" or "/.".
  std::string RandomTarget(const std::string& dir) {
    std::string target;
    switch (Pick(4)) {
      case 0: target = entries_[Pick(entries_.size())].path; break;
      case 1: {
        const std::string& to = entries_[Pick(entries_.size())].path;
        for (size_t i = 0, depth = std::count(dir.begin(), dir.end(), '/'); i < depth; ++i) {
          target += "../";
        }
        target += to.substr(1);
        break;
      }
      default: target = Join(RandomComponents(1 + Pick(3)));
    }
    if (target.empty()) target = ".";  // Linux has no empty symlinks.
    switch (Pick(8)) {
      case 0: return target + "/";
      case 1: return target + "/.";
      default: return target;
    }
  }

  std::vector<std::string> RandomComponents(size_t count) {
    std::vector<std::string> components;
    for (size_t i = 0; i < count; ++i) {
      components.push_back(Pick(3) == 0 ? std::string(kSpecial[Pick(std::size(kSpecial))])
                                        : PickName());
    }
    return components;
  }

  // Up to 90 random entries under /r (a name may come up twice): directories,
  // files and links.
  void AddRandomTree() {
    Add("/r", Kind::kDir);
    for (int i = 0; i < 90; ++i) {
      const std::string dir = random_dirs_[Pick(random_dirs_.size())];
      const std::string path = dir + "/" + PickName();
      const size_t kind = Pick(10);
      if (kind < 4) {
        Add(path, Kind::kDir);
      } else if (kind < 6) {
        Add(path, Kind::kFile);
      } else {
        Add(path, Kind::kLink, RandomTarget(dir));
      }
    }
  }

  void AddQueries() {
    // hostile-inputs.md E1, E2, E6, E16 and the limits around them.
    for (const char* path :
         {"//", "//etc", "///etc//", "//x", "/..", "/../..//etc", "/w/up/../../x",
          "/w/abs/passwd", "/w/link/foo", "/w/link/../y", "/w/a/x/../y", "/w/viaself/z",
          "/w/nope/../x", "/w/nope/x/../../y", "/w/dang/x/..", "/w/dslash/sub", "/w/q1/x",
          "/w/q2/x", "/w/q3/x", "/w/lf/.", "/w/f/./x", "/w/f/.x", "/w/exp/e8/x", "/w/exp11/e11/../e3/x",
          "/w/expn/e10/../e10/y", "/w/expabs/e10/x/.."}) {
      Query(path);
    }
    for (const std::string& name : {std::string(255, 'z'), std::string(256, 'z')}) {
      for (const char* dir : {"/w/", "/w/f/", "/w/link/", "/w/nope/", "/w/abs/"}) {
        Query(dir + name);
        Query(dir + name + "/../passwd");
      }
    }
    Query("/w/lnkE/" + std::string(300, 'y') + "/../passwd");
    // Every entry, and what may follow it.
    for (const Entry& entry : entries_) {
      for (const char* suffix : {"", "/", "/.", "/..", "/x", "/./", "//..//"}) {
        Query(entry.path + suffix);
      }
      Query(entry.path + "/../" + PickName());
    }
    // Random walks from / and from the roots of the two trees.
    for (int i = 0; i < 300; ++i) {
      static const std::vector<std::string> kStarts = {"", "/w", "/r", "/w/chain"};
      Query(kStarts[Pick(kStarts.size())] + "/" + Join(RandomComponents(1 + Pick(6))));
    }
  }

  std::mt19937 rng_;
  std::vector<Entry> entries_;
  std::vector<std::string> random_dirs_;  // Directories under /r.
  std::set<std::string> known_;
  std::vector<std::string> queries_;
  std::set<std::string> query_set_;
};

// ------------------------------------------------------------ The real tree.

Status CallFailed(const std::string& what) {
  return Error(ErrorCodeFromErrno(errno), what + ": " + std::strerror(errno));
}

// Writes the entries below the directory `root_fd`. Paths may be longer than
// PATH_MAX, so every step is relative to a directory descriptor.
Status Materialize(int root_fd, const std::vector<Entry>& entries) {
  for (const Entry& entry : entries) {
    UniqueFd dir(::openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    const std::string parent = Parent(entry.path);
    for (size_t start = 1; start < parent.size();) {
      const size_t end = std::min(parent.find('/', start), parent.size());
      const std::string name = parent.substr(start, end - start);
      dir = UniqueFd(::openat(dir.get(), name.c_str(),
                              O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!dir.valid()) return CallFailed("open " + Quote(parent));
      start = end + 1;
    }
    const std::string name = entry.path.substr(entry.path.rfind('/') + 1);
    int result = 0;
    switch (entry.kind) {
      case Kind::kDir: result = ::mkdirat(dir.get(), name.c_str(), 0755); break;
      case Kind::kLink: result = ::symlinkat(entry.target.c_str(), dir.get(), name.c_str()); break;
      case Kind::kFile: {
        UniqueFd file(::openat(dir.get(), name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
                               0644));
        result = file.valid() ? 0 : -1;
        break;
      }
    }
    if (result != 0) return CallFailed("create " + Quote(entry.path));
  }
  return {};
}

// Copies realpath, the dynamic loader and the libraries the loader reports
// for realpath (LD_TRACE_LOADED_OBJECTS, what ldd(1) shows) into
// <root><kToolDir>: "realpath", "ld.so" and "lib/<soname>".
Status InstallRealpath(const std::string& root) {
  std::unique_ptr<Cmd> trace = ProcessExecutor().Command(kRealpath, {});
  trace->SetEnv({"LD_TRACE_LOADED_OBJECTS=1"});
  Result<std::string> listing = trace->Output();
  if (!listing.ok()) return listing.error();

  const std::filesystem::path tool = root + kToolDir;
  std::filesystem::create_directories(tool / "lib");
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> copies = {
      {kRealpath, tool / "realpath"}};
  bool found_loader = false;
  std::istringstream lines(*listing);
  for (std::string line; std::getline(lines, line);) {
    line.erase(0, line.find_first_not_of(" \t"));
    const std::string file = line.substr(0, line.find(" ("));
    if (const size_t arrow = file.find(" => "); arrow != std::string::npos) {
      copies.emplace_back(file.substr(arrow + 4), tool / "lib" / file.substr(0, arrow));
    } else if (!file.empty() && file.front() == '/') {
      copies.emplace_back(file, tool / "ld.so");
      found_loader = true;
    }
  }
  if (!found_loader) {
    return Error(ErrorCode::kInternal, "no dynamic loader in the listing " + Quote(*listing));
  }
  for (const auto& [from, to] : copies) {
    std::error_code error;
    std::filesystem::copy_file(from, to, error);
    if (!error) std::filesystem::permissions(to, std::filesystem::perms(0755), error);
    if (error) return Error(ErrorCode::kInternal, "copy " + from.string() + ": " + error.message());
  }
  return {};
}

// ---------------------------------------------------------------- Answers.

// What one realpath run says about one query: the path printed, or the
// strerror text it reported (its exit status is then 1).
struct Answer {
  bool ok;
  std::string text;
  bool operator==(const Answer&) const = default;
};

std::string Describe(const Answer& answer) {
  return answer.ok ? "prints " + Quote(answer.text) : "fails: " + answer.text;
}

// The resolver's answer in realpath's words: errors as strerror(3) texts in
// the C locale, as realpath prints them with LC_ALL=C.
Answer ToAnswer(const Result<std::string>& resolved) {
  if (resolved.ok()) return {true, *resolved};
  static const std::map<ErrorCode, int> kErrno = {
      {ErrorCode::kNotFound, ENOENT},          {ErrorCode::kNotADirectory, ENOTDIR},
      {ErrorCode::kLoop, ELOOP},               {ErrorCode::kPermissionDenied, EACCES},
      {ErrorCode::kNameTooLong, ENAMETOOLONG},
  };
  const auto errno_value = kErrno.find(resolved.error().code());
  return {false, errno_value == kErrno.end()
                     ? resolved.error().ToString()
                     : std::string(std::strerror(errno_value->second))};
}

bool HitsWorkBound(const Result<std::string>& resolved) {
  return !resolved.ok() && resolved.error().message().find("work bound") != std::string::npos;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1) {
    parts.push_back(text.substr(start, end - start));
  }
  return parts;
}

// Runs the real realpath chrooted into `root` on `queries` with `flag`, one
// process per batch. Each query is followed by kToolDir, which always
// resolves to itself: a query that printed nothing failed, and its error is
// the next line of stderr.
Result<std::vector<Answer>> RealpathAnswers(const std::string& root,
                                            const std::vector<std::string>& queries,
                                            const std::string& flag) {
  const std::string tool = kToolDir;
  std::vector<Answer> answers;
  for (size_t first = 0; first < queries.size();) {
    std::vector<std::string> args = {root, tool + "/ld.so", "--library-path", tool + "/lib",
                                     tool + "/realpath", flag, "-z", "--"};
    size_t last = first, bytes = 0;
    for (; last < queries.size() && bytes < kBatchBytes; ++last) {
      args.push_back(queries[last]);
      args.push_back(tool);
      bytes += queries[last].size() + tool.size() + 2;
    }
    std::unique_ptr<Cmd> cmd = ProcessExecutor().Command(kChroot, args);
    cmd->SetEnv({"LC_ALL=C"});
    cmd->SetTimeout(std::chrono::seconds(60));
    const Result<std::string> run = cmd->Output();
    if (!run.ok() && (run.error().code() != ErrorCode::kNonZeroExit ||
                      run.error().exit_status() != 1)) {
      return run.error();
    }
    const std::vector<std::string> printed =
        Split(run.ok() ? *run : run.error().stdout_data(), '\0');
    const std::vector<std::string> errors = Split(run.ok() ? "" : run.error().stderr_data(), '\n');
    size_t next_printed = 0, next_error = 0;
    for (size_t i = first; i < last; ++i) {
      Answer answer{true, next_printed < printed.size() ? printed[next_printed] : ""};
      if (answer.text == tool) {
        // "<program>: <quoted query>: <strerror text>"
        const std::string line = next_error < errors.size() ? errors[next_error++] : "";
        answer = {false, line.substr(line.rfind(": ") == std::string::npos ? 0
                                                                           : line.rfind(": ") + 2)};
      } else {
        ++next_printed;
      }
      if (next_printed >= printed.size() || printed[next_printed++] != tool) {
        return Error(ErrorCode::kInternal, "cannot match realpath's output to its operands");
      }
      answers.push_back(answer);
    }
    if (next_error != errors.size() || run.ok() != (next_error == 0)) {
      return Error(ErrorCode::kInternal, "realpath's errors do not match its operands");
    }
    first = last;
  }
  return answers;
}

bool HasEffectiveCapability(int capability) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapEff:", 0) == 0) {
      return (std::stoull(line.substr(7), nullptr, 16) >> capability) & 1;
    }
  }
  return false;
}

// The major version in `realpath --version`'s "realpath (GNU coreutils) 9.1".
int RealpathMajorVersion() {
  const Result<std::string> version = ProcessExecutor().Command(kRealpath, {"--version"})->Output();
  if (!version.ok()) return 0;
  const std::string first_line = version->substr(0, version->find('\n'));
  return std::atoi(first_line.substr(first_line.rfind(' ') + 1).c_str());
}

TEST(RealpathConformanceTest, ResolverAnswersLikeGnuRealpath) {
  if (!HasEffectiveCapability(CAP_SYS_CHROOT)) {
    GTEST_SKIP() << "needs CAP_SYS_CHROOT to run realpath chrooted into the generated tree";
  }
  if (RealpathMajorVersion() < 9) {
    GTEST_SKIP() << kRealpath
                 << " is not GNU coreutils >= 9.0, whose loop rule the resolver follows";
  }
  const Corpus corpus;
  const fakehost::TempDir tree;
  {
    const UniqueFd root(::open(tree.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    const Status written = Materialize(root.get(), corpus.entries());
    ASSERT_TRUE(written.ok()) << written.error().ToString();
  }
  const Status installed = InstallRealpath(tree.path());
  ASSERT_TRUE(installed.ok()) << installed.error().ToString();
  Result<std::unique_ptr<RootFileView>> view = RootFileView::Open(tree.path());
  ASSERT_TRUE(view.ok()) << view.error().ToString();

  // realpath would run for ever (or exponentially long) where the resolver
  // stops at its work bound: those queries cannot be compared.
  constexpr std::pair<const char*, RealpathMode> kModes[] = {
      {"-e", RealpathMode::kMustExist}, {"-m", RealpathMode::kAllowMissing}};
  std::vector<std::string> queries;
  std::vector<std::string> unbounded;
  for (const std::string& query : corpus.queries()) {
    const bool bounded = std::none_of(std::begin(kModes), std::end(kModes), [&](const auto& mode) {
      return HitsWorkBound(ResolveRealpath(**view, query, mode.second));
    });
    (bounded ? queries : unbounded).push_back(query);
  }
  ASSERT_GE(queries.size(), 2000u);
  EXPECT_LT(unbounded.size(), queries.size() / 50) << "too many runaway queries in the corpus";

  std::vector<std::string> mismatches;
  for (const auto& [flag, mode] : kModes) {
    const Result<std::vector<Answer>> real = RealpathAnswers(tree.path(), queries, flag);
    ASSERT_TRUE(real.ok()) << real.error().ToString();
    for (size_t i = 0; i < queries.size(); ++i) {
      const Answer ours = ToAnswer(ResolveRealpath(**view, queries[i], mode));
      if (ours != (*real)[i]) {
        mismatches.push_back(std::string(flag) + " " + Quote(queries[i]) + ": realpath " +
                             Describe((*real)[i]) + ", resolver " + Describe(ours));
      }
    }
  }
  std::string report;
  for (const std::string& mismatch : mismatches) report += "\n  " + mismatch;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " of " << 2 * queries.size()
                                  << " answers differ:" << report;
  std::cout << "compared " << queries.size() << " queries in both modes; skipped "
            << unbounded.size() << " that hit the resolver's work bound\n";
}

}  // namespace
}  // namespace nsenter
