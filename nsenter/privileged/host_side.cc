#include "nsenter/privileged/host_side.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <system_error>

#include "nsenter/privileged/pipe_io.h"
#include "nsenter/unique_fd.h"

namespace nsenter::privileged {
namespace {

// The first byte of the child's message: what follows is the result, or the
// message of the exception that ended `work`.
constexpr char kResult = 'R';
constexpr char kFailure = 'F';

std::string RunInHostNamespace(const std::function<std::string()>& work) {
  const UniqueFd host(open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC));
  if (!host.valid()) throw std::system_error(errno, std::generic_category(), "open /proc/1/ns/mnt");
  if (setns(host.get(), CLONE_NEWNS) != 0) {
    throw std::system_error(errno, std::generic_category(), "setns /proc/1/ns/mnt");
  }
  return work();
}

}  // namespace

std::string OnHostSide(const std::function<std::string()>& work) {
  Pipe message = MakePipe();
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (child == 0) {
    message.read_end.Reset();
    int code = 0;
    try {
      WriteAll(message.write_end.get(), kResult + RunInHostNamespace(work));
    } catch (const std::exception& error) {
      try {
        WriteAll(message.write_end.get(), std::string(1, kFailure) + error.what());
      } catch (const std::exception&) {
        // The parent is gone: nobody is left to tell.
      }
      code = 1;
    }
    _exit(code);
  }
  message.write_end.Reset();
  const std::string received = ReadAll(message.read_end.get());
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && received.starts_with(kResult)) {
    return received.substr(1);
  }
  if (received.starts_with(kFailure)) {
    throw std::runtime_error("on the host side: " + received.substr(1));
  }
  throw std::runtime_error("the host-side child ended with wait status " + std::to_string(status));
}

}  // namespace nsenter::privileged
