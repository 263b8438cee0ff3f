#include "nsenter/privileged/this_machine.h"

#include <unistd.h>

#include <filesystem>

#include "nsenter/discovery.h"

namespace nsenter::privileged {

std::optional<std::string> FindOnThisMachine(const std::string& name) {
  for (const std::string& dir : DefaultSearchDirs()) {
    const std::string path = (dir == "/" ? "" : dir) + "/" + name;
    if (std::filesystem::is_regular_file(path) && access(path.c_str(), X_OK) == 0) return path;
  }
  return std::nullopt;
}

}  // namespace nsenter::privileged
