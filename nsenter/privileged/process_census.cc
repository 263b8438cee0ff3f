#include "nsenter/privileged/process_census.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace nsenter::privileged {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string ReadLinkOrEmpty(const fs::path& path) {
  std::error_code error;
  fs::path target = fs::read_symlink(path, error);
  return error ? std::string() : target.string();
}

std::optional<pid_t> ParsePid(std::string_view text) {
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return pid;
}

// /proc/PID/stat is "PID (COMM) STATE PPID ..."; COMM may hold spaces and
// parentheses, so it ends at the last ')'.
std::optional<ProcessInfo> ReadProcess(const fs::path& dir) {
  const std::optional<std::string> stat = ReadFile(dir / "stat");
  if (!stat) return std::nullopt;
  const size_t open = stat->find('(');
  const size_t close = stat->rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  std::istringstream rest(stat->substr(close + 1));
  std::string state;
  ProcessInfo info;
  if (!(rest >> state >> info.ppid)) return std::nullopt;
  info.comm = stat->substr(open + 1, close - open - 1);
  info.mount_ns = ReadLinkOrEmpty(dir / "ns" / "mnt");
  info.pid_ns = ReadLinkOrEmpty(dir / "ns" / "pid");
  return info;
}

}  // namespace

ProcessTable ListProcesses() {
  ProcessTable table;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    const std::optional<pid_t> pid = ParsePid(entry.path().filename().string());
    if (!pid) continue;
    if (std::optional<ProcessInfo> info = ReadProcess(entry.path())) table[*pid] = std::move(*info);
  }
  return table;
}

ProcessTable Descendants(const ProcessTable& table, pid_t ancestor) {
  ProcessTable found;
  std::set<pid_t> frontier = {ancestor};
  while (!frontier.empty()) {
    std::set<pid_t> next;
    for (const auto& [pid, info] : table) {
      if (frontier.count(info.ppid) != 0 && found.emplace(pid, info).second) next.insert(pid);
    }
    frontier = std::move(next);
  }
  return found;
}

Census TakeCensus() {
  Census census;
  const fs::path self = "/proc/" + std::to_string(getpid());
  std::optional<ProcessInfo> info = ReadProcess(self);
  std::optional<std::string> mountinfo = ReadFile(self / "mountinfo");
  if (!info || !mountinfo) {
    throw std::system_error(errno, std::generic_category(), "read " + self.string());
  }
  census.self = std::move(*info);
  census.mountinfo = std::move(*mountinfo);
  census.descendants = Descendants(ListProcesses(), getpid());
  for (const fs::directory_entry& entry : fs::directory_iterator(self / "fd")) {
    const std::optional<pid_t> fd = ParsePid(entry.path().filename().string());
    if (fd) census.open_files[*fd] = ReadLinkOrEmpty(entry.path());
  }
  return census;
}

std::set<std::string> MountNamespaces(const Census& census) {
  std::set<std::string> namespaces = {census.self.mount_ns};
  for (const auto& [pid, info] : census.descendants) namespaces.insert(info.mount_ns);
  return namespaces;
}

std::ostream& operator<<(std::ostream& out, const ProcessInfo& info) {
  return out << "{ppid " << info.ppid << ", " << info.comm << ", " << info.mount_ns << ", "
             << info.pid_ns << "}";
}

std::ostream& operator<<(std::ostream& out, const Census& census) {
  out << "self " << census.self << "\ndescendants:\n";
  for (const auto& [pid, info] : census.descendants) out << "  " << pid << " " << info << "\n";
  out << "open files:\n";
  for (const auto& [fd, target] : census.open_files) out << "  " << fd << " -> " << target << "\n";
  return out << "mountinfo:\n" << census.mountinfo;
}

}  // namespace nsenter::privileged
