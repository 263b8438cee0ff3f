// The host a subcommand acts on: a real host root (--rootfs DIR), or a
// recorded host replayed by the fake host (--fixture FILE): its files are the
// fixture's entries, and its commands answer as recorded (realpath queries
// nobody recorded are computed over the entries).
#ifndef TOOLS_NSENTERCTL_HOST_H_
#define TOOLS_NSENTERCTL_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "nsenter/error.h"
#include "nsenter/nsenter.h"
#include "tools/nsenterctl/args.h"

namespace nsenterctl {

// The options every host-using subcommand accepts.
std::vector<OptionSpec> HostOptionSpecs();
// Their --help lines.
inline constexpr char kHostOptionsHelp[] =
    "  --rootfs DIR   where the host's / is mounted (default /rootfs)\n"
    "  --fixture FILE act on a recorded host (fakehost/v1 JSON) instead\n"
    "  --backend B    nsenter (the nsenter program and the host's realpath; default)\n"
    "                 or native (setns(2) and the in-process resolver)\n"
    "  --verbose      print the library's log: every command run on the host, each\n"
    "                 failure as it happens, the resolution root's fallback\n";

// An Nsenter ready to use, and what keeps it working.
class Host {
 public:
  virtual ~Host() = default;
  virtual const nsenter::Nsenter& nsenter() const = 0;
  // The host root as the user knows it (the fixture's root for a fixture).
  virtual std::string root() const = 0;
};

// Opens the host the parsed options name. Throws UsageError for options that
// contradict each other; returns the error of discovery or fixture loading.
nsenter::Result<std::unique_ptr<Host>> OpenHost(const ParsedArgs& args);

}  // namespace nsenterctl

#endif  // TOOLS_NSENTERCTL_HOST_H_
