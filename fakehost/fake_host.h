// FakeHost: the host a fixture describes, held in memory.
//
// It is a `nsenter::FileView`, so the realpath resolver runs over it exactly
// as the native backend runs over a real host (and can be given to
// nsenter::Options::host_files); it carries the fixture, whose scripted
// commands FakeExecutor (fake_executor.h) answers; and it can write its tree as
// real files, so that the production code runs unchanged against a real
// directory (Options::host_root = that directory).
//
// Example (the README's "Testing code that uses it" shows it in a test of
// another workspace, with the fixture found in the runfiles):
//   nsenter::Result<Fixture> fixture =
//       LoadFixture("testdata/hosts/debian-12-this-machine.json");
//   nsenter::Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
//   nsenter::Options options;
//   options.host_root = fixture->root;                      // "/rootfs"
//   options.host_files = *host;                             // discovery over the tree
//   options.executor = std::make_shared<FakeExecutor>(*host);  // fake_executor.h
//   auto ns = nsenter::Nsenter::Create(options);            // as on the recorded host
//   nsenter::Result<std::string> lib = (*ns)->EvalSymlinks("/lib", true);  // "/usr/lib"
//
//   TempDir root;                                           // temp_dir.h
//   nsenter::Status written = (*host)->Materialize(root.path());
//   // root.path() + "/usr/bin/mount" now exists with the fixture's mode;
//   // NativeOptionsOver(root.path()) runs the native backend over it
//   // (native_options.h).
//
// The tree: every entry of the fixture, plus "/" and every parent directory
// that no entry lists (mode 0755). All files live on one fake device and have
// distinct inode numbers. Lstat and Readlink answer like lstat(2) and
// readlink(2) run by root on the host: symlinks before the last component are
// followed as the kernel does (relative to the directory holding the link, an
// absolute target from "/", ".." of "/" is "/", at most 40 links per lookup);
// the last component is never followed, unless a "/" follows it.
//
// The mount table: the fixture's recorded `mountinfo` (none if it records
// none). It is the table alone: a mount does not change the files the tree
// shows under its mount point. ReadFile serves it, as it is now, at
// /proc/<pid>/mountinfo (<pid> that of the fixture's mount namespace), where
// nsenter::HostMounter::List reads it through Options::host_files; that
// file is not in the tree (Lstat does not find it unless an entry names it).
// Every other regular file reads as empty: a fixture records no contents.
//
// The host changes: the mkdir, touch, mount and umount commands FakeExecutor
// emulates (host_command_emulation.h) change its tree and mount table
// (MakeDirectory, MakeFile, ChangeMounts). `fixture()` stays as it was
// loaded.
//
// Errors:
//   Create       kBadFixture, as ValidateFixture (fixture.h).
//   Lstat,       kInvalidArgument for a relative or NUL-bearing path;
//   Readlink,    kNotFound (ENOENT, also for ""), kNotADirectory (ENOTDIR),
//   ReadFile     kLoop (ELOOP), kNameTooLong (ENAMETOOLONG: a path of 4096
//                bytes or more, or a component over 255 bytes); Readlink of a
//                file that is not a symlink is kInvalidArgument (EINVAL);
//                ReadFile of a symlink is kLoop (O_NOFOLLOW's ELOOP), of a
//                directory kInvalidArgument.
//   Materialize  the code of the errno of the call that failed (e.g.
//                kNotFound for a missing `dir`, kInternal for EEXIST), with a
//                message naming the file.
//   MakeDirectory, MakeFile, ChangeMounts: below.
//
// Thread-safety: all methods may be called from many threads at once; each
// change is atomic (readers see the tree before or after it).
#ifndef FAKEHOST_FAKE_HOST_H_
#define FAKEHOST_FAKE_HOST_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "fakehost/fixture.h"
#include "nsenter/error.h"
#include "nsenter/file_view.h"
#include "nsenter/mount/mountinfo.h"

