// nsenterctl: discover host binaries, resolve host paths and run commands on
// the host from a privileged container, with the nsenter library.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <string_view>
#include <string>
#include <vector>

#include "nsenter/quote.h"
#include "tools/nsenterctl/args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/output.h"
#include "tools/nsenterctl_version_info.h"

namespace nsenterctl {
namespace {

// The exit statuses of every command: the one table of them (README.md shows
// this --help).
constexpr char kExitStatusHelp[] =
    "exit status:\n"
    "  0      success\n"
    "  1      the operation failed; a message on stderr says why\n"
    "  2      bad usage, or input refused before anything ran: an unknown option,\n"
    "         a relative or empty PATH, a malformed DURATION or MODE, a mount\n"
    "         option that could carry another\n"
    "  exec exits with CMD's own exit status, or:\n"
    "  124    CMD was killed after --timeout (as timeout(1))\n"
    "  126    CMD was found but could not be started\n"
    "  127    CMD was not found\n"
    "  128+N  CMD was killed by signal N\n"
    "  and with 1 or 2 as above when it fails before starting CMD.\n";

// The synopsis of `command` for the general help: the first paragraph of its
// usage, "usage: nsenterctl probe ..." as "  nsenterctl probe ...", its
// continuation lines moved left by as much, so it fits where the usage does.
std::string Synopsis(const Command& command) {
  constexpr size_t kShift = std::string_view("usage: ").size() - std::string_view("  ").size();
  const std::string usage = command.usage.substr(0, command.usage.find("\n\n"));
  std::string synopsis = "  ";
  for (size_t start = std::string_view("usage: ").size(), end; start < usage.size();
       start = end + 1 + kShift) {
    end = std::min(usage.find('\n', start), usage.size());
    synopsis += usage.substr(start, end - start) + "\n";
  }
  return synopsis;
}

void PrintUsage(std::ostream& out) {
  out << "usage: nsenterctl COMMAND [OPTIONS] [ARGS]\n"
         "       nsenterctl help [COMMAND]\n"
         "       nsenterctl --version\n\n"
         "Acts on the host from a privileged container that mounts the host's / at a\n"
         "host root (default /rootfs) and shares its PID namespace.\n\ncommands:\n";
  for (const Command& command : Commands()) {
    out << Synopsis(command) << "      " << command.summary << "\n";
  }
  out << "\nhost options (every command but kubelet-path, propagation and record):\n"
      << kHostOptionsHelp << "\n"
      << kExitStatusHelp
      << "\n'nsenterctl help COMMAND', 'nsenterctl --help COMMAND' or\n"
         "'nsenterctl COMMAND --help' describes one command.\n";
}

constexpr char kHelpUsage[] =
    "usage: nsenterctl help [COMMAND]\n"
    "       nsenterctl --help [COMMAND]\n\n"
    "Prints the help of COMMAND (as 'nsenterctl COMMAND --help' does), or without\n"
    "COMMAND the help of nsenterctl.\n";

const Command* FindCommand(const std::string& name) {
  for (const Command& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

int UnknownCommand(const std::string& name) {
  std::cerr << "nsenterctl: unknown command " << nsenter::Quote(name) << "\n"
            << "Try 'nsenterctl --help'.\n";
  return 2;
}

// `nsenterctl help [COMMAND]`, or its synonym `nsenterctl --help [COMMAND]`
// (as git and pip take it): `words` are the words after "help".
// A --help or -h after COMMAND asks for the same help ("help exec --help").
int Help(std::vector<std::string> words) {
  if (words.size() == 2 && (words[1] == "--help" || words[1] == "-h")) words.pop_back();
  if (words.empty()) {
    PrintUsage(std::cout);
    return 0;
  }
  if (words.size() > 1) {
    std::cerr << "nsenterctl help: expected at most one COMMAND\n"
              << "Try 'nsenterctl help help'.\n";
    return 2;
  }
  const std::string& name = words[0];
  if (name == "help" || name == "--help" || name == "-h") {
    std::cout << kHelpUsage;
    return 0;
  }
  const Command* command = FindCommand(name);
  if (command == nullptr) return UnknownCommand(name);
  std::cout << command->usage;
  return 0;
}

int Version(const std::vector<std::string>& words) {
  if (!words.empty()) {
    std::cerr << "nsenterctl --version: unexpected operand " << nsenter::Quote(words[0]) << "\n"
              << "Try 'nsenterctl --help'.\n";
    return 2;
  }
  std::cout << "nsenterctl " << kVersion << " (commit " << kCommit << ")\n";
  return 0;
}

int RunCommand(const Command& command, const std::vector<std::string>& args) {
  try {
    return command.run(args);
  } catch (const HelpRequested&) {
    std::cout << command.usage;
    return 0;
  } catch (const UsageError& error) {
    std::cerr << "nsenterctl " << command.name << ": " << error.what() << "\n"
              << "Try 'nsenterctl " << command.name << " --help'.\n";
    return 2;
  }
}

int Main(const std::vector<std::string>& words) {
  if (words.empty()) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  if (words[0] == "help" || words[0] == "--help" || words[0] == "-h") return Help(rest);
  if (words[0] == "--version") return Version(rest);
  const Command* command = FindCommand(words[0]);
  if (command == nullptr) return UnknownCommand(words[0]);
  return RunCommand(*command, rest);
}

// Opens /dev/null on each of stdin, stdout and stderr that is closed, as
// coreutils' xstdopen does, so that no descriptor opened later (a pipe, a
// namespace file) can become one of them, to be read, written or passed to a
// host program as such. Stdin reads nothing; stdout and stderr are opened
// read-only, so that writing to them fails (EBADF) as writing to a closed
// descriptor would. Call first, before anything opens a descriptor.
void OpenClosedStandardDescriptors() {
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    // open() takes the lowest free descriptor: `fd`, as those below it are open.
    if (open("/dev/null", O_RDONLY) != fd) _exit(1);  // No /dev/null: nothing to say it on.
  }
}

}  // namespace
}  // namespace nsenterctl

int main(int argc, char** argv) {
  nsenterctl::OpenClosedStandardDescriptors();
  nsenterctl::SetUpStdout();
  return nsenterctl::FinishStdout(nsenterctl::Main(std::vector<std::string>(argv + 1, argv + argc)));
}
