#include "fakehost/realpath_emulation.h"

#include <filesystem>
#include <string_view>

#include "fakehost/gnu_messages.h"
#include "nsenter/quote.h"

namespace nsenter::fakehost {
namespace {

// Applies one option letter; false if it is not emulated.
bool ApplyShortOption(char letter, RealpathInvocation& invocation, bool& has_mode) {
  switch (letter) {
    case 'e':
      invocation.mode = RealpathMode::kMustExist;
      has_mode = true;
      return true;
    case 'm':
      invocation.mode = RealpathMode::kAllowMissing;
      has_mode = true;
      return true;
    case 'z': invocation.zero_terminated = true; return true;
    default: return false;
  }
}

char LongOptionLetter(std::string_view option) {
  if (option == "--canonicalize-existing") return 'e';
  if (option == "--canonicalize-missing") return 'm';
  if (option == "--zero") return 'z';
  return 0;
}

}  // namespace

std::optional<RealpathInvocation> ParseRealpathCommand(const std::vector<std::string>& argv) {
  if (argv.empty() || std::filesystem::path(argv.front()).filename() != "realpath") {
    return std::nullopt;
  }
  RealpathInvocation invocation;
  invocation.program = argv.front();
  bool has_mode = false;
  bool options_ended = false;
  for (auto word = argv.begin() + 1; word != argv.end(); ++word) {
    const std::string& arg = *word;
    if (options_ended || arg.size() < 2 || arg.front() != '-') {
      invocation.names.push_back(arg);
    } else if (arg == "--") {
      options_ended = true;
    } else if (arg.starts_with("--")) {
      const char letter = LongOptionLetter(arg);
      if (letter == 0) return std::nullopt;
      ApplyShortOption(letter, invocation, has_mode);
    } else {
      for (const char letter : std::string_view(arg).substr(1)) {
        if (!ApplyShortOption(letter, invocation, has_mode)) return std::nullopt;
      }
    }
  }
  if (!has_mode || invocation.names.empty()) return std::nullopt;
  return invocation;
}

Result<Answer> RunRealpath(const FileView& view, const RealpathInvocation& invocation) {
  Answer answer;
  for (const std::string& name : invocation.names) {
    // realpath runs with the host's "/" as its working directory, and GNU's
    // canonicalization fails with ENOENT for an empty name.
    Result<std::string> resolved =
        name.empty()
            ? Result<std::string>(Error(ErrorCode::kNotFound, "empty name"))
            : ResolveRealpath(view, name.front() == '/' ? name : "/" + name, invocation.mode);
    if (resolved.ok()) {
      answer.stdout_data += *resolved;
      answer.stdout_data += invocation.zero_terminated ? '\0' : '\n';
      continue;
    }
    const std::optional<std::string_view> text = LookupErrorText(resolved.error().code());
    if (!text) {
      return Error(ErrorCode::kInternal, "realpath emulation has no message for the failure of " +
                                             Quote(name) + ": " + resolved.error().ToString());
    }
    answer.stderr_data +=
        invocation.program + ": " + QuoteFileName(name) + ": " + std::string(*text) + "\n";
    answer.exit_code = 1;
  }
  return answer;
}

}  // namespace nsenter::fakehost
