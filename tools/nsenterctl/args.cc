#include "tools/nsenterctl/args.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "nsenter/host_path.h"
#include "nsenter/quote.h"

namespace nsenterctl {
namespace {

const OptionSpec* FindSpec(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const OptionSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// The spec of "-X", a short option.
const OptionSpec* FindShortSpec(const std::vector<OptionSpec>& specs, char letter) {
  for (const OptionSpec& spec : specs) {
    if (spec.short_name != '\0' && spec.short_name == letter) return &spec;
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
    const bool is_long = word.size() > 2 && word.compare(0, 2, "--") == 0;
    const OptionSpec* short_spec =
        word.size() == 2 && word[0] == '-' ? FindShortSpec(specs, word[1]) : nullptr;
    if (!is_long && short_spec == nullptr) {
      if (word.size() > 1 && word[0] == '-') {
        throw UsageError("unknown option " + nsenter::Quote(word));
      }
      break;
    }
    const size_t equals = is_long ? word.find('=') : std::string::npos;
    const std::string name =
        is_long ? word.substr(2, equals == std::string::npos ? std::string::npos : equals - 2)
                : short_spec->name;
    const OptionSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) throw UsageError("unknown option " + nsenter::Quote("--" + name));
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

void ExpectNoOperands(const ParsedArgs& args) {
  if (!args.operands().empty()) {
    throw UsageError("unexpected operand " + nsenter::Quote(args.operands().front()));
  }
}

std::chrono::milliseconds ParseDuration(const std::string& text) {
  const UsageError invalid("invalid duration " + nsenter::Quote(text) +
                           " (want a number of seconds, or a number with a unit: 500ms, 1.5s, "
                           "2m, 1h)");
  // The number as thousandths: "1.5" is 1500.
  const size_t digits = text.find_first_not_of("0123456789");
  const size_t whole_end = digits == std::string::npos ? text.size() : digits;
  if (whole_end == 0 || whole_end > 9) throw invalid;
  int64_t thousandths = std::stoll(text.substr(0, whole_end)) * 1000;
  size_t end = whole_end;
  if (end < text.size() && text[end] == '.') {
    const size_t fraction_end = std::min(text.find_first_not_of("0123456789", end + 1), text.size());
    if (fraction_end == end + 1 || fraction_end - end - 1 > 3) throw invalid;
    std::string fraction = text.substr(end + 1, fraction_end - end - 1);
    fraction.resize(3, '0');
    thousandths += std::stoll(fraction);
    end = fraction_end;
  }
  const std::string unit = text.substr(end);
  int64_t unit_ms;
  if (unit == "ms") {
    unit_ms = 1;
  } else if (unit == "s" || unit.empty()) {
    unit_ms = 1000;
  } else if (unit == "m") {
    unit_ms = 60 * 1000;
  } else if (unit == "h") {
    unit_ms = 60 * 60 * 1000;
  } else {
    throw invalid;
  }
  if (thousandths == 0) throw UsageError("duration " + nsenter::Quote(text) + " must be positive");
  if (thousandths * unit_ms % 1000 != 0) {
    throw UsageError("duration " + nsenter::Quote(text) + " is finer than a millisecond");
  }
  return std::chrono::milliseconds(thousandths * unit_ms / 1000);
}

const std::string& AbsolutePathOperand(std::string_view what, const std::string& path) {
  if (nsenter::Status valid = nsenter::ValidateAbsolutePath(what, path); !valid.ok()) {
    throw UsageError(valid.error().message());
  }
  return path;
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

std::string PathOption(const ParsedArgs& args, const std::string& name,
                       const std::string& fallback) {
  if (!args.Has(name)) return fallback;
  const std::string value = args.Value(name);
  if (value.empty()) throw UsageError("--" + name + " is empty");
  return UserPath(value);
}

}  // namespace nsenterctl
