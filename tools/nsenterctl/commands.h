// The subcommands of nsenterctl. Each takes the words after its name and
// returns the process exit status (the table is kExitStatusHelp in main.cc):
// 0 success, 1 the operation failed, 2 bad usage (UsageError thrown), or —
// for `exec` — the host command's status.
// Results go to stdout, messages to stderr.
#ifndef TOOLS_NSENTERCTL_COMMANDS_H_
#define TOOLS_NSENTERCTL_COMMANDS_H_

#include <string>
#include <vector>

namespace nsenterctl {

struct Command {
  std::string name;
  std::string summary;
  std::string usage;  // Full --help text: "usage: nsenterctl NAME SYNOPSIS\n\n...".
  int (*run)(const std::vector<std::string>& args);
};

// Every subcommand, in the order --help lists them.
const std::vector<Command>& Commands();

// One per file of the same name.
extern const Command kProbe;
extern const Command kEvalSymlinks;
extern const Command kKubeletPath;
extern const Command kPropagation;
extern const Command kMounts;
extern const Command kIsMountPoint;
extern const Command kStat;
extern const Command kMount;
extern const Command kUmount;
extern const Command kMkdir;
extern const Command kExec;
extern const Command kRecord;

// Prints "nsenterctl: MESSAGE" to stderr and returns 1.
int Fail(const std::string& message);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_COMMANDS_H_
