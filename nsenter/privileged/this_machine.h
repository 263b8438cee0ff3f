// What the machine the suite runs on has, looked up from its own root rather
// than through a container's rootfs: the independent answer that discovery
// through a rootfs is held to.
//
// Thread-safety: reads the file system only.
#ifndef NSENTER_PRIVILEGED_THIS_MACHINE_H_
#define NSENTER_PRIVILEGED_THIS_MACHINE_H_

#include <optional>
#include <string>

namespace nsenter::privileged {

// Where this machine keeps `name`: the first default search dir holding an
// executable regular file of that name; nothing when none does.
std::optional<std::string> FindOnThisMachine(const std::string& name);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_THIS_MACHINE_H_
