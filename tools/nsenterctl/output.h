// How nsenterctl prints results on stdout.
#ifndef TOOLS_NSENTERCTL_OUTPUT_H_
#define TOOLS_NSENTERCTL_OUTPUT_H_

#include <string>

#include <nlohmann/json.hpp>

namespace nsenterctl {

// `value` as JSON and a newline; `indent` as nlohmann's dump (-1: one line).
// Bytes that are not UTF-8 are replaced by U+FFFD.
void PrintJson(const nlohmann::ordered_json& value, int indent = -1);

// A path answer for `path`: with `json`, {"path": path, key: answer};
// otherwise the answer's bytes, exactly, and a newline.
void PrintPathAnswer(bool json, const std::string& path, const std::string& key,
                     const std::string& answer);

// Routes std::cout through a buffer that remembers the first failed
// write(2), and makes a write to a closed pipe fail with EPIPE instead of
// killing the process with SIGPIPE (children started by the library get
// every signal's default disposition back). Call once, first thing in main.
void SetUpStdout();

// Flushes std::cout and gives it its own buffer back (call once, last thing
// in main), as coreutils' close_stdout does: returns `status` if
// everything written reached stdout; otherwise 1, after "nsenterctl: write
// error: REASON" on stderr (e.g. "No space left on device"), except for a
// closed pipe (EPIPE), which is quiet.
int FinishStdout(int status);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_OUTPUT_H_
