// A child program for process_executor_test and the hardening tests: each
// mode exercises one thing the executor must handle, without a shell.
//
//   write OUT ERR [S]  writes OUT bytes of 'o' to stdout and ERR bytes of 'e'
//                      to stderr, interleaved in 64 KiB chunks, then exits
//                      with status S (default 0)
//   fds                prints the open descriptors, one per line
//   pid-then-hang      prints its pid, starts a grandchild in its process
//                      group, and both sleep forever
//   exit N             exits with status N
//   kill-self          kills itself with SIGKILL
//   close-stdout MS S  prints "open\n", closes its stdout, sleeps MS
//                      milliseconds, prints "closed\n" to stderr, exits with S
//   sleep MS           sleeps MS milliseconds (signals do not cut it short),
//                      then prints "slept\n"
//   line-then-await F  prints "line\n", waits until the file F exists, then
//                      prints "end\n"
//   ignore-term        ignores SIGTERM, prints its pid and sleeps forever
//   leave-group MS     moves to its parent's process group, prints its pid,
//                      sleeps MS milliseconds, then prints "slept\n"
#include <dirent.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void WriteBytes(int fd, char byte, long count) {
  std::string chunk(65536, byte);
  while (count > 0) {
    const long n = count < static_cast<long>(chunk.size()) ? count : static_cast<long>(chunk.size());
    if (write(fd, chunk.data(), static_cast<size_t>(n)) != n) std::exit(3);
    count -= n;
  }
}

int Write(long out, long err, int status) {
  while (out > 0 || err > 0) {
    const long out_step = out < 65536 ? out : 65536;
    const long err_step = err < 65536 ? err : 65536;
    WriteBytes(STDOUT_FILENO, 'o', out_step);
    WriteBytes(STDERR_FILENO, 'e', err_step);
    out -= out_step;
    err -= err_step;
  }
  return status;
}

int PrintFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 2;
  const int own = dirfd(dir);
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.' || std::atoi(entry->d_name) == own) continue;
    std::printf("%s\n", entry->d_name);
  }
  closedir(dir);
  return 0;
}

int PidThenHang() {
  std::printf("%d\n", static_cast<int>(getpid()));
  std::fflush(stdout);
  if (fork() < 0) return 2;
  for (;;) pause();
}

void SleepMilliseconds(long milliseconds) {
  timespec left = {milliseconds / 1000, (milliseconds % 1000) * 1000000};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

int CloseStdout(long milliseconds, int status) {
  std::printf("open\n");
  std::fflush(stdout);
  close(STDOUT_FILENO);
  SleepMilliseconds(milliseconds);
  std::fprintf(stderr, "closed\n");
  return status;
}

int Sleep(long milliseconds) {
  SleepMilliseconds(milliseconds);
  std::printf("slept\n");
  return 0;
}

int LineThenAwait(const char* file) {
  std::printf("line\n");
  std::fflush(stdout);
  while (access(file, F_OK) != 0) SleepMilliseconds(10);
  std::printf("end\n");
  return 0;
}

int PrintPid() {
  std::printf("%d\n", static_cast<int>(getpid()));
  return std::fflush(stdout) == 0 ? 0 : 2;
}

int IgnoreTerm() {
  signal(SIGTERM, SIG_IGN);
  if (PrintPid() != 0) return 2;
  for (;;) pause();
}

int LeaveGroup(long milliseconds) {
  if (setpgid(0, getpgid(getppid())) != 0 || PrintPid() != 0) return 2;
  return Sleep(milliseconds);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "write" && (argc == 4 || argc == 5)) {
    return Write(std::atol(argv[2]), std::atol(argv[3]), argc == 5 ? std::atoi(argv[4]) : 0);
  }
  if (mode == "fds") return PrintFds();
  if (mode == "pid-then-hang") return PidThenHang();
  if (mode == "exit" && argc == 3) return std::atoi(argv[2]);
  if (mode == "kill-self") return kill(getpid(), SIGKILL);
  if (mode == "close-stdout" && argc == 4) {
    return CloseStdout(std::atol(argv[2]), std::atoi(argv[3]));
  }
  if (mode == "sleep" && argc == 3) return Sleep(std::atol(argv[2]));
  if (mode == "line-then-await" && argc == 3) return LineThenAwait(argv[2]);
  if (mode == "ignore-term") return IgnoreTerm();
  if (mode == "leave-group" && argc == 3) return LeaveGroup(std::atol(argv[2]));
  std::fprintf(stderr,
               "usage: %s write OUT ERR [S] | fds | pid-then-hang | exit N | kill-self |\n"
               "       close-stdout MS S | sleep MS | line-then-await F | ignore-term |\n"
               "       leave-group MS\n",
               argv[0]);
  return 2;
}
