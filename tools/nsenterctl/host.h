// The host a subcommand acts on: a real host root (--rootfs DIR), or a
// recorded host (--fixture FILE). Through nsenter a fixture is replayed by the
// fake host: its files are the fixture's entries, and its commands answer as
// recorded (realpath queries nobody recorded are computed over the entries).
// Natively its tree is materialized into a temporary directory and used as the
// host root (fakehost/native_options.h): that tree holds the fixture's files
// but neither its programs nor its mounts, so what would start a program or
// needs the mounts is refused there (RefuseOnMaterializedFixture).
#ifndef TOOLS_NSENTERCTL_HOST_H_
#define TOOLS_NSENTERCTL_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/mount/host_mounter.h"
#include "nsenter/nsenter.h"
#include "tools/nsenterctl/args.h"

namespace nsenterctl {

// The options every host-using subcommand accepts.
std::vector<OptionSpec> HostOptionSpecs();
// Their --help lines.
inline constexpr char kHostOptionsHelp[] =
    "  --rootfs DIR       where the host's / is mounted (default /rootfs)\n"
    "  --fixture FILE     act on a recorded host (fakehost/v1 JSON) instead: replayed\n"
    "                     in memory through nsenter, or, with --backend native, its\n"
    "                     files written to a temporary directory (removed at exit,\n"
    "                     also on SIGHUP, SIGINT or SIGTERM), where what would run a\n"
    "                     program on this machine or needs the recorded mounts is\n"
    "                     refused (exit 2)\n"
    "  --backend B        nsenter (the nsenter program and the host's realpath;\n"
    "                     default) or native (setns(2) and the in-process resolver)\n"
    "  --search-dir DIR   also look for host binaries in DIR, after /, /bin,\n"
    "                     /usr/sbin and /usr/bin (repeatable)\n"
    "  --namespaces LIST  the host namespaces commands run in, comma-separated, from\n"
    "                     mnt, net, uts, ipc, pid, cgroup (default mnt)\n"
    "  --target-pid PID   enter the namespaces of host process PID (default 1)\n"
    "  --verbose          print the library's log: every command run on the host,\n"
    "                     each failure as it happens, the resolution root's fallback\n";

// An Nsenter ready to use, and what keeps it working.
class Host {
 public:
  virtual ~Host() = default;
  virtual const nsenter::Nsenter& nsenter() const = 0;
  // The host root as the user knows it (the fixture's root for a fixture).
  virtual std::string root() const = 0;
  // The process whose namespaces and mount table are the host's: --target-pid
  // (default 1), or for a fixture the <pid> of its mount namespace
  // (/proc/<pid>/ns/mnt; 1 for another path).
  virtual int target_pid() const = 0;
  // The message of `error`, of an operation of nsenter(), for the user: a
  // temporary directory a fixture was materialized into (--backend native)
  // is named by the fixture's root it stands for, as through nsenter.
  virtual std::string Describe(const nsenter::Error& error) const = 0;
};

// Opens the host the parsed options name. Throws UsageError for options that
// contradict each other or that are malformed (an empty --rootfs or
// --fixture, a relative --search-dir, an unknown backend or namespace, a
// --target-pid below 1); returns the error of fixture loading or discovery
// (named as Host::Describe names it) (which, when a required binary is
// missing, names a known directory of programs the host has and
// --search-dir did not add, e.g. NixOS's /run/current-system/sw/bin).
nsenter::Result<std::unique_ptr<Host>> OpenHost(const ParsedArgs& args);

// What a command needs that a fixture materialized for --backend native
// cannot give: the tree holds the recorded files, but no programs (the
// native backend would start this machine's, in this process's own mount
// namespace) and none of the recorded mounts.
enum class FixtureNeed {
  kRunsPrograms,   // It starts a program on the host (exec, mount, umount).
  kRecordedMounts  // Its answer comes from the host's mounts, not its mount
                   // table file (is-mount-point natively: statx).
};

// Throws UsageError (exit 2), before anything is opened or run, when `args`
// name a --fixture with --backend native and `command` has `need`; the
// message names the reason and suggests --backend nsenter, whose fake host
// replays the fixture. Call it before OpenHost.
void RefuseOnMaterializedFixture(const ParsedArgs& args, const std::string& command,
                                 FixtureNeed need);

// Host::Describe's message of `error`, then, where a host program ran and
// wrote to stderr, the first line it wrote, quoted: mount(8)'s or mkdir(1)'s
// own reason ("...: 'mount: /x: mount point does not exist.'").
std::string DescribeWithHostMessage(const Host& host, const nsenter::Error& error);

// The options of HostMounter and HostFiles: the mount table read is that of
// `host`'s target pid.
nsenter::HostMounterOptions MounterOptions(const Host& host);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_HOST_H_
