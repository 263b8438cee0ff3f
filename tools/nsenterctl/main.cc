// nsenterctl: discover host binaries, resolve host paths and run commands on
// the host from a privileged container, with the nsenter library.
#include <iostream>
#include <string>
#include <vector>

#include "tools/nsenterctl/args.h"
#include "tools/nsenterctl/commands.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: nsenterctl COMMAND [OPTIONS] [ARGS]\n\n"
         "Acts on the host from a privileged container that mounts the host's / at a\n"
         "host root (default /rootfs) and shares its PID namespace.\n\ncommands:\n";
  for (const nsenterctl::Command& command : nsenterctl::Commands()) {
    out << "  " << command.name << std::string(16 - command.name.size(), ' ') << command.summary
        << "\n";
  }
  out << "\n'nsenterctl COMMAND --help' describes one command.\n"
         "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    PrintUsage(std::cerr);
    return 2;
  }
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const nsenterctl::Command& command : nsenterctl::Commands()) {
    if (words[0] != command.name) continue;
    const std::vector<std::string> args(words.begin() + 1, words.end());
    try {
      return command.run(args);
    } catch (const nsenterctl::HelpRequested&) {
      std::cout << command.usage;
      return 0;
    } catch (const nsenterctl::UsageError& error) {
      std::cerr << "nsenterctl " << command.name << ": " << error.what() << "\n"
                << "Try 'nsenterctl " << command.name << " --help'.\n";
      return 2;
    }
  }
  std::cerr << "nsenterctl: unknown command '" << words[0] << "'\n"
            << "Try 'nsenterctl --help'.\n";
  return 2;
}
