#include "nsenter/container/user_command.h"

#include "tools/image/image_tag.h"

namespace nsenter::container {

std::string ImageTag() { return kImageTag; }

std::vector<std::string> UserRunFlags(privileged::Propagation propagation) {
  return {"--rm",       "--privileged",
          "--pid=host", "--network=none",
          "-v",         std::string("/:/rootfs:") + privileged::PropagationName(propagation)};
}

std::vector<std::string> ReadmeRunArgs() {
  std::vector<std::string> args = {"run"};
  for (const std::string& flag : UserRunFlags(privileged::Propagation::kRslave)) {
    args.push_back(flag);
  }
  args.push_back(ImageTag());
  args.push_back("nsenterctl");
  args.push_back("probe");
  return args;
}

}  // namespace nsenter::container
