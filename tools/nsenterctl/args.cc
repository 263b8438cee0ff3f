#include "tools/nsenterctl/args.h"

#include <unistd.h>

#include <cstdlib>

namespace nsenterctl {
namespace {

const OptionSpec* FindSpec(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const OptionSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

std::string ParsedArgs::Value(const std::string& name, const std::string& fallback) const {
  const auto found = values_.find(name);
  return found == values_.end() ? fallback : found->second.front();
}

std::vector<std::string> ParsedArgs::Values(const std::string& name) const {
  const auto found = values_.find(name);
  return found == values_.end() ? std::vector<std::string>{} : found->second;
}

ParsedArgs ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
  ParsedArgs parsed;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") {
      ++i;
      break;
    }
    if (word == "--help" || word == "-h") throw HelpRequested{};
    if (word.size() < 2 || word.compare(0, 2, "--") != 0) {
      if (word.size() > 1 && word[0] == '-') throw UsageError("unknown option '" + word + "'");
      break;
    }
    const size_t equals = word.find('=');
    const std::string name = word.substr(2, equals == std::string::npos ? std::string::npos
                                                                        : equals - 2);
    const OptionSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) throw UsageError("unknown option '--" + name + "'");
    if (!spec->repeatable && parsed.Has(name)) {
      throw UsageError("option '--" + name + "' given more than once");
    }
    std::string value;
    if (spec->takes_value) {
      if (equals != std::string::npos) {
        value = word.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        throw UsageError("option '--" + name + "' needs a value");
      }
    } else if (equals != std::string::npos) {
      throw UsageError("option '--" + name + "' takes no value");
    }
    parsed.values_[name].push_back(value);
  }
  parsed.operands_.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return parsed;
}

std::chrono::milliseconds ParseDuration(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  if (digits == 0 || digits > 9 || (unit != "" && unit != "ms" && unit != "s" && unit != "m")) {
    throw UsageError("invalid duration '" + text + "' (want e.g. 500ms, 30s, 2m)");
  }
  const long number = std::stol(text.substr(0, digits));
  if (number == 0) throw UsageError("duration '" + text + "' must be positive");
  if (unit == "ms") return std::chrono::milliseconds(number);
  if (unit == "m") return std::chrono::minutes(number);
  return std::chrono::seconds(number);
}

std::string UserPath(const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY"); dir != nullptr && *dir != '\0') {
    return std::string(dir) + "/" + path;
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

}  // namespace nsenterctl
