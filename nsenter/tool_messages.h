// The error a host file tool reported, from its message: coreutils' realpath,
// stat, mkdir and touch print "PROGRAM: <what>: <strerror text>" (in the
// C locale, which the library runs them in) and exit non-zero. The code is
// ErrorCodeFromErrno of the errno whose text ends the message, so a host
// tool's failure has the code the same failure of a system call has natively.
//
// Known texts: "No such file or directory" (kNotFound), "Not a directory"
// (kNotADirectory), "File exists" (kAlreadyExists), "Too many levels of
// symbolic links" (kLoop), "Permission denied" and "Operation not permitted"
// (kPermissionDenied), "Read-only file system" (kPermissionDenied), "File
// name too long" (kNameTooLong).
//
// Thread-safety: a pure function.
#ifndef NSENTER_TOOL_MESSAGES_H_
#define NSENTER_TOOL_MESSAGES_H_

#include <optional>
#include <string_view>

#include "nsenter/error.h"

namespace nsenter {

// What a tool's failure said it failed with.
struct ReportedError {
  ErrorCode code;
  std::string_view text;  // The strerror text, e.g. "Not a directory".
};

// The error that ends the last non-empty line of `stderr_data` (after ": "),
// or nothing when that line ends with no known text.
std::optional<ReportedError> ReportedErrorOf(std::string_view stderr_data);

}  // namespace nsenter

#endif  // NSENTER_TOOL_MESSAGES_H_
