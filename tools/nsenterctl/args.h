// Command-line parsing for nsenterctl: long options of one subcommand, then
// operands.
//
// Options are "--name VALUE", "--name=VALUE" or a bare "--flag", and, for
// an option with a short name, "-n VALUE" or "-n" (one letter each). Parsing
// stops at "--" or at the first operand, so a command's own arguments are
// never taken for ours (as nsenter(1) does). Every mistake is a UsageError,
// which the CLI reports with exit status 2; "--help" or "-h" in place of an
// option is a HelpRequested, on which the CLI prints the command's help.
//
// Thread-safety: pure functions.
#ifndef TOOLS_NSENTERCTL_ARGS_H_
#define TOOLS_NSENTERCTL_ARGS_H_

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nsenterctl {

// A mistake in the command line; what() says which.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "--help" or "-h" was given among the options.
struct HelpRequested {};

struct OptionSpec {
  std::string name;         // Without the leading "--".
  bool takes_value = false;
  bool repeatable = false;  // Otherwise given at most once.
  char short_name = '\0';   // "-t" for 't'; none by default.
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // The value of a once-only option, or `fallback` when absent.
  std::string Value(const std::string& name, const std::string& fallback = "") const;
  // Every value of a repeatable option, in order.
  std::vector<std::string> Values(const std::string& name) const;
  const std::vector<std::string>& operands() const { return operands_; }

 private:
  friend ParsedArgs ParseArgs(const std::vector<std::string>&, const std::vector<OptionSpec>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> operands_;
};

// Throws UsageError "unexpected operand 'WORD'" if `args` has an operand.
void ExpectNoOperands(const ParsedArgs& args);

// Parses `args` (the words after the subcommand). Throws HelpRequested at
// "--help" or "-h" in place of an option (a value such as "--rootfs --help"
// is a value); UsageError for an unknown option, a missing value, a value
// given to a flag, or a repeated once-only option.
ParsedArgs ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);

// A positive duration: a decimal number with a unit, "ms", "s", "m" or "h"
// ("500ms", "1.5s", "2m", "1h"), or a bare number of seconds ("30", "0.5"),
// at most 999999999 of its unit and a whole number of milliseconds. Throws
// UsageError naming `text` and the accepted forms.
std::chrono::milliseconds ParseDuration(const std::string& text);

// `path` if it is an absolute path without NUL bytes; otherwise throws
// UsageError with the library's message, e.g. "path 'a/b' is not absolute"
// (`what` is "path" there).
const std::string& AbsolutePathOperand(std::string_view what, const std::string& path);

// `path` made absolute against the directory the user ran the command from:
// $BUILD_WORKING_DIRECTORY under `bazel run`, else the working directory.
std::string UserPath(const std::string& path);

// The value of the once-only option `name` (a file or directory of this
// machine) made absolute with UserPath, or `fallback` when the option is
// absent. Throws UsageError "--NAME is empty" when it is given empty.
std::string PathOption(const ParsedArgs& args, const std::string& name,
                       const std::string& fallback = "");

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_ARGS_H_
