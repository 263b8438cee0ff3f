// Errors and results of the nsenter library.
//
// Every fallible call returns `Result<T>`: either a value or an `Error`. An
// `Error` has a code from a small closed set, a message that names the input it
// is about, and — where a process ran — that process's exit status and
// captured output.
//
// Example:
//   nsenter::Result<std::string> host_path = ns->EvalSymlinks("/var/lib/kubelet", true);
//   if (!host_path.ok()) {
//     if (host_path.error().code() == nsenter::ErrorCode::kNotFound) { ... }
//     std::cerr << host_path.error().ToString() << "\n";
//   }
//
// Thread-safety: `Error` and `Result` are values; distinct objects may be used
// from distinct threads, and const access to one object is safe.
#ifndef NSENTER_ERROR_H_
#define NSENTER_ERROR_H_

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nsenter {

// The closed set of error codes.
enum class ErrorCode {
  kInvalidArgument,   // Bad input: empty, relative, NUL byte, bad option.
  kNotFound,          // A file, binary or namespace does not exist.
  kLoop,              // Too many levels of symbolic links.
  kNotADirectory,     // A path component is not a directory.
  kPermissionDenied,  // The caller may not access or execute something.
  kNameTooLong,       // A name or path exceeds the system's limits.
  kExecFailed,        // A process could not be started.
  kNonZeroExit,       // A process ran and exited with a non-zero status.
  kTimeout,           // A process outlived its deadline and was killed.
  kSignalled,         // A process was killed by a signal.
  kStopped,           // A process was ended by Cmd::Stop.
  kNotMounted,        // An unmount target is not a mount point.
  kAlreadyExists,     // A file to be created exists already.
  kBadFixture,        // A fakehost fixture is malformed or inconsistent.
  kUnsupported,       // Declined by design: e.g. a procfs link such as
                      // /proc/self/root, whose target depends on the process
                      // that follows it, so no answer would match the host's.
  kInternal,          // A system call failed unexpectedly.
};

// "invalid argument", "not found", ... — stable, lower-case names.
std::string_view ErrorCodeName(ErrorCode code);
inline std::ostream& operator<<(std::ostream& out, ErrorCode code) {
  return out << ErrorCodeName(code);
}

// What went wrong. Process details are present only where a process ran.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  // An error about a process that ran: `exit_status` is its exit status (or
  // -1 when it did not exit normally), `stdout`/`stderr` what it printed, as
  // far as it was captured.
  static Error FromProcess(ErrorCode code, std::string message, int exit_status,
                           std::string stdout_data, std::string stderr_data);
  // kSignalled: a process killed by signal `signal_number`.
  static Error FromSignal(std::string message, int signal_number, std::string stdout_data,
                          std::string stderr_data);

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool has_exit_status() const { return exit_status_ >= 0; }
  int exit_status() const { return exit_status_; }
  // The signal that killed the process (kSignalled), else 0.
  int signal_number() const { return signal_number_; }
  const std::string& stdout_data() const { return stdout_; }
  const std::string& stderr_data() const { return stderr_; }

  // "<code name>: <message>", followed by the captured stderr, if any.
  std::string ToString() const;

  // A copy with another code and message, keeping the process details.
  Error WithCode(ErrorCode code, std::string message) const;

  // A copy with other captured output, keeping the code, message and status.
  Error WithOutput(std::string stdout_data, std::string stderr_data) const;

 private:
  ErrorCode code_;
  std::string message_;
  int exit_status_ = -1;
  int signal_number_ = 0;
  std::string stdout_;
  std::string stderr_;
};

// Either a T or an Error. Accessing the wrong alternative is a programming
// error and aborts (std::bad_variant_access).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design.
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design.

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit.

  bool ok() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

// Maps an errno value of a file operation to the closest code (ENOENT →
// kNotFound, ELOOP → kLoop, ENOTDIR → kNotADirectory, EACCES, EPERM and
// EROFS (a read-only file system) → kPermissionDenied, ...; anything else →
// kInternal).
ErrorCode ErrorCodeFromErrno(int errno_value);

}  // namespace nsenter

#endif  // NSENTER_ERROR_H_
