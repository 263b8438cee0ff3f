// What this process and its descendants hold, as the kernel shows it under
// /proc: processes, the namespaces they are in, this process's mounts and
// open descriptors. A test takes a census before and after some work to show
// that nothing the work created outlives it.
//
// A namespace lives on only while a process is in it, a descriptor refers to
// it, or a mount of its nsfs file pins it: no descendants, the same
// descriptors and the same mount table before and after mean that no
// namespace outlived the work. Only this process's own tree is counted, so
// other programs on the machine do not disturb the comparison.
//
// Processes that end while /proc is read are left out. Namespace links that
// cannot be read (e.g. of a process outside the caller's reach) are "".
//
// Errors: reading the caller's own /proc entries throws std::system_error.
//
// Thread-safety: reads only; safe from any thread.
#ifndef NSENTER_PRIVILEGED_PROCESS_CENSUS_H_
#define NSENTER_PRIVILEGED_PROCESS_CENSUS_H_

#include <sys/types.h>

#include <map>
#include <ostream>
#include <set>
#include <string>

namespace nsenter::privileged {

struct ProcessInfo {
  pid_t ppid = 0;
  std::string comm;      // The command name, e.g. "sleep".
  std::string mount_ns;  // E.g. "mnt:[4026531841]".
  std::string pid_ns;    // E.g. "pid:[4026531836]".

  bool operator==(const ProcessInfo&) const = default;
};

// Process id → what /proc says about it.
using ProcessTable = std::map<pid_t, ProcessInfo>;

// Every process visible in the caller's /proc.
ProcessTable ListProcesses();

// The processes of `table` descending from `ancestor` (not `ancestor` itself).
ProcessTable Descendants(const ProcessTable& table, pid_t ancestor);

struct Census {
  ProcessInfo self;
  ProcessTable descendants;
  std::string mountinfo;                  // /proc/self/mountinfo.
  std::map<int, std::string> open_files;  // Descriptor → what it refers to.

  bool operator==(const Census&) const = default;
};

// A census of the calling process.
Census TakeCensus();

// The mount namespaces the census's processes are in.
std::set<std::string> MountNamespaces(const Census& census);

// Readable dumps for failure messages (gtest picks them up).
std::ostream& operator<<(std::ostream& out, const ProcessInfo& info);
std::ostream& operator<<(std::ostream& out, const Census& census);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_PROCESS_CENSUS_H_
