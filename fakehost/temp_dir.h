// TempDir: a fresh directory for one test, removed with everything in it when
// the object goes away. Made under $TEST_TMPDIR (Bazel) or /tmp.
//
// Thread-safety: one owner.
#ifndef FAKEHOST_TEMP_DIR_H_
#define FAKEHOST_TEMP_DIR_H_

#include <string>

namespace nsenter::fakehost {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Creates `relative` (and its parents) as directories; returns its path.
  std::string MakeDir(const std::string& relative) const;
  // Writes a file with `contents` and permission bits `mode`, making parent
  // directories as needed; returns its path.
  std::string WriteFile(const std::string& relative, const std::string& contents = "",
                        unsigned mode = 0644) const;
  // Creates symlink `relative` -> `target`; returns its path.
  std::string Symlink(const std::string& relative, const std::string& target) const;

 private:
  std::string path_;
};

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_TEMP_DIR_H_
