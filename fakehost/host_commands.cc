#include "fakehost/host_commands.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>

#include "nsenter/mount/mount_args.h"

namespace nsenter::fakehost {
namespace {

using Words = std::vector<std::string>;

bool Runs(const Words& argv, std::string_view name) {
  return !argv.empty() && std::filesystem::path(argv.front()).filename() == name;
}

// Whether argv[1...] is `fixed` followed by exactly one operand.
bool FixedThenOperand(const Words& argv, const Words& fixed) {
  return argv.size() == fixed.size() + 2 && std::equal(fixed.begin(), fixed.end(), argv.begin() + 1);
}

std::vector<std::string> SplitOptions(const std::string& joined) {
  std::vector<std::string> options;
  size_t start = 0;
  for (;;) {
    const size_t comma = joined.find(',', start);
    options.push_back(joined.substr(start, comma - start));
    if (comma == std::string::npos) return options;
    start = comma + 1;
  }
}

std::optional<HostCommand> ParseMount(const Words& argv) {
  if (FixedThenOperand(argv, {"--make-rshared", "--"})) return MakeRSharedCommand{argv.back()};
  MountCommandLine mount;
  size_t i = 1;
  if (i + 1 < argv.size() && argv[i] == "-t") {
    mount.fs_type = argv[i + 1];
    i += 2;
  }
  if (i + 1 < argv.size() && argv[i] == "-o") {
    mount.options = SplitOptions(argv[i + 1]);
    i += 2;
  }
  if (argv.size() != i + 3 || argv[i] != "--") return std::nullopt;
  mount.source = argv[i + 1];
  mount.target = argv[i + 2];
  return mount;
}

// systemd-run --description=TEXT --scope -- MOUNT ARGS..., for a mount, or
// systemd-run --description=TEXT --scope -- true, the probe.
std::optional<HostCommand> ParseSystemdRun(const Words& argv) {
  constexpr std::string_view kDescription = "--description=";
  if (argv.size() < 5 || !argv[1].starts_with(kDescription) || argv[2] != "--scope" ||
      argv[3] != "--") {
    return std::nullopt;
  }
  const Words mount_argv(argv.begin() + 4, argv.end());
  if (mount_argv == Words{"true"}) {
    return SystemdScopeProbeCommand{argv[1].substr(kDescription.size())};
  }
  if (!Runs(mount_argv, "mount")) return std::nullopt;
  std::optional<HostCommand> mount = ParseMount(mount_argv);
  if (!mount || !std::holds_alternative<MountCommandLine>(*mount)) return std::nullopt;
  MountCommandLine& line = std::get<MountCommandLine>(*mount);
  line.scope_description = argv[1].substr(kDescription.size());
  line.scoped_program = mount_argv.front();
  return mount;
}

std::optional<HostCommand> ParseMakeDir(const Words& argv) {
  MakeDirCommand mkdir;
  size_t i = 1;
  if (i < argv.size() && argv[i] == "-p") {
    mkdir.parents = true;
    ++i;
  }
  if (i + 1 < argv.size() && argv[i] == "-m") {
    mkdir.mode = nsenter::ParseOctalMode(argv[i + 1]);
    if (!mkdir.mode) return std::nullopt;
    i += 2;
  }
  if (argv.size() != i + 2 || argv[i] != "--") return std::nullopt;
  mkdir.path = argv.back();
  return mkdir;
}

}  // namespace

std::optional<HostCommand> ParseHostCommand(const Words& argv) {
  if (Runs(argv, "findmnt") &&
      FixedThenOperand(argv, {"-o", "target,fstype", "--noheadings", "--first-only", "--target"})) {
    return FindmntCommand{argv.back()};
  }
  if (Runs(argv, "mount")) return ParseMount(argv);
  if (Runs(argv, "systemd-run")) return ParseSystemdRun(argv);
  if (Runs(argv, "umount") && FixedThenOperand(argv, {"--"})) return UmountCommand{argv.back()};
  if (Runs(argv, "stat") && FixedThenOperand(argv, {"-L", "--printf=%f:%u:%g", "--"})) {
    return StatCommand{argv.back()};
  }
  if (Runs(argv, "mkdir")) return ParseMakeDir(argv);
  if (Runs(argv, "touch") && FixedThenOperand(argv, {"--"})) return TouchCommand{argv.back()};
  return std::nullopt;
}

}  // namespace nsenter::fakehost
