// Fixtures: a host described in JSON (format "fakehost/v1", documented in
// fakehost/FORMAT.md), read into plain structs, checked, and written back.
//
// A fixture describes what a privileged container saw of one host: the file
// tree (files, directories, symlinks), the host root and namespace file the
// container used, the answers the host's commands gave (scripted commands,
// e.g. `realpath -e -- /var/lib/kubelet`), and what the library's discovery
// found there. FakeHost (fake_host.h) and FakeExecutor (fake_executor.h)
// replay it.
//
// Example:
//   nsenter::Result<Fixture> fixture =
//       LoadFixture("testdata/hosts/debian-12-this-machine.json");
//   if (!fixture.ok()) {
//     // e.g. "testdata/hosts/debian-12-this-machine.json: /entries/3/mode: expected
//     //       permission bits as 1 to 4 octal digits, like "0755", got 'rwx'"
//     std::cerr << fixture.error().ToString() << "\n";
//   }
//
// Errors: every mistake in a fixture is kBadFixture, with a message that
// starts with the fixture's source name followed by either
// ":<line>:<column>: malformed JSON: <reason>" or ": <JSON pointer of the
// field>: <what is wrong and what was expected>". A file that cannot be read
// gives the code of its errno (kNotFound, kPermissionDenied, ...).
//
// Thread-safety: free functions without shared state; the structs are values.
#ifndef FAKEHOST_FIXTURE_H_
#define FAKEHOST_FIXTURE_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/error.h"

namespace nsenter::fakehost {

// The value of a fixture's "format" member.
inline constexpr std::string_view kFixtureFormat = "fakehost/v1";

// Where the fixture comes from; metadata that no code acts on.
struct HostInfo {
  std::string name;           // Required, e.g. "debian-12-merged-usr".
  std::string recorded_with;  // Required, e.g. "nsenterctl record", "hand-written".
  std::string kernel;         // `uname -r` of the host, if known.
  std::string date;           // When it was recorded (ISO 8601), if known.
  std::map<std::string, std::string> os_release;  // Fields of /etc/os-release.

  bool operator==(const HostInfo&) const = default;
};

enum class EntryType { kFile, kDirectory, kSymlink };

// One file of the host's tree. Parent directories that are not listed exist
// implicitly (mode 0755).
struct Entry {
  std::string path;  // Absolute host path, e.g. "/usr/bin/mount".
  EntryType type = EntryType::kFile;
  // Permission bits (at most 07777) of a file or directory; unset means 0644
  // for a file and 0755 for a directory. A symlink has none (lstat shows 0777).
  std::optional<mode_t> mode;
  std::string target;  // A symlink's target text, relative or absolute.

  bool operator==(const Entry&) const = default;
};

// What a process printed and how it exited.
struct Answer {
  int exit_code = 0;
  std::string stdout_data;
  std::string stderr_data;

  bool operator==(const Answer&) const = default;
};

// A command run on the host (what nsenter runs after its "--") and what it
// answered there.
struct ScriptedCommand {
  std::vector<std::string> argv;  // Program, then arguments.
  Answer answer;

  bool operator==(const ScriptedCommand&) const = default;
};

// An error Nsenter::Create is expected to return.
struct ExpectedError {
  ErrorCode code = ErrorCode::kNotFound;
  std::string message_starts_with;  // Empty: any message.

  bool operator==(const ExpectedError&) const = default;
};

// The expected Nsenter::SupportsSystemd().
struct ExpectedSystemdRun {
  std::string path;
  bool found = false;

  bool operator==(const ExpectedSystemdRun&) const = default;
};

// What Nsenter::Create with default options gave on the real host: either
// `discovery` (every binary found, name → host path) or `create_error`.
struct Expectations {
  std::optional<std::map<std::string, std::string>> discovery;
  std::optional<ExpectedError> create_error;
  std::optional<ExpectedSystemdRun> systemd_run;  // Only with `discovery`.

