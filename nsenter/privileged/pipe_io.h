// Pipes between the processes of the privileged suite: making them, moving
// whole messages through them, and the one-byte handshake the processes use
// to wait for each other instead of sleeping.
//
// Example:
//   Pipe ready = MakePipe();
//   if (fork() == 0) { ...set up...; SendGo(ready.write_end.get()); _exit(0); }
//   ready.write_end.Reset();
//   if (!ReceiveGo(ready.read_end.get())) { /* the other side gave up */ }
//
// Errors: every function throws std::system_error naming the failed call.
//
// Thread-safety: plain system calls on the caller's descriptors.
#ifndef NSENTER_PRIVILEGED_PIPE_IO_H_
#define NSENTER_PRIVILEGED_PIPE_IO_H_

#include <string>
#include <string_view>

#include "nsenter/unique_fd.h"

namespace nsenter::privileged {

// A pipe whose ends are close-on-exec. After a fork each process closes the
// end it does not use, so that the reader sees end of file once every writer
// is gone.
struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Pipe MakePipe();

// Writes all of `data` to `fd`.
void WriteAll(int fd, std::string_view data);

// Reads `fd` to its end of file.
std::string ReadAll(int fd);

// Writes the one byte that means "go on".
void SendGo(int fd);

// Waits for that byte: true when it came, false at end of file (every writer
// gave up without sending it).
bool ReceiveGo(int fd);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_PIPE_IO_H_
