// What the resolver fuzzer (resolver_fuzzer.cc) checks of every input, and
// what //nsenter/fuzz:resolver_corpus_test checks of every committed one.
//
// The input is decoded (resolver_input.h) into a small tree and queries. The
// tree is held in memory by a fakehost::FakeHost and also written to a fresh
// temporary directory, which two RootFileViews see (one with openat2, one
// with the O_NOFOLLOW component walk). For every query, with -e and -m:
//   - ResolveRealpath answers the same over the three views: the same bytes,
//     or errors with the same code;
//   - it calls the view no more often than realpath_resolver.h allows (each
//     call spends at least one of RealpathLimits::max_lookups), so it
//     terminates. The RealpathLimits are lower than the defaults (128
//     symlinks, 64 KiB re-queued, 4096 lookups), so that runaway inputs stay
//     cheap;
//   - a result is an absolute, clean path: no empty, "." or ".." component
//     and no trailing "/";
//   - under -e a result exists: Lstat through the RootFileView succeeds and
//     does not find a symlink;
//   - a result that a walk following no symlink reaches below the directory
//     (under -e, every result) is the very file that openat2 with
//     RESOLVE_IN_ROOT reaches there: results never lead out of the root.
//
// Needs openat2(2) (Linux 5.6). Each call creates and removes a temporary
// directory under $TEST_TMPDIR or /tmp.
//
// Thread-safety: calls may run concurrently (each has its own directory).
#ifndef NSENTER_FUZZ_RESOLVER_CHECK_H_
#define NSENTER_FUZZ_RESOLVER_CHECK_H_

#include <optional>
#include <string>
#include <string_view>

namespace nsenter {

// The broken property, described, or nullopt if `input` behaves as above.
std::optional<std::string> CheckResolverInput(std::string_view input);

}  // namespace nsenter

#endif  // NSENTER_FUZZ_RESOLVER_CHECK_H_
