#include "nsenter/realpath_output.h"

#include <optional>
#include <string_view>

#include "nsenter/quote.h"
#include "nsenter/tool_messages.h"

namespace nsenter {

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
  if (const std::optional<ReportedError> reported = ReportedErrorOf(error.stderr_data())) {
    return error.WithCode(reported->code, subject + ": " + std::string(reported->text));
  }
  return error.WithCode(ErrorCode::kNonZeroExit,
                        subject + " exited with status " + std::to_string(error.exit_status()));
}

}  // namespace nsenter
