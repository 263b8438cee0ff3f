// nsenterctl umount: unmounts on the host with its umount(8).
#include "nsenter/error.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/mount/mount_args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  const ParsedArgs args = ParseArgs(words, HostOptionSpecs());
  if (args.operands().size() != 1) throw UsageError("expected exactly one TARGET");
  const std::string& target = args.operands()[0];
  // The library's checks, before anything runs: a refusal is bad usage.
  if (auto umount_args = nsenter::BuildUnmountArgs(target); !umount_args.ok()) {
    throw UsageError(umount_args.error().message());
  }

  RefuseOnMaterializedFixture(args, "umount", FixtureNeed::kRunsPrograms);
  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::HostMounter mounter((*host)->nsenter(), MounterOptions(**host));
  if (nsenter::Status unmounted = mounter.Unmount(target); !unmounted.ok()) {
    return Fail(DescribeWithHostMessage(**host, unmounted.error()));
  }
  return 0;
}

}  // namespace

const Command kUmount = {
    "umount", "unmount a file system on the host",
    "usage: nsenterctl umount [HOST OPTIONS] [--] TARGET\n\n"
    "Unmounts the topmost mount at the absolute host path TARGET with the host's\n"
    "umount(8): 'umount -- TARGET'. Prints nothing on success. A TARGET that is\n"
    "not mounted fails (exit status 1) with \"'TARGET' is not mounted on the\n"
    "host\".\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp),
    Run};

}  // namespace nsenterctl
