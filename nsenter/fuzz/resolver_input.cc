#include "nsenter/fuzz/resolver_input.h"

#include <optional>
#include <utility>

#include "nsenter/host_path.h"

namespace nsenter {
namespace {

std::optional<int> HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// `field` with "\xHH" and "\\" replaced by the bytes they stand for.
std::string Unescape(std::string_view field) {
  std::string bytes;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == '\\') {
      bytes += '\\';
      ++i;
    } else if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] == 'x' &&
               HexDigit(field[i + 2]) && HexDigit(field[i + 3])) {
      bytes += static_cast<char>(*HexDigit(field[i + 2]) * 16 + *HexDigit(field[i + 3]));
      i += 3;
    } else {
      bytes += field[i];
    }
  }
  return bytes;
}

bool Lists(const std::vector<fakehost::Entry>& entries, const std::string& path) {
  for (const fakehost::Entry& entry : entries) {
    if (entry.path == path) return true;
  }
  return false;
}

// Adds `entry` and its missing parents to `tree` if the result keeps the
// limits of the header.
void AddEntry(fakehost::Fixture& tree, fakehost::Entry entry) {
  entry.path = CleanAbsolutePath("/" + entry.path);
  if (entry.path.size() > kMaxEntryPathBytes) return;
  fakehost::Fixture candidate = tree;
  for (size_t slash = entry.path.find('/', 1); slash != std::string::npos;
       slash = entry.path.find('/', slash + 1)) {
    std::string parent = entry.path.substr(0, slash);
    if (!Lists(candidate.entries, parent)) {
      candidate.entries.push_back({std::move(parent), fakehost::EntryType::kDirectory, {}, {}});
    }
  }
  candidate.entries.push_back(std::move(entry));
  if (candidate.entries.size() > kMaxTreeEntries) return;
  if (!fakehost::ValidateFixture(candidate).ok()) return;
  tree = std::move(candidate);
}

}  // namespace

ResolverInput DecodeResolverInput(std::string_view input) {
  ResolverInput decoded;
  decoded.tree.source = decoded.tree.host.name = "resolver fuzz input";
  decoded.tree.host.recorded_with = "DecodeResolverInput";
  while (!input.empty()) {
    const size_t newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    if (line.size() < 2 || line[1] != ' ') continue;
    const std::string_view fields = line.substr(2);
    switch (line[0]) {
      case 'd':
        AddEntry(decoded.tree, {Unescape(fields), fakehost::EntryType::kDirectory, {}, {}});
        break;
      case 'f':
        AddEntry(decoded.tree, {Unescape(fields), fakehost::EntryType::kFile, {}, {}});
        break;
      case 'l': {
        const size_t space = fields.find(' ');
        if (space == std::string_view::npos) break;
        const std::string_view path = fields.substr(0, space);
        const std::string_view target = fields.substr(space + 1);
        AddEntry(decoded.tree,
                 {Unescape(path), fakehost::EntryType::kSymlink, {}, Unescape(target)});
        break;
      }
      case 'q':
        if (decoded.queries.size() < kMaxQueries) decoded.queries.push_back(Unescape(fields));
        break;
    }
  }
  return decoded;
}

}  // namespace nsenter
