#include "tools/nsenterctl/recorder.h"

#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "nsenter/discovery.h"
#include "nsenter/host_path.h"
#include "nsenter/mount/mountinfo.h"
#include "nsenter/nsenter.h"
#include "nsenter/quote.h"
#include "nsenter/realpath_resolver.h"
#include "nsenter/root_file_view.h"
#include "tools/nsenterctl/mount_namespace.h"
#include "tools/nsenterctl/os_release.h"
#include "tools/nsenterctl/recording_file_view.h"

namespace nsenterctl {
namespace {

using nsenter::fakehost::Answer;
using nsenter::fakehost::Expectations;
using nsenter::fakehost::Fixture;
using nsenter::fakehost::ScriptedCommand;

// nsenter(1)'s exit statuses when it cannot execute the program.
constexpr int kNsenterNotFound = 127;
constexpr int kNsenterCannotExecute = 126;

std::string Trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// What a host command printed and how it exited; nothing for a command
// that did not run to an exit (a timeout, a signal). Errors: kExecFailed
// where nsenter itself failed or could not start (a namespace that cannot
// be entered, say): its failure is no answer of the host's.
nsenter::Result<std::optional<Answer>> RunOnHost(const nsenter::Nsenter& ns,
                                                 const std::string& program,
                                                 const std::vector<std::string>& args) {
  std::unique_ptr<nsenter::Cmd> cmd = ns.Exec(program, args);
  cmd->SetEnv(nsenter::RealpathEnvironment(nsenter::Options().host_path));
  cmd->SetTimeout(std::chrono::seconds(10));
  nsenter::Result<std::string> out = cmd->Output();
  if (out.ok()) return std::optional<Answer>(Answer{0, *out, ""});
  const nsenter::Error& error = out.error();
  if (error.code() == nsenter::ErrorCode::kExecFailed) {
    return nsenter::Error(nsenter::ErrorCode::kExecFailed,
                          "cannot record the host: " + error.message() + ": " +
                              nsenter::Quote(Trimmed(error.stderr_data())));
  }
  // nsenter could not execute the program: the host's answer is nsenter's.
  if (error.code() == nsenter::ErrorCode::kNotFound && !error.stderr_data().empty()) {
    return std::optional<Answer>(Answer{kNsenterNotFound, error.stdout_data(), error.stderr_data()});
  }
  if (error.code() == nsenter::ErrorCode::kPermissionDenied && !error.stderr_data().empty()) {
    return std::optional<Answer>(
        Answer{kNsenterCannotExecute, error.stdout_data(), error.stderr_data()});
  }
  if (!error.has_exit_status()) return std::optional<Answer>();
  return std::optional<Answer>(Answer{error.exit_status(), error.stdout_data(), error.stderr_data()});
}

// The lines of the mount table at <host root>/proc/<pid>/mountinfo, where
// <pid> owns the fixture's mount namespace; nullopt where it cannot be read
// (logged). Errors: kInvalidArgument for a table ParseMountInfo refuses.
nsenter::Result<std::optional<std::vector<std::string>>> RecordMountInfo(
    const std::string& host_root, const Fixture& fixture, const nsenter::LogSink& log) {
  const std::string file = nsenter::JoinHostPath(
      host_root,
      "/proc/" + std::to_string(*nsenter::fakehost::MountNamespacePid(fixture.mount_namespace)) +
          "/mountinfo");
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    if (log) log(0, "mount table not recorded: cannot read " + nsenter::Quote(file));
    return std::optional<std::vector<std::string>>();
  }
  const std::string table = text.str();
  if (nsenter::Result<std::vector<nsenter::MountInfo>> parsed = nsenter::ParseMountInfo(table);
      !parsed.ok()) {
    return nsenter::Error(nsenter::ErrorCode::kInvalidArgument,
                          "cannot record the mount table " + nsenter::Quote(file) + ": " +
                              parsed.error().message());
  }
  std::vector<std::string> lines;
  std::istringstream split(table);
  for (std::string line; std::getline(split, line);) lines.push_back(std::move(line));
  return std::optional<std::vector<std::string>>(std::move(lines));
}

// What Nsenter::Create with default options gives on this host.
Expectations ExpectationsOf(const nsenter::Result<std::unique_ptr<nsenter::Nsenter>>& created) {
  Expectations expect;
  if (!created.ok()) {
    // Up to the host root, which differs between recording and replay.
    std::string prefix = created.error().message();
    if (const size_t under = prefix.find(" under "); under != std::string::npos) {
      prefix = prefix.substr(0, under + 7);
    }
    expect.create_error = nsenter::fakehost::ExpectedError{created.error().code(), prefix};
    return expect;
  }
  const nsenter::Nsenter& ns = **created;
  std::map<std::string, std::string> discovery;
  for (const auto* names : {&nsenter::DefaultRequiredBinaries(), &nsenter::DefaultOptionalBinaries()}) {
    for (const std::string& name : *names) {
      const std::string path = ns.AbsHostPath(name);
      if (path != name) discovery[name] = path;
    }
  }
  expect.discovery = std::move(discovery);
  const nsenter::SystemdSupport systemd = ns.SupportsSystemd();
  expect.systemd_run = nsenter::fakehost::ExpectedSystemdRun{systemd.path, systemd.found};
  return expect;
}

// The default probes, then each extra probe not already among them.
std::vector<std::string> ProbePaths(const std::vector<std::string>& extra) {
  std::vector<std::string> probes = DefaultProbes();
  for (const std::string& probe : extra) {
    if (std::find(probes.begin(), probes.end(), probe) == probes.end()) probes.push_back(probe);
  }
  return probes;
}

// Every binary the library looks for, at every place it looks: the default
// search dirs, then `search_dirs`.
std::vector<std::string> CandidatePaths(const std::vector<std::string>& search_dirs) {
  std::vector<std::string> dirs = nsenter::DefaultSearchDirs();
  dirs.insert(dirs.end(), search_dirs.begin(), search_dirs.end());
  std::vector<std::string> candidates;
  for (const auto* names :
       {&nsenter::DefaultRequiredBinaries(), &nsenter::DefaultOptionalBinaries()}) {
    for (const std::string& name : *names) {
      for (const std::string& dir : dirs) candidates.push_back(nsenter::JoinHostPath(dir, name));
    }
  }
  return candidates;
}

// The fixture's root: the requested one (checked by CheckRecordRequest), or
// by default the host root with every symlink, "." and ".." resolved.
nsenter::Result<std::string> FixtureRoot(const std::optional<std::string>& requested,
                                         const std::string& host_root) {
  if (requested) return *requested;
  char resolved[PATH_MAX];
  if (realpath(host_root.c_str(), resolved) == nullptr) {
    const int error = errno;
    return nsenter::Error(
        nsenter::ErrorCodeFromErrno(error),
        "cannot resolve the host root " + nsenter::Quote(host_root) + ": " + std::strerror(error));
  }
  return std::string(resolved);
}

}  // namespace

