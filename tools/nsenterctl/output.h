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

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_OUTPUT_H_
