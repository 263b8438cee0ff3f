// nsenterctl mounts: the host's mount table.
#include <iostream>

#include "nsenter/mount/host_mounter.h"
#include "nsenter/mount/mountinfo.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

nlohmann::ordered_json MountJson(const nsenter::MountInfo& mount) {
  return {{"id", mount.id},
          {"parent_id", mount.parent_id},
          {"major", mount.major},
          {"minor", mount.minor},
          {"root", mount.root},
          {"mount_point", mount.mount_point},
          {"mount_options", mount.mount_options},
          {"optional_fields", mount.optional_fields},
          {"fs_type", mount.fs_type},
          {"source", mount.source},
          {"super_options", mount.super_options}};
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"json", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (!args.operands().empty()) throw UsageError("expected no operands");

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::HostMounter mounter((*host)->nsenter(), MounterOptions(args));
  nsenter::Result<std::vector<nsenter::MountInfo>> table = mounter.List();
  if (!table.ok()) return Fail((*host)->Describe(table.error()));
  if (args.Has("json")) {
    nlohmann::ordered_json mounts = nlohmann::ordered_json::array();
    for (const nsenter::MountInfo& mount : *table) mounts.push_back(MountJson(mount));
    PrintJson(mounts);
  } else {
    std::cout << nsenter::FormatMountInfo(*table);
  }
  return 0;
}

}  // namespace

const Command kMounts = {
    "mounts", "list the host's mount table",
    "usage: nsenterctl mounts [HOST OPTIONS] [--json]\n\n"
    "Reads the host's mount table, <host root>/proc/PID/mountinfo (PID is\n"
    "--target-pid), and prints it as the kernel writes it (proc(5)): one line per\n"
    "mount, with space, tab, newline and backslash as octal escapes.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --json   print an array of {\"id\", \"parent_id\", \"major\", \"minor\", \"root\",\n"
        "           \"mount_point\", \"mount_options\", \"optional_fields\", \"fs_type\",\n"
        "           \"source\", \"super_options\"}, escapes decoded (bytes that are not\n"
        "           UTF-8 are replaced)\n",
    Run};

}  // namespace nsenterctl
