// nsenterctl record: write down what this container sees of its host as a
// fakehost/v1 fixture.
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "fakehost/byte_string.h"
#include "fakehost/fixture.h"
#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"
#include "tools/nsenterctl/args.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/recorder.h"

namespace nsenterctl {
namespace {

std::string UtcNow() {
  const time_t now = time(nullptr);
  tm utc;
  gmtime_r(&now, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Writes all of `text` to `fd`; returns 0, or the errno of the write that failed.
int WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno;
    text.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

// Writes `text` to a new file and closes it; returns 0, or the errno of the
// step that failed.
int WriteAndClose(nsenter::UniqueFd file, std::string_view text) {
  int error = WriteAll(file.get(), text);
  if (close(file.Release()) != 0 && error == 0) error = errno;
  return error;
}

// Replaces the regular file `path` (or creates it) with `text`, so that a
// failed write leaves the previous file whole: writes a temporary file in
// the same directory, then renames it over `path`. Anything else that
// exists at `path` (a device, a FIFO, a symlink) is written in place.
// Returns 0, or the errno of the step that failed.
int WriteFileReplacing(const std::string& path, std::string_view text) {
  struct stat existing;
  if (lstat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    nsenter::UniqueFd file(open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    return file.valid() ? WriteAndClose(std::move(file), text) : errno;
  }
  const std::filesystem::path target(path);
  std::string temporary = (target.parent_path() / ("." + target.filename().string() + ".XXXXXX"));
  nsenter::UniqueFd file(mkostemp(temporary.data(), O_CLOEXEC));
  if (!file.valid()) return errno;
  const mode_t umask_bits = umask(0);
  umask(umask_bits);
  int error = fchmod(file.get(), 0666 & ~umask_bits) == 0 ? 0 : errno;
  if (error == 0) error = WriteAndClose(std::move(file), text);
  if (error == 0 && rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) unlink(temporary.c_str());
  return error;
}

int Run(const std::vector<std::string>& words) {
  const ParsedArgs args = ParseArgs(words, {{"rootfs", true, false},
                                            {"probe", true, true},
                                            {"search-dir", true, true},
                                            {"name", true, false},
                                            {"fixture-root", true, false},
                                            {"out", true, false},
                                            {"verbose", false, false}});
  ExpectNoOperands(args);
  RecordRequest request;
  request.host_root = PathOption(args, "rootfs", "/rootfs");
  request.name = args.Value("name");
  if (args.Has("name") && request.name.empty()) throw UsageError("--name is empty");
  if (!nsenter::fakehost::IsValidUtf8(request.name)) {
    throw UsageError("--name " + nsenter::Quote(request.name) +
                     " is not UTF-8 text, which a fixture's host name must be");
  }
  if (args.Has("fixture-root")) request.fixture_root = args.Value("fixture-root");
  request.extra_probes = args.Values("probe");
  request.search_dirs = args.Values("search-dir");
  if (nsenter::Status valid = CheckRecordRequest(request); !valid.ok()) {
    throw UsageError(valid.error().message());
  }
  const std::string out = PathOption(args, "out");
  request.date = UtcNow();
  const bool verbose = args.Has("verbose");
  request.log = [verbose](int verbosity, std::string_view message) {
    if (verbosity == 0 || verbose) std::cerr << "nsenterctl: " << message << "\n";
  };
  nsenter::Result<nsenter::fakehost::Fixture> fixture = RecordFixture(request);
  if (!fixture.ok()) return Fail(fixture.error().message());
  const std::string text = nsenter::fakehost::FormatFixture(*fixture);
  // What a test will load must load: a fixture the loader refuses is not written.
  if (nsenter::Result<nsenter::fakehost::Fixture> loaded =
          nsenter::fakehost::ParseFixtureFile(text, out.empty() ? "(standard output)" : out);
      !loaded.ok()) {
    return Fail("the recording does not load, so it was not written: " + loaded.error().message());
  }
  if (out.empty()) {
    std::cout << text;  // A failed write: main's FinishStdout reports it.
    return 0;
  }
  if (const int error = WriteFileReplacing(out, text); error != 0) {
    return Fail("cannot write " + nsenter::Quote(out) + ": " + std::strerror(error));
  }
  return 0;
}

}  // namespace

const Command kRecord = {
    "record", "record the host as a fixture for the fake host",
    "usage: nsenterctl record [--rootfs DIR] [--probe PATH]... [--search-dir DIR]...\n"
    "                         [--name NAME] [--fixture-root PATH] [--out FILE]\n"
    "                         [--verbose]\n\n"
    "Writes a fakehost/v1 fixture (fakehost/FORMAT.md) of the host under DIR: what\n"
    "discovery finds, the files and symlinks behind every place it looks and\n"
    "behind every probe path, the host's own realpath -e and -m answers for\n"
    "each probe, and its mount table (DIR/proc/1/mountinfo). The fixture is\n"
    "written only if it loads. Read-only on the host.\n\n"
    "options:\n"
    "  --rootfs DIR         where the host's / is mounted (default /rootfs)\n"
    "  --probe PATH         an absolute host path to record, besides the defaults\n"
    "                       (repeatable)\n"
    "  --search-dir DIR     also record the host binaries in DIR, and run realpath\n"
    "                       as probe --search-dir DIR finds it (repeatable); the\n"
    "                       fixture's \"expect\" stays that of the default dirs\n"
    "  --name NAME          the host's name in the fixture, UTF-8 text (default\n"
    "                       ID-VERSION_ID)\n"
    "  --fixture-root PATH  the host root to write into the fixture, a clean\n"
    "                       absolute path (default DIR with its symlinks\n"
    "                       resolved); for a recording made with the host mounted\n"
    "                       elsewhere than where its users will mount it\n"
    "  --out FILE           write the fixture to FILE instead of stdout; a failed\n"
    "                       write leaves a previous FILE as it was\n"
    "  --verbose            log every command run on the host\n",
    Run};

}  // namespace nsenterctl
