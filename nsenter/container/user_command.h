// The command users run the nsenterctl image with, in one place: the suite
// runs exactly this, and deploy_examples_test holds the README's podman and
// docker commands and examples/deploy/daemonset.yaml to it.
//
//   podman run --rm --privileged --pid=host --network=none
//     -v /:/rootfs:rslave nsenter_cpp/nsenterctl:<version> nsenterctl probe
//
// Thread-safety: pure functions.
#ifndef NSENTER_CONTAINER_USER_COMMAND_H_
#define NSENTER_CONTAINER_USER_COMMAND_H_

#include <string>
#include <vector>

#include "nsenter/privileged/mounts.h"

namespace nsenter::container {

// The image's tag, e.g. "nsenter_cpp/nsenterctl:0.1.0" (tools/image/image.bzl).
std::string ImageTag();

// The flags of `run` between "run" and the image: --rm --privileged
// --pid=host --network=none -v /:/rootfs:<rslave|rprivate>.
std::vector<std::string> UserRunFlags(privileged::Propagation propagation);

// The README's example after the program name (podman or docker): run, the
// flags for rslave, the image, "nsenterctl", "probe".
std::vector<std::string> ReadmeRunArgs();

}  // namespace nsenter::container

#endif  // NSENTER_CONTAINER_USER_COMMAND_H_
