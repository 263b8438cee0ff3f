// GNU `realpath -e` / `realpath -m`, computed over a FileView.
//
// `ResolveRealpath` answers what GNU realpath (coreutils 9.0 or newer, whose
// algorithm is gnulib's lib/canonicalize.c) prints when run on the host with
// the view's "/" as its root. Both backends use it: the native one over the
// real host root, the fake host over its in-memory tree.
//
// Example:
//   nsenter::Result<std::string> dir =
//       nsenter::ResolveRealpath(view, "/var/lib/kubelet", nsenter::RealpathMode::kMustExist);
//
// Semantics (as realpath; "-e" = kMustExist, "-m" = kAllowMissing):
//   - Components are taken left to right; runs of "/" count as one ("//" is
//     "/", there is no distinct "//" root on Linux) and "." is skipped.
//   - ".." removes the last component of the path resolved so far (physical:
//     `l/..` after a symlink `l -> x/y` is `x`, not the directory holding `l`);
//     at "/" it stays at "/".
//   - A symlink is replaced by its target text followed by the rest of the
//     path. An absolute target restarts at the view's "/"; a relative one
//     continues from the directory holding the link. There is no fixed limit
//     of 40 links (a non-looping chain of 60 links resolves).
//   - Loops are detected with gnulib's rule: the first 20 symlinks of a
//     resolution are followed unchecked; from the 21st on, each symlink
//     records the triple (path text still to resolve, starting with the
//     link's own name; device and inode of the directory holding the link).
//     Meeting a recorded triple again is a loop: -e fails with kLoop; -m keeps
//     the link's name literally and goes on. So with `q1 -> q2 -> q3 -> q1`,
//     -m of "q1/x" is "q3/x" (gnulib before coreutils 9.0 checked from the
//     first link and printed "q1/x").
//   - Limits are those realpath meets in the kernel: a path handed to a
//     lookup must be shorter than PATH_MAX (4096 bytes) and each component at
//     most NAME_MAX (255 bytes); the check that a name followed by "/", "/."
//     or "/.." is a directory looks up the name plus "/", so such a name must
//     be shorter than 4095 bytes. Below a non-directory, a lookup fails with
//     kNotADirectory unless the path has reached PATH_MAX (NAME_MAX is not
//     checked there).
//   - -e: every component must exist, and a non-directory must be last:
//     "/", "/.", "/.." or a name after it fails with kNotADirectory (or
//     kNameTooLong by the limits above). Errors: kNotFound, kNotADirectory,
//     kLoop, kPermissionDenied, kNameTooLong, kUnsupported (from the view or
//     the limits).
//   - -m: nothing needs to exist. A component whose lookup fails for any of
//     the reasons above (missing, below a non-directory, too long, refused,
//     a detected loop) is kept literally, and everything below it is taken
//     lexically — until ".." removes it again, after which lookups resume
//     (e.g. "nope/../x" is "x"; "lnkE/<300 bytes>/../passwd" with
//     `lnkE -> /etc` is "/etc/passwd"). A dangling link is replaced by its
//     target text. A non-directory followed by "/" or "/." is kept as is.
//   - -m fails only where gnulib fails in that mode too: when the directory
//     holding a link cannot be looked up for the loop check (never in a
//     consistent tree), and for the divergences below.
//
// Work (how the resolver stays linear where realpath explodes):
//   - A path whose whole lookup meets no symlink is answered by one view
//     call (FileView::ResolvesWithoutSymlinks; natively one confined
//     openat2): it exists, so both modes answer it made lexically clean.
//     Asked only of paths of at most PATH_MAX - 2 bytes whose n components keep
//     n * (n + 1) within max_lookups, so that no limit would have ended the
//     walk; any other answer falls back to the walk below.
//   - The view is walked with a cursor (file_view.h): each component is one
//     lookup relative to its parent. A run of plain names that needs no
//     directory check between them is first looked up in one view call
//     (natively one openat2 with symlinks refused); if that fails, the run is
//     taken name by name, so the answer is always that of single steps.
//   - Memoization. Once the target text of a link has been consumed, the
//     state it left (the resolved path) is remembered, keyed by the link's
//     own path, which fixes everything before it. Meeting the same link
//     again (with any rest) reuses it instead of expanding it, and counts the
//     links gnulib would have met inside it, so its 20-link threshold for
//     the loop check is unchanged. A chain `e_i -> e_{i-1}/../e_{i-1}` of
//     depth n then costs O(n) lookups, where realpath takes 2^n. This is
//     exact for realpath's answer: (a) under -e a remembered state is reused
//     only on a directory whose path leaves room for "/", so no directory
//     check that follows it can fail; (b) gnulib's loop check only fires when
//     a state recurs, and a recurring state passes through the reused link
//     itself, whose triple is still recorded, so -e still fails with kLoop;
//     (c) under -m the place where the loop is found decides the answer, so
//     when -m meets a loop after reusing an expansion, the whole resolution
//     is computed again without memoization (then bounded as below).
//   - The bound. `RealpathLimits::max_lookups` caps the components looked up
//     by view calls: a call costs the number of components it looks up or
//     reopens (at least 1), so a reopened deep directory costs its depth.
//     `max_symlinks` caps the links followed (not reused), and
//     `max_requeued_bytes` the text they re-queue. Every other step consumes
//     a byte of queued text, so a resolution does O(path + max_requeued_bytes)
//     steps and at most max_lookups components of view work, twice at most
//     (the -m recomputation). With the defaults the view work is a few
//     hundred thousand component lookups in the worst case: milliseconds.
//     Exceeding a bound fails with kLoop, in both modes, with a message that
//     contains "work bound".
//   - Growth without end is caught before any bound: when a link is met
//     again inside its own expansion, at the same path and with more text
//     after it than the first time, every round repeats the same steps and
//     adds that text again (`g -> g/x`), so realpath never finishes. The
//     resolver fails at once with kLoop ("grows without end (work bound)").
//
// Divergences from realpath, by design:
//   - GNU realpath never finishes on some graphs (a link `g -> g/x` grows the
//     path forever, and answers chains as above in exponential time; the
//     resolver answers those, and fails the former with kLoop once a bound
//     of "Work" above is reached. Graphs that exceed a bound without memo
//     help, e.g. -m on an exponential chain that also loops, fail likewise.
//   - Memoization keys by path, gnulib's loop check by device and inode: on
//     a tree where one directory is reachable under two names (bind mounts),
//     a looping resolution may be caught at another link than gnulib's.
//   - `path` must be absolute, non-empty and free of NUL bytes; otherwise
//     kInvalidArgument (realpath would use its working directory, report
//     ENOENT for "", and never see bytes after a NUL).
//   - View errors other than the five codes above (e.g. kInternal) fail the
//     resolution in both modes instead of being taken as "missing" under -m.
//     So does a view answering a symlink target that contains a NUL byte
//     (kInternal), which readlink(2) cannot return.
//   - A procfs link (kUnsupported from the view, e.g. /proc/self/root) fails
//     -e with kUnsupported; -m keeps it literally. realpath would follow it
//     as its own process sees it.
// Error messages name `path` (quoted with nsenter::Quote) and the prefix or
// component at fault.
//
// What the resolver asks of the view: OpenDirectory, LookUp and Lstat of
// absolute paths that are below PATH_MAX, whose components are at most
// NAME_MAX bytes, have no "." or "..", and whose every proper prefix the view
// has reported as a directory, or LookUp is asked to check as one (so a view
// never has to follow a symlink); and ResolvesWithoutSymlinks of the path
// as given. The view's "/" must be a directory.
//
// Thread-safety: a pure function of its arguments; as thread-safe as the view.
#ifndef NSENTER_REALPATH_RESOLVER_H_
#define NSENTER_REALPATH_RESOLVER_H_

