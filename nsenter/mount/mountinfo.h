// The host's mount table: a parser of /proc/<pid>/mountinfo (proc(5)).
//
// Each line describes one mount:
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   (1)(2)(3)   (4)   (5)      (6)       (7)   (8) (9)    (10)         (11)
// (1) mount id, (2) parent id, (3) major:minor of the file system, (4) root of
// the mount within it, (5) mount point, (6) per-mount options, (7) zero or
// more optional fields (propagation tags: shared:N, master:N,
// propagate_from:N, unbindable), (8) the separator "-", (9) file-system type,
// (10) source (may be empty), (11) super-block options.
//
// The kernel writes space, tab, newline and backslash in the string fields
// as three-digit octal escapes (`\040`, `\011`, `\012`, `\134`), and commas
// inside option values as `\054`; the parser decodes them, after splitting
// the options on the commas that separate them.
//
// Example:
//   nsenter::Result<std::vector<nsenter::MountInfo>> table =
//       nsenter::ParseMountInfo(text_of_proc_self_mountinfo);
//   for (const nsenter::MountInfo& m : *table) std::cout << m.mount_point << "\n";
//
// Thread-safety: a pure function of its argument.
#ifndef NSENTER_MOUNT_MOUNTINFO_H_
#define NSENTER_MOUNT_MOUNTINFO_H_

#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"

namespace nsenter {

// One line of mountinfo, every field decoded.
struct MountInfo {
  int id = 0;
  int parent_id = 0;
  unsigned major = 0;
  unsigned minor = 0;
  std::string root;                          // Within the file system.
  std::string mount_point;                   // In the reader's root.
  std::vector<std::string> mount_options;    // "rw", "noatime", ...
  std::vector<std::string> optional_fields;  // "shared:1", "master:2", ...
  std::string fs_type;                       // "ext4", "fuse.sshfs", ...
  std::string source;                        // "/dev/sda1", "tmpfs", or "".
  std::vector<std::string> super_options;    // "rw", "seclabel", "size=8k", ...

  bool operator==(const MountInfo&) const = default;
};

// The mounts of `text`, in its order. An empty text has none; the last line
// may lack its newline.
// Errors: kInvalidArgument for a malformed line (a missing or extra field, an
// empty field other than the source, a number out of range, a bad or
// incomplete octal escape, an empty line), naming its line number and
// showing it quoted.
Result<std::vector<MountInfo>> ParseMountInfo(std::string_view text);

// `mounts` as mountinfo text, one line each with its newline, as the kernel
// writes it: space, tab, newline and backslash in the string fields (and
// commas inside an option) as three-digit octal escapes. ParseMountInfo reads
// it back equal, for mounts whose string fields and options are not empty
// (the source may be).
std::string FormatMountInfo(const std::vector<MountInfo>& mounts);

// `field` with its octal escapes decoded. Errors: kInvalidArgument for a
// backslash not followed by three octal digits making a byte (<= \377).
Result<std::string> DecodeMountInfoEscapes(std::string_view field);

}  // namespace nsenter

#endif  // NSENTER_MOUNT_MOUNTINFO_H_
