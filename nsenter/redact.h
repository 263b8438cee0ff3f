// Keeping secrets (passwords, keys passed as arguments) out of the texts the
// library makes: log lines, error messages, and the output kept in errors.
//
// A secret is a byte string; every occurrence of it is masked, and so is
// every occurrence of its quoted form (the bytes between the quotes of
// `Quote(secret)`), which a message that quotes an argument holds instead.
// The occurrences are all found in the original text, overlapping ones
// included, and each maximal run of bytes they cover is replaced by one
// "<masked>": secrets that overlap or touch are masked whole, as one, and a
// secret's bytes inside "<masked>" itself are never matched. Empty secrets
// are ignored; a short secret is masked wherever its bytes appear, inside
// other words too (safe, if less readable).
//
// What is not masked: a secret's bytes split or transformed otherwise (e.g.
// only the value of "password=VALUE" echoed by a program, when the secret is
// the whole option), and what a command writes to the caller's descriptors
// or output handlers, which is the program's own and passed on unchanged.
//
// Thread-safety: pure functions; a RedactingCmd is a Cmd (exec.h).
#ifndef NSENTER_REDACT_H_
#define NSENTER_REDACT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/exec.h"

namespace nsenter {

// What secrets are replaced by.
inline constexpr std::string_view kMasked = "<masked>";

// `text` with every secret masked.
std::string Redact(std::string text, const std::vector<std::string>& secrets);

// `error` with every secret masked in its message, stdout and stderr.
Error Redact(const Error& error, const std::vector<std::string>& secrets);

// `args`, each with every secret masked.
std::vector<std::string> Redact(std::vector<std::string> args,
                                const std::vector<std::string>& secrets);

// A Cmd that runs as `cmd` does, every error it returns masked (Redact);
// output returned on success, and output streamed to descriptors or
// handlers, is not changed.
std::unique_ptr<Cmd> MakeRedactingCmd(std::unique_ptr<Cmd> cmd, std::vector<std::string> secrets);

}  // namespace nsenter

#endif  // NSENTER_REDACT_H_
