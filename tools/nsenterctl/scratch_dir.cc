#include "tools/nsenterctl/scratch_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "nsenter/quote.h"

namespace nsenterctl {
namespace {

// The signals whose default action would end the process with a tree left.
constexpr int kCleanedUpSignals[] = {SIGHUP, SIGINT, SIGTERM};

// The live tree, for the signal handler (one at a time).
char live_tree[PATH_MAX];
struct sigaction previous_actions[std::size(kCleanedUpSignals)];

sigset_t CleanedUpSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : kCleanedUpSignals) sigaddset(&set, signal);
  return set;
}

// Removes everything in the directory `dir` (an open descriptor), with
// async-signal-safe calls only. Passes repeat until one removes nothing, as
// removing entries while reading a directory may skip some.
void RemoveContents(int dir) {
  alignas(8) char entries[4096];
  for (bool removed = true; removed;) {
    removed = false;
    lseek(dir, 0, SEEK_SET);
    for (long size; (size = syscall(SYS_getdents64, dir, entries, sizeof entries)) > 0;) {
      for (long at = 0; at < size;) {
        const auto* entry = reinterpret_cast<const dirent64*>(entries + at);
        at += entry->d_reclen;
        const char* name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        if (unlinkat(dir, name, 0) == 0) {
          removed = true;
          continue;
        }
        const int child = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child < 0) continue;
        RemoveContents(child);
        close(child);
        if (unlinkat(dir, name, AT_REMOVEDIR) == 0) removed = true;
      }
    }
  }
}

// Removes the live tree, then ends the process by `signal` as it would have.
void RemoveTreeAndReraise(int signal) {
  const int saved_errno = errno;  // The interrupted code's, whatever the handler does.
  const int tree = open(live_tree, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (tree >= 0) {
    RemoveContents(tree);
    close(tree);
    rmdir(live_tree);
  }
  ::signal(signal, SIG_DFL);
  raise(signal);  // Delivered when the handler returns (the signal is blocked in it).
  errno = saved_errno;
}

// `dir` with its symlinks, dots and extra slashes resolved, if it is an
// existing directory whose resolved path Quote shows as is (printable
// ASCII, no quote or backslash), so that the path of the tree appears
// verbatim in messages; otherwise nothing.
std::optional<std::string> PlainRealDir(const char* dir) {
  if (dir == nullptr || *dir != '/') return std::nullopt;
  char resolved[PATH_MAX];
  if (realpath(dir, resolved) == nullptr) return std::nullopt;
  const std::string path = resolved;
  if (nsenter::Quote(path) != "'" + path + "'") return std::nullopt;
  return path == "/" ? "" : path;
}

}  // namespace

nsenter::Result<std::unique_ptr<ScratchDir>> ScratchDir::Create() {
  const std::string name =
      PlainRealDir(std::getenv("TMPDIR")).value_or(PlainRealDir("/tmp").value_or("/tmp")) +
      "/nsenterctl.XXXXXX";
  if (name.size() >= sizeof live_tree) {
    return nsenter::Error(nsenter::ErrorCode::kInvalidArgument,
                          "cannot make a directory like " + nsenter::Quote(name) +
                              ": File name too long");
  }
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  // No signal between mkdtemp and the handlers that remove the tree.
  const sigset_t signals = CleanedUpSignals();
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
  if (mkdtemp(path.data()) == nullptr) {
    const int error = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    return nsenter::Error(nsenter::ErrorCodeFromErrno(error), "cannot make a directory like " +
                                                                  nsenter::Quote(name) + ": " +
                                                                  std::strerror(error));
  }
  memcpy(live_tree, path.data(), path.size());
  struct sigaction action = {};
  action.sa_handler = RemoveTreeAndReraise;
  action.sa_mask = signals;
  for (size_t i = 0; i < std::size(kCleanedUpSignals); ++i) {
    sigaction(kCleanedUpSignals[i], &action, &previous_actions[i]);
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return std::unique_ptr<ScratchDir>(new ScratchDir(path.data()));
}

ScratchDir::~ScratchDir() {
  const sigset_t signals = CleanedUpSignals();
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  for (size_t i = 0; i < std::size(kCleanedUpSignals); ++i) {
    sigaction(kCleanedUpSignals[i], &previous_actions[i], nullptr);
  }
  live_tree[0] = '\0';
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);  // A signal that came meanwhile acts now.
}

}  // namespace nsenterctl