  bool operator==(const Expectations&) const = default;
};

struct Fixture {
  // Where the fixture was read from; names it in messages. Not in the JSON.
  std::string source;
  HostInfo host;
  // Where the container saw the host's "/".
  std::string root = "/rootfs";
  // The host's mount namespace file, as a host path: nsenter ran with
  // --mount=<root><mount_namespace>.
  std::string mount_namespace = "/proc/1/ns/mnt";
  std::vector<Entry> entries;
  std::vector<ScriptedCommand> commands;
  // The host's mount table: the lines of <root>/proc/<pid>/mountinfo (each
  // without its newline), where <pid> is the process whose mount namespace
  // `mount_namespace` names (/proc/<pid>/ns/mnt). Unset when not recorded.
  // Each line is one that nsenter::ParseMountInfo accepts (mountinfo.h).
  std::optional<std::vector<std::string>> mountinfo;
  std::optional<Expectations> expect;

  bool operator==(const Fixture&) const = default;
};

// The largest fixture file LoadFixture reads: 64 MiB, far above any
// recorded host (tens of KiB), so that a wrong file cannot exhaust memory.
inline constexpr size_t kMaxFixtureFileBytes = size_t{64} << 20;
// The most a fixture's JSON document holds: arrays and objects nested 32
// deep (a fixture's schema nests 5 deep), and 100,000 values (a recorded
// host has about a thousand: each entry, command and mountinfo line is a
// handful). Past either, a fixture is refused as it is parsed: its document
// costs a few dozen bytes per value, so without them a 2-byte "0," or "["
// would grow a file's memory some 20- to 50-fold.
inline constexpr size_t kMaxFixtureDepth = 32;
inline constexpr size_t kMaxFixtureValues = 100'000;

// Reads and checks the fixture in `file`; its source name is `file`.
// Errors: the code of open(2)'s or read(2)'s errno; kInvalidArgument for a
// file that is not a regular file (a FIFO, a device such as /dev/zero, a
// directory) or is larger than kMaxFixtureFileBytes, read no further; then
// ParseFixture's errors.
// Memory: at most about 4 times the file's size (its text, the parser's copy
// of its longest string, the JSON document's strings, the Fixture's), plus a
// few dozen bytes per JSON value (at most kMaxFixtureValues: under 32 MiB).
// Where even that is not left, kBadFixture ("out of memory"): the load never
// aborts the process.
Result<Fixture> LoadFixture(const std::string& file);

// Checks `text`, the whole contents of a fixture file named `file`, by every
// rule LoadFixture applies to a file's contents: kInvalidArgument if it is
// larger than kMaxFixtureFileBytes, then ParseFixture's errors. Text it
// accepts, written to a regular file, LoadFixture accepts.
Result<Fixture> ParseFixtureFile(std::string_view text, std::string_view file);

// Reads and checks the fixture in `json`, naming it `source_name` in errors:
// kBadFixture for malformed JSON, a document past kMaxFixtureDepth or
// kMaxFixtureValues, or one that breaks the format; kBadFixture also when
// memory runs out (see LoadFixture).
Result<Fixture> ParseFixture(std::string_view json, std::string_view source_name);

// Checks what the JSON schema cannot: clean absolute paths, no path twice, no
// entry inside a file or symlink, symlinks with targets, non-empty argv,
// exit codes 0-255, no argv scripted twice, mountinfo lines that
// nsenter::ParseMountInfo accepts (with a `mount_namespace` of the form
// /proc/<pid>/ns/mnt), a consistent "expect". Errors name
// fields by their JSON pointer (e.g. "/entries/3/path"), as in ParseFixture.
Status ValidateFixture(const Fixture& fixture);

// The <pid> of a mount namespace file "/proc/<pid>/ns/mnt" (a positive
// decimal number without leading zeros), or nullopt for any other path.
std::optional<int> MountNamespacePid(std::string_view mount_namespace);

// `fixture` as fakehost/v1 JSON text, which ParseFixture reads back equal
// (given the same source name). Byte strings that are not valid UTF-8 are
// written in base64 form; metadata is text, and bytes in it that are not
// valid UTF-8 are replaced by U+FFFD.
std::string FormatFixture(const Fixture& fixture);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_FIXTURE_H_
