// GNU realpath(1) emulated over a FileView: what `realpath -e|-m [-z] [--]
// NAME...` prints and exits with when nsenter runs it on a host, for the
// fake executor to answer queries no fixture recorded.
//
// Example:
//   std::optional<RealpathInvocation> call =
//       ParseRealpathCommand({"/usr/bin/realpath", "-e", "--", "/nonexist dir/x"});
//   nsenter::Result<Answer> answer = RunRealpath(host, *call);
//   // answer->exit_code == 1, answer->stderr_data ==
//   //     "/usr/bin/realpath: '/nonexist dir/x': No such file or directory\n"
//
// What is emulated: coreutils 9.x realpath in the C locale (the environment
// Nsenter::EvalSymlinks gives it), with the host's "/" as its working
// directory (as under nsenter). Per NAME, in order: the resolved path and "\n"
// (or "\0" with -z) on stdout; or "<argv[0]>: <NAME quoted as coreutils
// does>: <strerror text>\n" on stderr (coreutils names itself by its argv[0],
// so "/bin/realpath: ..." when run as /bin/realpath), and exit status 1 at
// the end. A relative NAME
// is taken from "/"; an empty one is "No such file or directory".
// Resolution is nsenter::ResolveRealpath, so its documented divergences apply
// (a symlink graph on which realpath would never finish is reported as a loop).
//
// Thread-safety: pure functions; as thread-safe as the view.
#ifndef FAKEHOST_REALPATH_EMULATION_H_
#define FAKEHOST_REALPATH_EMULATION_H_

#include <optional>
#include <string>
#include <vector>

#include "fakehost/fixture.h"
#include "nsenter/error.h"
#include "nsenter/file_view.h"
#include "nsenter/realpath_resolver.h"

namespace nsenter::fakehost {

struct RealpathInvocation {
  std::string program;  // argv[0], which prefixes its messages.
  RealpathMode mode = RealpathMode::kMustExist;
  bool zero_terminated = false;  // -z
  std::vector<std::string> names;
};

// The invocation `argv` asks for, if it runs realpath ("realpath" or a path
// whose last component is "realpath") in the emulated subset: options -e, -m,
// -z (also bundled, as "-ez") and their long forms --canonicalize-existing,
// --canonicalize-missing, --zero, anywhere before a "--" (GNU getopt
// permutes), at least one of -e and -m (the last wins), and at least one
// NAME. Anything else (another program, other options, no mode, no NAME) is
// nullopt: the real tool would print usage or act differently.
std::optional<RealpathInvocation> ParseRealpathCommand(const std::vector<std::string>& argv);

// What realpath answers to `invocation` on `view`. Errors: kInternal when the
// resolution fails for a reason realpath has no message for (e.g. the view
// failed with kInternal).
Result<Answer> RunRealpath(const FileView& view, const RealpathInvocation& invocation);

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_REALPATH_EMULATION_H_
