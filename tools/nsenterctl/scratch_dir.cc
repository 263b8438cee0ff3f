#include "tools/nsenterctl/scratch_dir.h"

#include <errno.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <vector>

#include "nsenter/quote.h"

namespace nsenterctl {

nsenter::Result<std::unique_ptr<ScratchDir>> ScratchDir::Create() {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string name =
      std::string(tmpdir != nullptr && *tmpdir == '/' ? tmpdir : "/tmp") + "/nsenterctl.XXXXXX";
  std::vector<char> path(name.begin(), name.end());
  path.push_back('\0');
  if (mkdtemp(path.data()) == nullptr) {
    const int error = errno;
    return nsenter::Error(nsenter::ErrorCodeFromErrno(error), "cannot make a directory like " +
                                                                  nsenter::Quote(name) + ": " +
                                                                  std::strerror(error));
  }
  return std::unique_ptr<ScratchDir>(new ScratchDir(path.data()));
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace nsenterctl
