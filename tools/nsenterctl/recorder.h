// The fixture recorder: what a privileged container sees of its host,
// written down as a fakehost/v1 fixture (fakehost/FORMAT.md).
//
// Recording is read-only on the host: it looks at files and runs `realpath`,
// `uname -r` and `cat /etc/os-release` there, and creates or changes nothing.
// It records
//   - what Nsenter::Create with default options gives (the discovered
//     binaries and SupportsSystemd, or the error) as the fixture's "expect";
//   - every candidate location of every binary the library looks for (each
//     default search dir and each requested one × each name) and every
//     probe path, resolved over a
//     RecordingFileView of the host root, so the fixture holds each file,
//     directory and symlink those lookups met;
//   - the real `realpath -e -- PATH` and `realpath -m -- PATH` answers of the
//     host for every probe path, run through the library (nsenter backend,
//     with the requested search dirs), and its `realpath --version` (which
//     tells GNU's from busybox's);
//   - metadata: os-release, kernel, date, the recording tool.
// A probe whose resolution meets a FIFO, device or socket (which a fixture
// cannot hold) gets no realpath answers, so that replay never contradicts
// what was recorded; the probe given twice, or equal to a default, is
// recorded once.
//
// Thread-safety: one recording at a time per process is enough; no shared state.
#ifndef TOOLS_NSENTERCTL_RECORDER_H_
#define TOOLS_NSENTERCTL_RECORDER_H_

#include <optional>
#include <string>
#include <vector>

#include "fakehost/fixture.h"
#include "nsenter/error.h"
#include "nsenter/nsenter.h"

namespace nsenterctl {

struct RecordRequest {
  std::string host_root = "/rootfs";
  // The fixture's "root", which must be clean (fakehost/FORMAT.md); by
  // default the host root with its symlinks, "." and ".." resolved.
  std::optional<std::string> fixture_root;
  std::string name;                      // Empty: "<ID>-<VERSION_ID>" from os-release.
  std::vector<std::string> extra_probes;  // Absolute host paths, after the defaults.
  // Absolute host directories of programs, searched after the defaults
  // (Options::search_dirs). "expect" stays what default options give.
  std::vector<std::string> search_dirs;
  std::string date;                      // ISO 8601, for the metadata.
  nsenter::LogSink log;
};

// The probe paths every recording includes.
const std::vector<std::string>& DefaultProbes();

// kInvalidArgument, naming the input, for a relative, empty or NUL-bearing
// host root, probe, search dir or fixture root, or a fixture root that is
// not clean; otherwise OK. Touches nothing.
nsenter::Status CheckRecordRequest(const RecordRequest& request);

// Records the host under `request.host_root`. Errors: those of
// CheckRecordRequest; the errors of opening or resolving the host root; the error of
// CheckMountNamespace (mount_namespace.h) where the host's mount namespace
// cannot be opened; kExecFailed where nsenter itself fails for a command
// (its failure is no answer of the host's). Nothing is recorded then.
// os-release and kernel, when `cat` or `uname` fails on the host, are left
// out and logged at verbosity 0.
// Probes whose realpath run fails without an exit status (a timeout, say)
// are left out and logged at verbosity 0; so is the mount table where it
// cannot be read. A mount table that nsenter::ParseMountInfo refuses is
// kInvalidArgument, naming the file and line.
nsenter::Result<nsenter::fakehost::Fixture> RecordFixture(const RecordRequest& request);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_RECORDER_H_