const std::vector<std::string>& DefaultProbes() {
  static const std::vector<std::string> probes = {
      "/",
      "/bin",
      "/sbin",
      "/lib",
      "/usr/bin/../lib",
      "/etc/os-release",
      "/etc/mtab",
      "/var/run",
      "/run",
      "/tmp",
      "/var/lib/kubelet",
      "/var/lib/kubelet/pods",
      "/var/lib/kubelet/pods/00000000-0000-0000-0000-000000000000/volumes/"
      "kubernetes.io~empty-dir/cache",
      "/var/lib/kubelet/../../../../etc",
      "/var/log/pods",
      "/nonexistent/x/../y",
      "/bin/mount",
      "/usr/bin/mount",
      "/usr/sbin/mount",
      "/bin/sh",
      "/usr/bin/realpath",
      "/bin/mount/x",
      "//usr///bin//",
  };
  return probes;
}

nsenter::Status CheckRecordRequest(const RecordRequest& request) {
  if (nsenter::Status valid = nsenter::ValidateAbsolutePath("host root", request.host_root);
      !valid.ok()) {
    return valid;
  }
  for (const std::string& probe : request.extra_probes) {
    if (nsenter::Status valid = nsenter::ValidateAbsolutePath("probe", probe); !valid.ok()) {
      return valid;
    }
  }
  for (const std::string& dir : request.search_dirs) {
    if (nsenter::Status valid = nsenter::ValidateAbsolutePath("search dir", dir); !valid.ok()) {
      return valid;
    }
  }
  if (!request.fixture_root) return {};
  const std::string& root = *request.fixture_root;
  if (nsenter::Status valid = nsenter::ValidateAbsolutePath("fixture root", root); !valid.ok()) {
    return valid;
  }
  if (const std::string clean = nsenter::CleanAbsolutePath(root); clean != root) {
    return nsenter::Error(
        nsenter::ErrorCode::kInvalidArgument,
        "fixture root " + nsenter::Quote(root) +
            " is not a clean path (no \".\", \"..\", \"//\" or trailing \"/\"); did you mean " +
            nsenter::Quote(clean) + "?");
  }
  return {};
}

