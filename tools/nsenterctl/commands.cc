#include "tools/nsenterctl/commands.h"

#include <iostream>

namespace nsenterctl {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      kProbe, kEvalSymlinks, kKubeletPath, kPropagation, kMounts, kIsMountPoint,
      kStat, kMount, kUmount, kMkdir, kExec, kRecord};
  return commands;
}

int Fail(const std::string& message) {
  std::cerr << "nsenterctl: " << message << "\n";
  return 1;
}

}  // namespace nsenterctl