namespace nsenter::fakehost {

class FakeHost final : public FileView {
 public:
  // Checks the fixture (ValidateFixture) and builds its tree and mount table.
  static Result<std::shared_ptr<FakeHost>> Create(Fixture fixture);

  // The fixture as loaded: the host's changes since are not in it.
  const Fixture& fixture() const { return fixture_; }

  // FileView.
  Result<FileStat> Lstat(const std::string& host_path) const override;
  Result<std::string> Readlink(const std::string& host_path) const override;
  // The mount table at its mountinfo path; "" for another regular file.
  Result<std::string> ReadFile(const std::string& host_path) const override;

  // Writes the tree under `dir`, an existing empty directory that stands for
  // the host's "/": directories, regular files (empty) and symlinks (with the
  // fixture's target text, so absolute targets point outside `dir`), each
  // with its mode regardless of the umask; and the mount table, if the
  // fixture records one, as <dir>/proc/<pid>/mountinfo (fixture.h), where
  // nsenter::HostMounter::List reads it. `dir` itself is left as it is.
  // From then on every change of the host is written under `dir` too, so
  // `dir` must outlive the changes made after it (a change that cannot be
  // written there fails with the code of the errno, naming the file, and is
  // kept in memory).
  Status Materialize(const std::string& dir);

  // The mount table now, or nullopt when the fixture records none.
  std::optional<std::vector<MountInfo>> Mounts() const;

  // Creates directory `path` with `mode` (07777 bits; by default 0755, as
  // mkdir under umask 022), whose parent is a directory. `path` is
  // canonical: absolute, no symlink, "." or ".." on the way. Errors:
  // kInvalidArgument if `path` exists or is not canonical; kNotFound if its
  // parent does not exist; kNotADirectory if the parent is not a directory;
  // those of writing it under a materialized dir.
  Status MakeDirectory(const std::string& path, std::optional<mode_t> mode = std::nullopt);

  // Creates the empty regular file `path` (mode 0644, as touch under umask
  // 022), as MakeDirectory, with the same errors.
  Status MakeFile(const std::string& path);

  // Runs `change` on the mount table, atomically, and keeps its result if it
  // succeeds. `change` must not call this host. Errors: kInvalidArgument
  // when the fixture records no mount table; `change`'s; those of writing
  // the table under a materialized dir.
  Status ChangeMounts(const std::function<Status(std::vector<MountInfo>&)>& change);

 private:
  struct Node {
    FileType type;
    mode_t mode;
    std::string target;  // Symlinks only.
    ino_t inode;
  };
  using NodeMap = std::map<std::string, Node>;

  explicit FakeHost(Fixture fixture);

  // The file `host_path` names (see the header comment), for `operation`'s
  // error messages.
  // Called with mutex_ held.
  Result<NodeMap::const_iterator> Lookup(std::string_view operation,
                                         const std::string& host_path) const;
  Error LookupError(ErrorCode code, std::string_view operation, const std::string& host_path,
                    std::string_view reason) const;
  // Adds a node at canonical `path` (mutex_ held exclusively).
  Status AddNode(const std::string& path, FileType type, mode_t mode);
  // Writes the node at `path` under `dir`.
  static Status WriteNode(const std::string& dir, const std::string& path, const Node& node);
  // "/proc/<pid>/mountinfo", <pid> that of the fixture's mount namespace.
  std::string MountInfoPath() const;
  // Writes the mount table under `dir`, if there is one.
  Status WriteMountInfo(const std::string& dir) const;

  const Fixture fixture_;
  mutable std::shared_mutex mutex_;
  NodeMap nodes_;  // By absolute host path; parents sort before children.
  ino_t next_inode_ = 0;
  std::optional<std::vector<MountInfo>> mounts_;
  std::vector<std::string> materialized_;  // The dirs kept in step.
};

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_FAKE_HOST_H_
