#include "nsenter/process_executor.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "nsenter/descriptor_closing.h"
#include "nsenter/quote.h"
#include "nsenter/supervised_cmd.h"
#include "nsenter/unique_fd.h"

namespace nsenter {
namespace {

// Why chdir(`dir`) fails for this process, or 0: `dir` must be a directory
// that it may search. (An O_PATH open alone needs no search permission on
// `dir` itself.)
int WorkingDirectoryError(const std::string& dir) {
  UniqueFd opened(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!opened.valid()) return errno;
  if (faccessat(AT_FDCWD, dir.c_str(), X_OK, AT_EACCESS) != 0) return errno;
  return 0;
}

// Starts children with posix_spawn(3).
class PosixSpawner final : public Spawner {
 public:
  Result<pid_t> Spawn(const ChildSpec& spec) const override {
    // glibc's closefrom action falls back to listing /proc/self/fd, on
    // whatever file system is mounted there.
    if (const int error = WhyDescriptorsCannotBeClosed(); error != 0) {
      return DescriptorsNotClosedError(spec.path, error);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, spec.stdin_fd, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, spec.stdout_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, spec.stderr_fd, STDERR_FILENO);
    if (spec.dir) posix_spawn_file_actions_addchdir_np(&actions, spec.dir->c_str());
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                              POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attributes, &signals);
    sigfillset(&signals);
    posix_spawnattr_setsigdefault(&attributes, &signals);

    pid_t pid = -1;
    const bool search_path = spec.path.find('/') == std::string::npos;
    const int spawn_errno =
        search_path ? posix_spawnp(&pid, spec.path.c_str(), &actions, &attributes, spec.argv,
                                   spec.envp)
                    : posix_spawn(&pid, spec.path.c_str(), &actions, &attributes, spec.argv,
                                  spec.envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawn_errno == 0) return pid;
    // posix_spawn reports a failed chdir like a failed exec; tell them apart.
    if (const int dir_error = spec.dir ? WorkingDirectoryError(*spec.dir) : 0; dir_error != 0) {
      return Error(ErrorCode::kExecFailed, "cannot start " + Quote(spec.path) + " in directory " +
                                               Quote(*spec.dir) + ": " + std::strerror(dir_error));
    }
    return Error(ErrorCode::kExecFailed,
                 "cannot start " + Quote(spec.path) + ": " + std::strerror(spawn_errno));
  }
};

}  // namespace

std::unique_ptr<Cmd> ProcessExecutor::Command(const std::string& path,
                                              const std::vector<std::string>& args) const {
  static const auto spawner = std::make_shared<const PosixSpawner>();
  return MakeSupervisedCmd(path, args, spawner);
}

}  // namespace nsenter
