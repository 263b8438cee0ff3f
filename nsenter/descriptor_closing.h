// Closing the caller's descriptors before a host program starts, shared by
// both executors: a program must see 0, 1 and 2 only, and where that cannot
// be ensured nothing runs.
//
// close_range(2) does it in one call. Where it is refused — ENOSYS before
// Linux 5.9, EINVAL for CLOSE_RANGE_CLOEXEC before 5.11, or a seccomp filter
// anywhere — the fallback is a walk of /proc/self/fd, the process's own
// table, trusted only on procfs: anything else mounted on /proc (a tmpfs
// with an empty self/fd) could list fewer descriptors than are open.
//
// Thread-safety: every function is async-signal-safe except
// DescriptorsNotClosedError, and none has state.
#ifndef NSENTER_DESCRIPTOR_CLOSING_H_
#define NSENTER_DESCRIPTOR_CLOSING_H_

#include <string>

#include "nsenter/error.h"

namespace nsenter {

// Opens /proc/self/fd for reading if it is on procfs. Returns the
// descriptor (close-on-exec; the caller closes it), or -1 with errno set:
// ENOTSUP when it is on another file system.
int OpenProcfsDescriptorTable();

// Marks every descriptor from 3 up close-on-exec, by close_range(2) or else
// each one listed in OpenProcfsDescriptorTable. Returns false, with errno
// set, when neither can be done: the caller must then not exec. For a child
// about to exec (the native backend).
bool MarkDescriptorsCloseOnExec();

// 0 if posix_spawn's closefrom action can close every descriptor from 3 up
// in a child of this process — close_range(2) is accepted (probed on a
// descriptor number that is never open), or glibc's fallback will list a
// /proc/self/fd on procfs — else the errno saying why not (ENOTSUP: /proc is
// not procfs). The child sees the mounts and seccomp filter the caller
// sees when it asks.
int WhyDescriptorsCannotBeClosed();

// kExecFailed: `program` was not started because the caller's other
// descriptors could not be closed, for `error` (an errno).
Error DescriptorsNotClosedError(const std::string& program, int error);

}  // namespace nsenter

#endif  // NSENTER_DESCRIPTOR_CLOSING_H_
