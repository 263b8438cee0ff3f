#include "nsenter/mount/mount_args.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

bool IsControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

bool IsBind(const std::string& option) { return option == "bind" || option == "rbind"; }

// Why `option` is not exactly one option, or "" if it is.
std::string_view OptionFault(const std::string& option) {
  if (option.empty()) return "is empty";
  if (option.find(',') != std::string::npos) return "holds a comma, which would add options";
  if (option.find('"') != std::string::npos) return "holds a double quote";
  if (std::any_of(option.begin(), option.end(), IsControl)) {
    return "holds a control character (NUL, newline, ...)";
  }
  if (option[0] == '-' || option[0] == '=') return "starts with '-' or '='";
  return "";
}

Status ValidateOptions(const std::vector<std::string>& options, bool sensitive) {
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string_view fault = OptionFault(options[i]);
    if (fault.empty()) continue;
    const std::string name = sensitive ? "sensitive option #" + std::to_string(i + 1)
                                       : "mount option " + Quote(options[i]);
    return Error(ErrorCode::kInvalidArgument, name + " " + std::string(fault));
  }
  return {};
}

Status ValidateFsType(const std::string& fs_type) {
  const bool plain = std::all_of(fs_type.begin(), fs_type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '+' || c == '-';
  });
  if (!plain || fs_type.starts_with('-')) {
    return Error(ErrorCode::kInvalidArgument,
                 "file-system type " + Quote(fs_type) + " is not a plain name ([A-Za-z0-9._+-])");
  }
  return {};
}

Status ValidateSource(const std::string& source, bool bind) {
  if (bind) return ValidateHostPath(source, "bind source");
  if (source.empty()) return Error(ErrorCode::kInvalidArgument, "mount source is empty");
  if (source.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "mount source " + Quote(source) + " contains a NUL byte");
  }
  if (source[0] == '-') {
    return Error(ErrorCode::kInvalidArgument,
                 "mount source " + Quote(source) + " starts with '-'");
  }
  return {};
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += ',';
    joined += word;
  }
  return joined;
}

// One mount(8) run with `options`, and then the sensitive ones if
// `with_sensitive`.
MountCommand Command(const MountRequest& request, std::vector<std::string> options,
                     bool with_sensitive) {
  if (with_sensitive) {
    options.insert(options.end(), request.sensitive_options.begin(),
                   request.sensitive_options.end());
  }
  MountCommand command;
  if (!request.fs_type.empty()) command.args.insert(command.args.end(), {"-t", request.fs_type});
  if (!options.empty()) command.args.insert(command.args.end(), {"-o", Join(options)});
  command.args.insert(command.args.end(), {"--", request.source, request.target});
  return command;
}

}  // namespace

Status ValidateHostPath(const std::string& path, const std::string& what) {
  if (path.empty()) return Error(ErrorCode::kInvalidArgument, what + " is empty");
  if (path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, what + " " + Quote(path) + " contains a NUL byte");
  }
  if (path[0] != '/') {
    return Error(ErrorCode::kInvalidArgument, what + " " + Quote(path) + " is not absolute");
  }
  return {};
}

bool IsBindMount(const MountRequest& request) {
  return std::any_of(request.options.begin(), request.options.end(), IsBind);
}

Status ValidateMode(mode_t mode) {
  if ((mode & ~mode_t{07777}) == 0) return {};
  char octal[16];
  std::snprintf(octal, sizeof octal, "0%o", static_cast<unsigned>(mode));
  return Error(ErrorCode::kInvalidArgument, std::string("mode ") + octal + " is beyond 07777");
}

std::optional<mode_t> ParseOctalMode(std::string_view text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != text.npos) {
    return std::nullopt;
  }
  mode_t mode = 0;
  for (const char digit : text) mode = mode * 8 + static_cast<mode_t>(digit - '0');
  return mode;
}

Result<std::vector<MountCommand>> BuildMountCommands(const MountRequest& request) {
  const bool bind = IsBindMount(request);
  if (Status valid = ValidateHostPath(request.target, "mount target"); !valid.ok()) {
    return valid.error();
  }
  if (Status valid = ValidateSource(request.source, bind); !valid.ok()) return valid.error();
  if (Status valid = ValidateFsType(request.fs_type); !valid.ok()) return valid.error();
  if (Status valid = ValidateOptions(request.options, false); !valid.ok()) return valid.error();
  if (Status valid = ValidateOptions(request.sensitive_options, true); !valid.ok()) {
    return valid.error();
  }

  const bool remount = bind && (request.options.size() > 1 || !request.sensitive_options.empty());
  if (!remount) return std::vector<MountCommand>{Command(request, request.options, true)};
  std::vector<std::string> bind_options;
  std::vector<std::string> remount_options = {"remount"};
  for (const std::string& option : request.options) {
    (IsBind(option) ? bind_options : remount_options).push_back(option);
  }
  remount_options.insert(remount_options.begin(), bind_options.front());
  return std::vector<MountCommand>{Command(request, bind_options, false),
                                   Command(request, remount_options, true)};
}

Result<std::vector<std::string>> BuildUnmountArgs(const std::string& target) {
  if (Status valid = ValidateHostPath(target, "unmount target"); !valid.ok()) return valid.error();
  return std::vector<std::string>{"--", target};
}

}  // namespace nsenter
