// nsenterctl exec: run a command in the host mount namespace.
#include <unistd.h>

#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"

namespace nsenterctl {
namespace {

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"timeout", true, false});
  const ParsedArgs args = ParseArgs(words, specs);
  if (args.operands().empty()) throw UsageError("expected a command after '--'");
  std::optional<std::chrono::milliseconds> timeout;
  if (args.Has("timeout")) timeout = ParseDuration(args.Value("timeout"));

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const std::vector<std::string>& operands = args.operands();
  std::unique_ptr<nsenter::Cmd> cmd = (*host)->nsenter().Exec(
      operands[0], std::vector<std::string>(operands.begin() + 1, operands.end()));
  cmd->SetStdout(STDOUT_FILENO);
  cmd->SetStderr(STDERR_FILENO);
  if (timeout) cmd->SetTimeout(*timeout);
  const nsenter::Status status = cmd->Run();
  if (status.ok()) return 0;
  const nsenter::Error& error = status.error();
  // The command ran and failed: its own output said why; pass its status on.
  if (error.code() == nsenter::ErrorCode::kNonZeroExit) return error.exit_status();
  Fail(error.message());
  return error.has_exit_status() ? error.exit_status() : 1;
}

}  // namespace

const Command kExec = {
    "exec", "run a command in the host mount namespace",
    "usage: nsenterctl exec [HOST OPTIONS] [--timeout DURATION] -- CMD [ARGS...]\n\n"
    "Runs CMD (a discovered host binary such as mount, or a name looked up on the\n"
    "host's PATH) in the host mount namespace, with this process's stdout and\n"
    "stderr, and exits with CMD's exit status (see 'nsenterctl --help').\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --timeout DURATION  kill CMD after DURATION: a number of seconds, or a\n"
        "                 number with a unit ms, s, m or h (500ms, 1.5s, 30, 2m, 1h)\n",
    Run};

}  // namespace nsenterctl
