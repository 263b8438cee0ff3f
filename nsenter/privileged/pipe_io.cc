#include "nsenter/privileged/pipe_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace nsenter::privileged {
namespace {

[[noreturn]] void Fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

Pipe MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) Fail("pipe2");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) Fail("write to a pipe");
    data.remove_prefix(static_cast<size_t>(written));
  }
}

std::string ReadAll(int fd) {
  std::string data;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) Fail("read from a pipe");
    if (n == 0) return data;
    data.append(buffer, static_cast<size_t>(n));
  }
}

void SendGo(int fd) { WriteAll(fd, "."); }

bool ReceiveGo(int fd) {
  char byte;
  for (;;) {
    const ssize_t n = read(fd, &byte, 1);
    if (n >= 0) return n == 1;
    if (errno != EINTR) Fail("read a go from a pipe");
  }
}

}  // namespace nsenter::privileged
