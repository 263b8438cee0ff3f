#include "nsenter/host_path.h"

#include <vector>

#include "nsenter/quote.h"

namespace nsenter {

Status ValidateAbsolutePath(std::string_view what, const std::string& path) {
  std::string subject(what);
  if (path.empty()) return Error(ErrorCode::kInvalidArgument, subject + " is empty");
  if (path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, subject + " " + Quote(path) + " contains a NUL byte");
  }
  if (path.front() != '/') {
    return Error(ErrorCode::kInvalidArgument, subject + " " + Quote(path) + " is not absolute");
  }
  return {};
}

std::string JoinHostPath(std::string_view root, std::string_view path) {
  std::string joined;
  joined.reserve(root.size() + path.size() + 1);
  for (const std::string_view part : {root, std::string_view("/"), path}) {
    for (const char c : part) {
      if (c == '/' && !joined.empty() && joined.back() == '/') continue;
      joined += c;
    }
  }
  if (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  return joined;
}

std::string CleanAbsolutePath(std::string_view path) {
  std::vector<std::string_view> components;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view component = path.substr(start, end - start);
    if (component == "..") {
      if (!components.empty()) components.pop_back();
    } else if (!component.empty() && component != ".") {
      components.push_back(component);
    }
    start = end + 1;
  }
  std::string cleaned;
  for (const std::string_view component : components) {
    cleaned += '/';
    cleaned += component;
  }
  return cleaned.empty() ? "/" : cleaned;
}

Result<std::string> KubeletPath(const std::string& host_root, const std::string& path) {
  if (Status root = ValidateAbsolutePath("host root", host_root); !root.ok()) return root.error();
  if (Status valid = ValidateAbsolutePath("host path", path); !valid.ok()) return valid.error();
  return JoinHostPath(host_root, CleanAbsolutePath(path));
}

}  // namespace nsenter
