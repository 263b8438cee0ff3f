// nsenterctl propagation: the preflight of nsenter/mount_propagation.h.
#include <iostream>

#include "nsenter/host_path.h"
#include "nsenter/mount_propagation.h"
#include "nsenter/root_file_view.h"
#include "tools/nsenterctl/args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  const ParsedArgs args = ParseArgs(words, {{"rootfs", true, false}, {"json", false, false}});
  if (args.operands().size() > 1) throw UsageError("expected at most one PATH");
  const std::string path =
      args.operands().empty() ? "/" : AbsolutePathOperand("host path", args.operands()[0]);
  const std::string root = PathOption(args, "rootfs", "/rootfs");

  // A missing root or path would be answered for whatever mount holds its
  // nearest existing parent: a false answer.
  nsenter::Result<std::unique_ptr<nsenter::RootFileView>> files = nsenter::RootFileView::Open(root);
  if (!files.ok()) return Fail(files.error().message());
  if (nsenter::Result<nsenter::FileStat> found = (*files)->Lstat(path); !found.ok()) {
    // Its message names the path and the root.
    return Fail("cannot check the host path: " + found.error().message());
  }
  nsenter::Result<std::string> seen = nsenter::KubeletPath(root, path);
  if (!seen.ok()) return Fail(seen.error().message());
  nsenter::Result<nsenter::MountPropagation> mount = nsenter::MountPropagationOf(*seen);
  if (!mount.ok()) return Fail(mount.error().message());
  const std::string_view name = nsenter::PropagationName(mount->propagation);
  const bool receives = mount->receives_host_mounts();
  if (args.Has("json")) {
    PrintJson({{"path", path},
               {"container_path", *seen},
               {"mount_point", mount->mount_point},
               {"propagation", name},
               {"receives_host_mounts", receives}});
  } else {
    std::cout << mount->mount_point << " " << name << "\n";
  }
  if (receives) return 0;
  return Fail(*seen + " is on mount " + mount->mount_point + ", which is " + std::string(name) +
              ": mounts made on the host will not appear there; mount the host root with "
              "rslave (e.g. -v /:/rootfs:rslave)");
}

}  // namespace

const Command kPropagation = {
    "propagation", "check that host mounts reach the container",
    "usage: nsenterctl propagation [--rootfs DIR] [--json] [--] [PATH]\n\n"
    "Finds the mount of this container that holds the host path PATH (default /,\n"
    "the host root) as the container sees it, and prints its mount point and\n"
    "propagation. Exits 0 when mounts made on the host reach it (slave or shared),\n"
    "1 when they do not (private, unbindable), with the fix on stderr, and when the\n"
    "root or PATH does not exist.\n\n"
    "options:\n"
    "  --rootfs DIR   where the host's / is mounted (default /rootfs)\n"
    "  --json         print {\"path\", \"container_path\", \"mount_point\", \"propagation\",\n"
    "                 \"receives_host_mounts\"}\n",
    Run};

}  // namespace nsenterctl
