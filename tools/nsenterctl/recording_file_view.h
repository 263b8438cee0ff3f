// RecordingFileView: a FileView that passes every lookup on to another view
// and keeps what it saw as fixture entries, so that a fixture holds exactly
// the files that discovery and path resolution looked at on a real host.
//
// What is kept: every file, directory and symlink that Lstat found (with its
// permission bits; a symlink with its target, read at once). Lookups that
// failed are not kept: a path missing from the fixture is missing on replay.
// Files of other types (FIFOs, devices, sockets) cannot be described by a
// fixture and are counted in `skipped()`, and every lookup that met one is
// counted by `undescribable_lookups()`. "/" is never an entry.
//
// Thread-safety: not thread-safe; one recorder uses it from one thread.
#ifndef TOOLS_NSENTERCTL_RECORDING_FILE_VIEW_H_
#define TOOLS_NSENTERCTL_RECORDING_FILE_VIEW_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fakehost/fixture.h"
#include "nsenter/file_view.h"

namespace nsenterctl {

class RecordingFileView final : public nsenter::FileView {
 public:
  explicit RecordingFileView(const nsenter::FileView& inner) : inner_(inner) {}

  nsenter::Result<nsenter::FileStat> Lstat(const std::string& host_path) const override;
  nsenter::Result<std::string> Readlink(const std::string& host_path) const override;

  // The entries seen so far, sorted by path.
  std::vector<nsenter::fakehost::Entry> entries() const;
  // Paths of files seen that a fixture cannot describe.
  const std::set<std::string>& skipped() const { return skipped_; }
  // How many Lstat calls so far found a FIFO, device or socket: a resolution
  // that raised it depends on a file the fixture leaves out.
  size_t undescribable_lookups() const { return undescribable_lookups_; }

 private:
  const nsenter::FileView& inner_;
  mutable std::map<std::string, nsenter::fakehost::Entry> entries_;
  mutable std::set<std::string> skipped_;
  mutable size_t undescribable_lookups_ = 0;
};

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_RECORDING_FILE_VIEW_H_
