#include "nsenter/error.h"

#include <cerrno>

namespace nsenter {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kLoop: return "symlink loop";
    case ErrorCode::kNotADirectory: return "not a directory";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kNameTooLong: return "name too long";
    case ErrorCode::kExecFailed: return "exec failed";
    case ErrorCode::kNonZeroExit: return "non-zero exit";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kSignalled: return "signalled";
    case ErrorCode::kStopped: return "stopped";
    case ErrorCode::kNotMounted: return "not mounted";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kBadFixture: return "bad fixture";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

Error Error::FromProcess(ErrorCode code, std::string message, int exit_status,
                         std::string stdout_data, std::string stderr_data) {
  Error error(code, std::move(message));
  error.exit_status_ = exit_status;
  error.stdout_ = std::move(stdout_data);
  error.stderr_ = std::move(stderr_data);
  return error;
}

Error Error::FromSignal(std::string message, int signal_number, std::string stdout_data,
                        std::string stderr_data) {
  Error error = FromProcess(ErrorCode::kSignalled, std::move(message), -1, std::move(stdout_data),
                            std::move(stderr_data));
  error.signal_number_ = signal_number;
  return error;
}

std::string Error::ToString() const {
  std::string text(ErrorCodeName(code_));
  text += ": ";
  text += message_;
  if (!stderr_.empty()) {
    text += "; stderr: ";
    text += stderr_;
    while (!text.empty() && text.back() == '\n') text.pop_back();
  }
  return text;
}

Error Error::WithCode(ErrorCode code, std::string message) const {
  Error copy = *this;
  copy.code_ = code;
  copy.message_ = std::move(message);
  return copy;
}

Error Error::WithOutput(std::string stdout_data, std::string stderr_data) const {
  Error copy = *this;
  copy.stdout_ = std::move(stdout_data);
  copy.stderr_ = std::move(stderr_data);
  return copy;
}

ErrorCode ErrorCodeFromErrno(int errno_value) {
  switch (errno_value) {
    case ENOENT: return ErrorCode::kNotFound;
    case ELOOP: return ErrorCode::kLoop;
    case ENOTDIR: return ErrorCode::kNotADirectory;
    case EEXIST: return ErrorCode::kAlreadyExists;
    case EACCES:
    case EPERM:
    case EROFS: return ErrorCode::kPermissionDenied;
    case ENAMETOOLONG: return ErrorCode::kNameTooLong;
    case EINVAL: return ErrorCode::kInvalidArgument;
    default: return ErrorCode::kInternal;
  }
}

}  // namespace nsenter
