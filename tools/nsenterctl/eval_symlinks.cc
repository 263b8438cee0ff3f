// nsenterctl eval-symlinks: resolve a path on the host.
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"must-exist", false, false});
  specs.push_back({"json", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().size() != 1) throw UsageError("expected exactly one PATH");
  const std::string& path = AbsolutePathOperand("path", args.operands()[0]);

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  nsenter::Result<std::string> resolved =
      (*host)->nsenter().EvalSymlinks(path, args.Has("must-exist"));
  if (!resolved.ok()) return Fail((*host)->Describe(resolved.error()));
  PrintPathAnswer(args.Has("json"), path, "resolved", *resolved);
  return 0;
}

}  // namespace

const Command kEvalSymlinks = {
    "eval-symlinks", "resolve a path on the host",
    "usage: nsenterctl eval-symlinks [HOST OPTIONS] [--must-exist] [--json] [--] PATH\n\n"
    "Resolves every symbolic link of the absolute host path PATH on the host, with\n"
    "realpath -m (or -e with --must-exist), and prints the result byte for byte.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --must-exist   fail unless every component exists\n"
        "  --json         print {\"path\", \"resolved\"} (bytes that are not UTF-8 are\n"
        "                 replaced)\n",
    Run};

}  // namespace nsenterctl
