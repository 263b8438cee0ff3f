// nsenterctl stat: the type, mode and owner of a host path.
#include <cstdio>
#include <iostream>

#include "nsenter/mount/host_files.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

// `mode`'s permission bits as four octal digits: "0755".
std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"json", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().size() != 1) throw UsageError("expected exactly one PATH");
  const std::string& path = AbsolutePathOperand("path", args.operands()[0]);

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  nsenter::Result<nsenter::HostFileStat> stat =
      nsenter::HostFiles((*host)->nsenter(), MounterOptions(args)).Stat(path);
  if (!stat.ok()) return Fail((*host)->Describe(stat.error()));
  const std::string type(nsenter::HostFileTypeName(stat->type));
  if (args.Has("json")) {
    PrintJson({{"path", path},
               {"type", type},
               {"mode", OctalMode(stat->mode)},
               {"uid", stat->owner.uid},
               {"gid", stat->owner.gid}});
  } else {
    std::cout << type << " " << OctalMode(stat->mode) << " " << stat->owner.uid << " "
              << stat->owner.gid << "\n";
  }
  return 0;
}

}  // namespace

const Command kStat = {
    "stat", "show the type, mode and owner of a host path",
    "usage: nsenterctl stat [HOST OPTIONS] [--json] [--] PATH\n\n"
    "Resolves the symbolic links of the absolute host path PATH on the host (it\n"
    "must exist) and prints what it is, as 'TYPE MODE UID GID': TYPE one of\n"
    "Directory, File, Socket, CharDevice, BlockDevice, FIFO (Kubernetes'\n"
    "HostPathType names), MODE the permission bits in octal (0755). Through\n"
    "nsenter the host's stat(1) answers; natively, stat(2) in the host root.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --json   print {\"path\", \"type\", \"mode\" (octal, a string), \"uid\", \"gid\"}\n",
    Run};

}  // namespace nsenterctl