#include <cstddef>
#include <string>

#include "nsenter/error.h"
#include "nsenter/file_view.h"

namespace nsenter {

enum class RealpathMode {
  kMustExist,     // realpath -e
  kAllowMissing,  // realpath -m
};

// Bounds on the work of one resolution (see "Work" above). The defaults are
// far beyond what a non-pathological tree needs (the kernel itself follows at
// most 40 symlinks per path walk, and a path has at most 2048 components)
// and keep a runaway resolution to milliseconds and a few MiB.
struct RealpathLimits {
  // Symlinks followed (not counting memoized expansions reused) in one
  // resolution; gnulib has no limit.
  size_t max_symlinks = 256;
  // Bytes re-queued over the whole resolution: each followed symlink re-queues
  // its target text plus the rest of the path still to resolve (what gnulib
  // copies, and at most what its loop check remembers).
  size_t max_requeued_bytes = size_t{4} << 20;
  // Components looked up (or reopened) by view calls.
  size_t max_lookups = size_t{1} << 14;
};

// Resolves absolute host path `path` over `view` like GNU realpath (coreutils
// >= 9.0) run on the host with / as the view's root.
Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode);

// The same with explicit bounds.
Result<std::string> ResolveRealpath(const FileView& view, const std::string& path,
                                    RealpathMode mode, const RealpathLimits& limits);

}  // namespace nsenter

#endif  // NSENTER_REALPATH_RESOLVER_H_
