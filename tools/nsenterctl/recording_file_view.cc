#include "tools/nsenterctl/recording_file_view.h"

#include "nsenter/host_path.h"

namespace nsenterctl {

using nsenter::fakehost::Entry;
using nsenter::fakehost::EntryType;

nsenter::Result<nsenter::FileStat> RecordingFileView::Lstat(const std::string& host_path) const {
  nsenter::Result<nsenter::FileStat> info = inner_.Lstat(host_path);
  const std::string path = nsenter::JoinHostPath("/", host_path);
  if (info.ok() && info->type == nsenter::FileType::kOther) ++undescribable_lookups_;
  if (!info.ok() || path == "/" || entries_.count(path) != 0) return info;
  Entry entry;
  entry.path = path;
  switch (info->type) {
    case nsenter::FileType::kRegular:
      entry.type = EntryType::kFile;
      entry.mode = info->mode;
      break;
    case nsenter::FileType::kDirectory:
      entry.type = EntryType::kDirectory;
      entry.mode = info->mode;
      break;
    case nsenter::FileType::kSymlink: {
      nsenter::Result<std::string> target = inner_.Readlink(host_path);
      if (!target.ok()) {  // E.g. a procfs link, which the view refuses.
        skipped_.insert(path);
        return info;
      }
      entry.type = EntryType::kSymlink;
      entry.target = *target;
      break;
    }
    case nsenter::FileType::kOther:
      skipped_.insert(path);
      return info;
  }
  entries_[path] = std::move(entry);
  return info;
}

nsenter::Result<std::string> RecordingFileView::Readlink(const std::string& host_path) const {
  return inner_.Readlink(host_path);
}

std::vector<Entry> RecordingFileView::entries() const {
  std::vector<Entry> sorted;
  for (const auto& [path, entry] : entries_) sorted.push_back(entry);
  return sorted;
}

}  // namespace nsenterctl
