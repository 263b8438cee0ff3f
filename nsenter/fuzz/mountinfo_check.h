// The properties the mountinfo fuzzer checks on every input (the parser of
// nsenter/mount/mountinfo.h):
//   - parsing never crashes, and a refusal names its line ("mountinfo line N");
//   - a parsed table, written out again as the kernel writes it (octal
//     escapes for space, tab, newline, backslash, and commas in options),
//     parses back to the same table.
//
// Thread-safety: a pure function of its argument.
#ifndef NSENTER_FUZZ_MOUNTINFO_CHECK_H_
#define NSENTER_FUZZ_MOUNTINFO_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/mount/mountinfo.h"

namespace nsenter {

// `table` as mountinfo text, one line per mount.
std::string WriteMountInfo(const std::vector<MountInfo>& table);

// A description of the broken property, or nullopt if all hold.
std::optional<std::string> CheckMountInfoInput(std::string_view input);

}  // namespace nsenter

#endif  // NSENTER_FUZZ_MOUNTINFO_CHECK_H_
