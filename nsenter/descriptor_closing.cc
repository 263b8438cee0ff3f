#include "nsenter/descriptor_closing.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

// The descriptor number `name` (an entry of /proc/self/fd), or -1 for "."
// and "..". Async-signal-safe.
int DescriptorNumber(const char* name) {
  if (*name < '0' || *name > '9') return -1;
  int fd = 0;
  for (; *name >= '0' && *name <= '9'; ++name) fd = fd * 10 + (*name - '0');
  return fd;
}

}  // namespace

int OpenProcfsDescriptorTable() {
  const int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  struct statfs filesystem;
  const bool statted = fstatfs(dir, &filesystem) == 0;
  if (!statted || filesystem.f_type != PROC_SUPER_MAGIC) {
    const int error = statted ? ENOTSUP : errno;
    close(dir);
    errno = error;
    return -1;
  }
  return dir;
}

bool MarkDescriptorsCloseOnExec() {
  if (syscall(SYS_close_range, STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return true;
  const int dir = OpenProcfsDescriptorTable();
  if (dir < 0) return false;
  alignas(dirent64) char buffer[2048];
  long size = 0;
  bool marked = true;
  while (marked && (size = syscall(SYS_getdents64, dir, buffer, sizeof buffer)) > 0) {
    for (long offset = 0; marked && offset < size;) {
      const auto* entry = reinterpret_cast<const dirent64*>(buffer + offset);
      offset += entry->d_reclen;
      const int fd = DescriptorNumber(entry->d_name);
      if (fd > STDERR_FILENO && fd != dir) marked = fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
    }
  }
  const int error = errno;
  close(dir);
  errno = error;
  return marked && size == 0;
}

int WhyDescriptorsCannotBeClosed() {
  // No descriptor is ever numbered ~0U: this closes nothing.
  if (syscall(SYS_close_range, ~0U, ~0U, 0) == 0) return 0;
  const int dir = OpenProcfsDescriptorTable();
  if (dir < 0) return errno;
  close(dir);
  return 0;
}

Error DescriptorsNotClosedError(const std::string& program, int error) {
  const std::string why = error == ENOTSUP ? "/proc/self/fd is not on procfs"
                                           : "/proc/self/fd: " + std::string(std::strerror(error));
  return Error(ErrorCode::kExecFailed,
               "cannot start " + Quote(program) +
                   ": cannot close the caller's other descriptors (close_range refused, and " +
                   why + "); nothing ran rather than leak them");
}

}  // namespace nsenter
