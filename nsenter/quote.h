// Quoting of untrusted bytes for error and log messages.
//
// Paths on Linux are arbitrary bytes except NUL; a message that names one must
// show it unambiguously and on one line. `Quote("/tmp/a b\n")` is
// `'/tmp/a b\n'`: printable ASCII as is, `\\` and `'` escaped, other bytes as
// C escapes (`\n`, `\t`, `\0`, `\xff`).
//
// Thread-safety: pure functions.
#ifndef NSENTER_QUOTE_H_
#define NSENTER_QUOTE_H_

#include <string>
#include <string_view>
#include <vector>

namespace nsenter {

// `text` in single quotes, escaped as described above.
std::string Quote(std::string_view text);

// The words quoted and joined by single spaces, for logging an argv.
std::string QuoteArgv(const std::vector<std::string>& argv);

}  // namespace nsenter

#endif  // NSENTER_QUOTE_H_
