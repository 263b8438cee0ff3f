// nsenterctl kubelet-path: where the container sees a host path.
#include "nsenter/host_path.h"
#include "tools/nsenterctl/args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  const ParsedArgs args = ParseArgs(words, {{"rootfs", true, false}, {"json", false, false}});
  if (args.operands().size() != 1) throw UsageError("expected exactly one PATH");
  const std::string& path = AbsolutePathOperand("host path", args.operands()[0]);
  nsenter::Result<std::string> seen =
      nsenter::KubeletPath(PathOption(args, "rootfs", "/rootfs"), path);
  if (!seen.ok()) return Fail(seen.error().message());
  PrintPathAnswer(args.Has("json"), path, "kubelet_path", *seen);
  return 0;
}

}  // namespace

const Command kKubeletPath = {
    "kubelet-path", "show where the container sees a host path",
    "usage: nsenterctl kubelet-path [--rootfs DIR] [--json] [--] PATH\n\n"
    "Prints the container-side path of the absolute host path PATH: the host root\n"
    "joined with PATH, slashes squashed, \"..\" never above the root. Touches no file.\n\n"
    "options:\n"
    "  --rootfs DIR   where the host's / is mounted (default /rootfs)\n"
    "  --json         print {\"path\", \"kubelet_path\"}\n",
    Run};

}  // namespace nsenterctl