nsenter::Result<Fixture> RecordFixture(const RecordRequest& request) {
  if (nsenter::Status valid = CheckRecordRequest(request); !valid.ok()) return valid.error();
  const std::vector<std::string> probes = ProbePaths(request.extra_probes);
  nsenter::Result<std::unique_ptr<nsenter::RootFileView>> root =
      nsenter::RootFileView::Open(request.host_root);
  if (!root.ok()) return root.error();
  const RecordingFileView recording(**root);

  nsenter::Options options;
  options.host_root = request.host_root;
  options.log = request.log;
  Fixture fixture;
  nsenter::Result<std::string> fixture_root = FixtureRoot(request.fixture_root, request.host_root);
  if (!fixture_root.ok()) return fixture_root.error();
  fixture.root = *fixture_root;
  fixture.expect = ExpectationsOf(nsenter::Nsenter::Create(options));

  // The files behind discovery and behind every probe. A probe whose
  // resolution met a file the fixture cannot hold gets no recorded answers:
  // replay would contradict them.
  for (const std::string& path : CandidatePaths(request.search_dirs)) {
    (void)nsenter::ResolveRealpath(recording, path, nsenter::RealpathMode::kAllowMissing);
  }
  std::vector<std::string> answerable;
  for (const std::string& path : probes) {
    const size_t undescribable_before = recording.undescribable_lookups();
    for (const auto mode :
         {nsenter::RealpathMode::kMustExist, nsenter::RealpathMode::kAllowMissing}) {
      (void)nsenter::ResolveRealpath(recording, path, mode);
    }
    if (recording.undescribable_lookups() == undescribable_before) {
      answerable.push_back(path);
    } else if (request.log) {
      request.log(0, "no answers recorded for " + nsenter::Quote(path) +
                         ": it leads to a FIFO, device or socket, which a fixture cannot hold");
    }
  }
  fixture.entries = recording.entries();
  for (const std::string& path : recording.skipped()) {
    if (request.log) request.log(0, "not recorded (no fixture type for it): " + nsenter::Quote(path));
  }

  // Commands run even where a required binary is missing: realpath may be
  // there. They run as a user with the same --search-dir would run them.
  options.required_binaries.clear();
  options.search_dirs.insert(options.search_dirs.end(), request.search_dirs.begin(),
                             request.search_dirs.end());
  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) return ns.error();
  if (nsenter::Status entered = CheckMountNamespace(**ns); !entered.ok()) return entered.error();
  const std::string realpath = (*ns)->AbsHostPath("realpath");
  for (const std::string& path : answerable) {
    for (const std::string flag : {"-e", "-m"}) {
      const std::vector<std::string> args = {flag, "--", path};
      nsenter::Result<std::optional<Answer>> answer = RunOnHost(**ns, realpath, args);
      if (!answer.ok()) return answer.error();
      if (!*answer) {
        if (request.log) request.log(0, "no answer recorded for realpath " + flag + " " + path);
        continue;
      }
      std::vector<std::string> argv = args;
      argv.insert(argv.begin(), realpath);
      fixture.commands.push_back(ScriptedCommand{std::move(argv), std::move(**answer)});
    }
  }

  // Which realpath the host has: the fake host emulates GNU's only.
  nsenter::Result<std::optional<Answer>> version = RunOnHost(**ns, realpath, {"--version"});
  if (!version.ok()) return version.error();
  if (*version) {
    fixture.commands.push_back(ScriptedCommand{{realpath, "--version"}, std::move(**version)});
  }

  nsenter::Result<std::optional<std::vector<std::string>>> mountinfo =
      RecordMountInfo(request.host_root, fixture, request.log);
  if (!mountinfo.ok()) return mountinfo.error();
  fixture.mountinfo = std::move(*mountinfo);

  // Metadata, from the host itself.
  fixture.host.recorded_with = "nsenterctl record";
  fixture.host.date = request.date;
  nsenter::Result<std::optional<Answer>> release = RunOnHost(**ns, "cat", {"/etc/os-release"});
  if (!release.ok()) return release.error();
  if (*release && (*release)->exit_code == 0) {
    OsRelease parsed = ParseOsRelease((*release)->stdout_data);
    fixture.host.os_release = std::move(parsed.fields);
    for (const std::string& note : parsed.notes) {
      if (request.log) request.log(0, note);
    }
  } else if (request.log) {
    request.log(0, "os-release not recorded: `cat /etc/os-release` failed on the host");
  }
  nsenter::Result<std::optional<Answer>> kernel = RunOnHost(**ns, "uname", {"-r"});
  if (!kernel.ok()) return kernel.error();
  if (*kernel && (*kernel)->exit_code == 0) {
    fixture.host.kernel = Trimmed((*kernel)->stdout_data);
  } else if (request.log) {
    request.log(0, "kernel not recorded: `uname -r` failed on the host");
  }
  fixture.host.name = request.name;
  if (fixture.host.name.empty()) {
    const auto& release = fixture.host.os_release;
    const auto field = [&release](const char* key) {
      const auto found = release.find(key);
      return found == release.end() ? std::string("unknown") : found->second;
    };
    fixture.host.name = field("ID") + "-" + field("VERSION_ID");
  }
  return fixture;
}

}  // namespace nsenterctl
