// The native backend: commands run through SetnsExecutor (setns(2), one
// exec, no nsenter program), and symlinks are resolved in-process by the
// realpath resolver over a RootFileView of the host root. Internal to the
// library; see nsenter.h.
//
// Thread-safety: immutable; safe to share.
#ifndef NSENTER_NATIVE_BACKEND_H_
#define NSENTER_NATIVE_BACKEND_H_

#include <memory>

#include "nsenter/host_backend.h"
#include "nsenter/root_file_view.h"
#include "nsenter/setns_executor.h"

namespace nsenter {

// `root` is the container-side directory used as the host's "/" for
// resolution.
std::unique_ptr<HostBackend> MakeNativeBackend(std::shared_ptr<const SetnsExecutor> executor,
                                               std::shared_ptr<const RootFileView> root);

}  // namespace nsenter

#endif  // NSENTER_NATIVE_BACKEND_H_
