#include "nsenter/mount/host_command.h"

#include <memory>
#include <utility>

#include "nsenter/quote.h"
#include "nsenter/redact.h"

namespace nsenter {

Result<std::string> RunHostCommand(const Nsenter& ns, const std::string& program,
                                   const std::vector<std::string>& args,
                                   const std::vector<std::string>& secrets) {
  std::unique_ptr<Cmd> cmd =
      secrets.empty() ? ns.Exec(program, args) : ns.ExecWithSecrets(program, args, secrets);
  std::vector<std::string> env = ns.HostEnvironment();
  env.emplace_back("LC_ALL=C");  // Messages to recognise.
  cmd->SetEnv(std::move(env));
  Result<std::string> output = cmd->Output();
  if (output.ok()) return output;
  return output.error().WithCode(
      output.error().code(),
      program + " " + QuoteArgv(Redact(args, secrets)) + ": " + output.error().message());
}

}  // namespace nsenter
