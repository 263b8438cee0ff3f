// The wording of GNU tools' diagnostics in the C locale, for fakes that must
// print byte for byte what the real tools print (e.g. `realpath: NAME: No
// such file or directory`).
//
// Example:
//   QuoteFileName("/nonexist dir/x")  // "'/nonexist dir/x'"
//   QuoteFileName("/tmp/it's")        // "\"/tmp/it's\""
//   QuoteFileName("/tmp/a\nb")        // "'/tmp/a'$'\\n''b'"
//   LookupErrorText(ErrorCode::kLoop) // "Too many levels of symbolic links"
//
// Thread-safety: pure functions.
#ifndef FAKEHOST_GNU_MESSAGES_H_
#define FAKEHOST_GNU_MESSAGES_H_

#include <optional>
#include <string>
#include <string_view>

#include "nsenter/error.h"

namespace nsenter::fakehost {

// A file name as coreutils quotes it in diagnostics (`quotef`: gnulib's
// quotearg in shell-escape style, with ':' quoted too), in the C locale:
//   - unchanged if it is not empty and every byte is plain: an ASCII letter
//     or digit, one of % + , - . / ] _ @, or one of { } # ~ where a shell
//     would not expand it (not "{" or "}" as the whole name, not "#" or "~"
//     as the first byte);
//   - else in double quotes if it contains a single quote and otherwise only
//     letters, digits, % + , - . / : ] _ @, spaces, and "#" or "~" first;
//   - else in single quotes, a single quote written as '\'' and every
//     non-printable byte (controls, DEL, every byte >= 0x80) as a $'...'
//     escape: \a \b \t \n \v \f \r, else three octal digits; as coreutils
//     9.1 does, a name with a single quote whose last byte is not printable
//     starts as if a $'...' escape were open: "''" before a printable first
//     byte ("/tmp/it's\n" is '''/tmp/it'\''s'$'\n'), no "$'" before a
//     non-printable one.
std::string QuoteFileName(std::string_view name);

// A file name as coreutils' `quoteaf` quotes it (stat, touch): as
// QuoteFileName, and in single quotes where QuoteFileName would print it bare
// ("/tmp/x" is "'/tmp/x'").
std::string QuoteFileNameAlways(std::string_view name);

// A file name as coreutils' `quote` quotes it (mkdir) in the C locale: in
// single quotes, with a backslash before a single quote or a backslash, C
// escapes (\n, \t, ...) for those controls that have one, and three octal
// digits for every other byte that is not printable ASCII.
std::string QuoteLocale(std::string_view name);

// The strerror(3) text, in the C locale, of the errno behind each code a file
// lookup fails with (kNotFound: ENOENT, kNotADirectory: ENOTDIR, kLoop: ELOOP,
// kPermissionDenied: EACCES, kNameTooLong: ENAMETOOLONG); nullopt for others.
std::optional<std::string_view> LookupErrorText(ErrorCode code);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_GNU_MESSAGES_H_
