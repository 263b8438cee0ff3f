#include "nsenter/realpath_output.h"

#include <array>
#include <string_view>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

// The strerror texts realpath prints in the C locale, and their codes.
constexpr std::array<std::pair<std::string_view, ErrorCode>, 5> kMessages = {{
    {"No such file or directory", ErrorCode::kNotFound},
    {"Not a directory", ErrorCode::kNotADirectory},
    {"Too many levels of symbolic links", ErrorCode::kLoop},
    {"Permission denied", ErrorCode::kPermissionDenied},
    {"File name too long", ErrorCode::kNameTooLong},
}};

// The last line of `text` that is not empty.
std::string_view LastLine(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const size_t newline = text.rfind('\n');
  return newline == std::string_view::npos ? text : text.substr(newline + 1);
}

}  // namespace

Result<std::string> ParseRealpathOutput(const std::string& output, const std::string& query) {
  if (output.size() < 2 || output.front() != '/' || output.back() != '\n') {
    return Error(ErrorCode::kInternal, "unexpected output from realpath for " + Quote(query) +
                                           ": " + Quote(output));
  }
  return output.substr(0, output.size() - 1);
}

Error RealpathFailure(const Error& error, const std::string& query, const std::string& mode) {
  const std::string subject = "realpath " + mode + " of " + Quote(query) + " on the host";
  if (error.code() != ErrorCode::kNonZeroExit) {
    return error.WithCode(error.code(), subject + " failed: " + error.message());
  }
  // A realpath without GNU's options (busybox's) takes "--" for a file name.
  if (error.stderr_data().find(": --: ") != std::string::npos) {
    return error.WithCode(ErrorCode::kExecFailed,
                          subject + ": the host's realpath does not understand " + mode +
                              " and -- (it is not GNU coreutils' realpath)");
  }
  const std::string_view line = LastLine(error.stderr_data());
  for (const auto& [text, code] : kMessages) {
    if (line.ends_with(std::string(": ") + std::string(text))) {
      return error.WithCode(code, subject + ": " + std::string(text));
    }
  }
  return error.WithCode(ErrorCode::kNonZeroExit,
                        subject + " exited with status " + std::to_string(error.exit_status()));
}

}  // namespace nsenter
