// Interpreting what GNU realpath(1) prints, for EvalSymlinks.
//
// realpath prints the resolved path and one newline; names may themselves
// end in blanks or contain newlines, so exactly one terminator is removed and
// nothing is trimmed. On failure it prints "realpath: <name>: <strerror>" (in
// the C locale) and exits 1; the <strerror> text gives the error code.
//
// Thread-safety: pure functions.
#ifndef NSENTER_REALPATH_OUTPUT_H_
#define NSENTER_REALPATH_OUTPUT_H_

#include <string>

#include "nsenter/error.h"

namespace nsenter {

// The path realpath printed for `query`. kInternal, quoting the output, when
// it is not one absolute path followed by a newline (e.g. a realpath that
// does not understand -e/-m printed its usage text).
Result<std::string> ParseRealpathOutput(const std::string& output, const std::string& query);

// The error of a failed `realpath <mode> -- query` run: the code comes from
// realpath's message (kNotFound, kNotADirectory, kLoop, kPermissionDenied,
// kNameTooLong), the message names the query; exit status and output are kept.
// A realpath that took "--" for a file name (busybox's, which has no options)
// is kExecFailed, saying so.
// Errors that are not a non-zero exit (timeout, exec failure, ...) keep their
// code and get a message naming the query.
Error RealpathFailure(const Error& error, const std::string& query, const std::string& mode);

}  // namespace nsenter

#endif  // NSENTER_REALPATH_OUTPUT_H_
