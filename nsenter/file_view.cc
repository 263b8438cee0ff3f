#include "nsenter/file_view.h"

#include <utility>

#include "nsenter/quote.h"

namespace nsenter {

Result<std::unique_ptr<FileView::Directory>> FileView::OpenDirectory(
    const std::string& host_path) const {
  Result<FileStat> stat = Lstat(host_path.empty() ? "/" : host_path);
  if (!stat.ok()) return stat.error();
  if (stat->type != FileType::kDirectory) {
    return Error(ErrorCode::kNotADirectory, Quote(host_path) + " is not a directory");
  }
  return std::make_unique<Directory>();
}

Result<std::string> FileView::ReadFile(const std::string& host_path) const {
  return Error(ErrorCode::kUnsupported,
               "this view of the host's files cannot read " + Quote(host_path));
}

bool FileView::ResolvesWithoutSymlinks(const std::string& /*host_path*/) const { return false; }

Result<FileView::Found> FileView::LookUp(const Directory& /*parent*/,
                                         const std::string& host_path,
                                         size_t parent_length, bool want_directory) const {
  // The parent is known to be a directory; check each component below it.
  for (size_t end = host_path.find('/', parent_length + 1);; end = host_path.find('/', end + 1)) {
    const bool last = end == std::string::npos;
    const std::string prefix = last ? host_path : host_path.substr(0, end);
    Result<FileStat> stat = Lstat(prefix);
    if (!stat.ok()) return stat.error();
    if (last) {
      Found found{*stat, "", nullptr};
      if (stat->type == FileType::kDirectory && want_directory) found.directory = std::make_unique<Directory>();
      if (stat->type == FileType::kSymlink) {
        Result<std::string> target = Readlink(host_path);
        if (!target.ok()) return target.error();
        found.target = std::move(*target);
      }
      return found;
    }
    if (stat->type != FileType::kDirectory) {
      return Error(stat->type == FileType::kSymlink ? ErrorCode::kLoop : ErrorCode::kNotADirectory,
                   Quote(prefix) + " is not a directory");
    }
  }
}

}  // namespace nsenter
