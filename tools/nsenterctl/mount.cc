// nsenterctl mount: mounts on the host with its mount(8).
#include "nsenter/mount/host_mounter.h"
#include "nsenter/mount/mount_args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"

namespace nsenterctl {
namespace {

// "ro,nosuid" as {"ro", "nosuid"}; each part, empty ones too, is checked
// as one option by the library.
std::vector<std::string> SplitOptions(const std::string& joined) {
  std::vector<std::string> options;
  for (size_t start = 0;;) {
    const size_t comma = joined.find(',', start);
    options.push_back(joined.substr(start, comma - start));
    if (comma == std::string::npos) return options;
    start = comma + 1;
  }
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"type", true, false, 't'});
  specs.push_back({"options", true, false, 'o'});
  specs.push_back({"sensitive-options", true, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().size() != 2) throw UsageError("expected SOURCE and TARGET");
  if (args.Has("type") && args.Value("type").empty()) throw UsageError("--type is empty");
  nsenter::MountRequest request{args.operands()[0], args.operands()[1], args.Value("type"), {}, {}};
  if (args.Has("options")) request.options = SplitOptions(args.Value("options"));
  if (args.Has("sensitive-options")) {
    request.sensitive_options = SplitOptions(args.Value("sensitive-options"));
  }
  // The library's checks, before anything runs: a refusal is bad usage.
  if (auto commands = nsenter::BuildMountCommands(request); !commands.ok()) {
    throw UsageError(commands.error().message());
  }

  RefuseOnMaterializedFixture(args, "mount", FixtureNeed::kRunsPrograms);
  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::HostMounter mounter((*host)->nsenter(), MounterOptions(**host));
  if (nsenter::Status mounted = mounter.Mount(request); !mounted.ok()) {
    return Fail(DescribeWithHostMessage(**host, mounted.error()));
  }
  return 0;
}

}  // namespace

const Command kMount = {
    "mount", "mount a file system on the host",
    "usage: nsenterctl mount [HOST OPTIONS] [-t TYPE] [-o OPTS] [--] SOURCE TARGET\n\n"
    "Mounts SOURCE (a device, a remote spec such as server:/export, or with -o\n"
    "bind an absolute host path) on the absolute host path TARGET with the host's\n"
    "mount(8): 'mount [-t TYPE] [-o OPTS] -- SOURCE TARGET'. A bind mount with\n"
    "other options is a bind, then a remount with them ('-o bind,ro' is\n"
    "read-only). Prints nothing on success.\n\n"
    "Refused before anything runs (exit status 2): an option that is empty, holds\n"
    "a double quote or a control character, or starts with '-' or '=' (so OPTS\n"
    "cannot carry another option, such as suid, inside one); a SOURCE starting\n"
    "with '-'; a relative TARGET; a TYPE that is not a plain name.\n\n"
    "Options given with --sensitive-options (credentials, password=...) are\n"
    "passed to mount(8) after OPTS and shown as <masked> in every message, with\n"
    "--verbose too; -o options are shown as they are. Any user of this machine\n"
    "can read a program's arguments while it runs, nsenterctl's and mount(8)'s.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  -t, --type TYPE      the file-system type (tmpfs, ext4, fuse.sshfs); without\n"
        "                       it mount(8) chooses\n"
        "  -o, --options OPTS   mount options, comma-separated (ro,nosuid,size=8m)\n"
        "  --sensitive-options OPTS\n"
        "                       more options, comma-separated, never shown\n",
    Run};

}  // namespace nsenterctl
