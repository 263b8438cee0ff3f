#include "nsenter/mount/host_command.h"

#include <memory>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {

Result<std::string> RunHostCommand(const Nsenter& ns, const std::string& program,
                                   const std::vector<std::string>& args,
                                   const std::vector<std::string>& shown_args) {
  std::unique_ptr<Cmd> cmd = ns.Exec(program, args);
  std::vector<std::string> env = ns.HostEnvironment();
  env.emplace_back("LC_ALL=C");  // Messages to recognise.
  cmd->SetEnv(std::move(env));
  Result<std::string> output = cmd->Output();
  if (output.ok()) return output;
  return output.error().WithCode(output.error().code(), program + " " + QuoteArgv(shown_args) +
                                                            ": " + output.error().message());
}

}  // namespace nsenter
