// nsenterctl is-mount-point: whether a host path is a mount point.
#include <iostream>

#include "nsenter/mount/host_mounter.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"json", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().size() != 1) throw UsageError("expected exactly one PATH");
  const std::string& path = AbsolutePathOperand("path", args.operands()[0]);

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::HostMounter mounter((*host)->nsenter(), MounterOptions(args));
  nsenter::Result<bool> not_mount_point = mounter.IsLikelyNotMountPoint(path);
  if (!not_mount_point.ok()) return Fail((*host)->Describe(not_mount_point.error()));
  if (args.Has("json")) {
    PrintJson({{"path", path}, {"mount_point", !*not_mount_point}});
  } else {
    std::cout << (*not_mount_point ? "no" : "yes") << "\n";
  }
  return 0;
}

}  // namespace

const Command kIsMountPoint = {
    "is-mount-point", "tell whether a host path is a mount point",
    "usage: nsenterctl is-mount-point [HOST OPTIONS] [--json] [--] PATH\n\n"
    "Resolves the symbolic links of the absolute host path PATH on the host (it\n"
    "must exist), asks the host's findmnt which mount holds it, and prints yes\n"
    "when PATH is that mount's mount point (a bind mount onto itself counts), no\n"
    "otherwise, as Kubernetes' IsLikelyNotMountPoint.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --json   print {\"path\", \"mount_point\": true or false}\n",
    Run};

}  // namespace nsenterctl
