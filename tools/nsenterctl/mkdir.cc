// nsenterctl mkdir: makes a directory on the host, as mkdir(1), or below a
// base that no symlink may lead out of (SafeMakeDir).
#include <sys/types.h>

#include <optional>

#include "nsenter/host_path.h"
#include "nsenter/mount/host_files.h"
#include "nsenter/mount/mount_args.h"
#include "nsenter/mount/safe_make_dir.h"
#include "nsenter/quote.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"

namespace nsenterctl {
namespace {

// --mode's value: 1 to 4 octal digits ("0750", "2775"), nothing else.
mode_t ModeOption(const std::string& text) {
  const std::optional<mode_t> mode = nsenter::ParseOctalMode(text);
  if (!mode) {
    throw UsageError("invalid --mode " + nsenter::Quote(text) +
                     " (want an octal mode of at most 4 digits, such as 0750)");
  }
  return *mode;
}

// `path` relative to the clean path `base`, once cleaned: "/v/a/../b" below
// "/v" is "b". Throws UsageError unless it is strictly below `base`.
std::string SubdirBelow(const std::string& path, const std::string& base) {
  const std::string clean_path = nsenter::CleanAbsolutePath(path);
  const std::string prefix = base == "/" ? base : base + "/";
  if (!clean_path.starts_with(prefix) || clean_path.size() == prefix.size()) {
    throw UsageError("path " + nsenter::Quote(path) + " is not below --safe-under " +
                     nsenter::Quote(base));
  }
  return clean_path.substr(prefix.size());
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"parents", false, false, 'p'});
  specs.push_back({"mode", true, false, 'm'});
  specs.push_back({"safe-under", true, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().size() != 1) throw UsageError("expected exactly one PATH");
  const std::string& path = AbsolutePathOperand("path", args.operands()[0]);
  std::optional<mode_t> mode;
  if (args.Has("mode")) mode = ModeOption(args.Value("mode"));
  std::optional<std::string> base;  // Clean.
  std::optional<std::string> subdir;
  if (args.Has("safe-under")) {
    const std::string& given = args.Value("safe-under");
    base = nsenter::CleanAbsolutePath(AbsolutePathOperand("--safe-under", given));
    subdir = SubdirBelow(path, *base);
    if (args.Has("fixture") && args.Value("backend", "nsenter") != "native") {
      throw UsageError(
          "mkdir --safe-under with --fixture works on the host's files themselves, which the "
          "replayed fixture does not have; use --backend native, which writes them to a "
          "temporary directory");
    }
  }

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::HostFiles files((*host)->nsenter(), MounterOptions(**host));
  nsenter::Status made;
  if (subdir) {
    // Without --mode, the base's own mode, as kubelet makes a subPath.
    nsenter::Result<mode_t> base_mode =
        mode ? nsenter::Result<mode_t>(*mode) : files.GetMode(*base);
    made = base_mode.ok() ? nsenter::SafeMakeDir((*host)->nsenter(), *subdir, *base, *base_mode)
                          : nsenter::Status(base_mode.error());
  } else {
    made = files.MakeDir(path, {.parents = args.Has("parents"), .mode = mode});
  }
  if (!made.ok()) return Fail(DescribeWithHostMessage(**host, made.error()));
  return 0;
}

}  // namespace

const Command kMkdir = {
    "mkdir", "make a directory on the host",
    "usage: nsenterctl mkdir [HOST OPTIONS] [-p] [-m MODE] [--safe-under BASE]\n"
    "                        [--] PATH\n\n"
    "Makes the directory at the absolute host path PATH, as mkdir(1) on the host:\n"
    "through nsenter the host's 'mkdir [-p] [-m MODE] -- PATH', natively\n"
    "mkdirat(2) in the host root, never following a symlink that appears\n"
    "meanwhile. Prints nothing on success.\n\n"
    "With --safe-under BASE, PATH must be below BASE (after '.' and '..' are\n"
    "applied), BASE must exist, and every missing directory from BASE to PATH is\n"
    "made (as with --parents, which changes nothing there), each with MODE, or\n"
    "without --mode with BASE's own mode, as kubelet makes a subPath. Any symlink\n"
    "between BASE and PATH, present or swapped in meanwhile, is refused (exit\n"
    "status 1), never followed, in both backends.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  -p, --parents        make missing parents too; an existing directory is no\n"
        "                       error\n"
        "  -m, --mode MODE      the mode of the directory made, exactly (no umask): 1\n"
        "                       to 4 octal digits, such as 0750; the parents --parents\n"
        "                       makes, and an existing directory, are left as mkdir(1)\n"
        "                       leaves them\n"
        "  --safe-under BASE    make PATH below BASE, refusing any symlink on the way\n",
    Run};

}  // namespace nsenterctl
