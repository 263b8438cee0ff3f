// Nsenter: run commands and resolve paths on the host from a privileged
// container, the C++ counterpart of k8s.io/utils/nsenter.
//
// The container sees the host's root file system at a host root ("/rootfs",
// e.g. `-v /:/rootfs:rslave`) and reaches the host's namespaces through
// `<host root>/proc/1/ns/` (the container shares the host's PID namespace).
// `Create` finds the host binaries under the host root; commands then run in
// the host's mount namespace (and any others chosen) through one of two
// backends:
//   - Backend::kNsenter (the default, as Kubernetes' original): every command
//     runs as `nsenter --mount=<host root>/proc/1/ns/mnt -- <host path> args`
//     through an Executor, and EvalSymlinks runs the host's realpath(1).
//   - Backend::kNative: commands are started with setns(2) in a forked child
//     (setns_executor.h: one exec, no nsenter program), and EvalSymlinks
//     resolves in-process, confined to the host's root (root_file_view.h),
//     with realpath's semantics (realpath_resolver.h). The root used is the
//     target process's own root, `<host root>/proc/<pid>/root`, which shows
//     every mount of the host's namespace; where that cannot be opened (no
//     procfs of the host under the root, or missing privileges) the host root
//     itself is used, with a warning logged: it then misses host mounts that
//     did not propagate into the container (a `private` or non-recursive
//     bind of the host's /). `resolution_root()` tells which one is in use:
//     it equals `host_root()` after the fallback.
//
// Example:
//   nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create({});
//   if (!ns.ok()) return ns.error();
//   nsenter::Result<std::string> mounts = (*ns)->Exec("findmnt", {"-J"})->Output();
//   nsenter::Result<std::string> dir = (*ns)->EvalSymlinks("/var/lib/kubelet", true);
//
// An `Nsenter` is an `Executor`: code written against `Executor` runs on the
// host unchanged, and tests can replace it with a mock (//fakehost).
//
// What a host program gets, the same in both backends:
//   - Environment: by default a minimal host environment, only
//     PATH=<Options::host_path>. Nothing of the container's environment
//     reaches the host (container environments carry service-account tokens
//     and other secrets); pass what the program needs with Cmd::SetEnv,
//     which replaces the whole environment.
//   - PATH: a name without a slash that discovery does not know is looked
//     up on the host, after the namespaces are entered, in the PATH of the
//     command's environment: the host PATH by default; the caller's PATH
//     when SetEnv gives one; execvp's "/bin:/usr/bin" when SetEnv gives an
//     environment without PATH. The container's PATH is never used. The
//     search is execvp's: it goes past a candidate that is missing or may
//     not be executed, and stops at any other error (a symlink loop, say),
//     even when a later directory holds the program.
//   - Working directory (Cmd::SetDir): a host path, entered after the
//     namespaces (a relative one is taken from the host's "/"); by default
//     the host's "/". Through nsenter this is its --wdns= option, so the
//     nsenter program must be util-linux 2.38 or newer when SetDir is used.
//
// One exit-status story, the same in both backends:
//   ok                the program exited 0;
//   kNonZeroExit      the program ran and exited non-zero: its own status,
//                     whatever it is (a program that exits 126 or 127 is
//                     kNonZeroExit 126 or 127);
//   kNotFound         the host program does not exist on the host (through
//                     nsenter: nsenter's "failed to execute PROGRAM: No such
//                     file or directory", exit 127);
//   kPermissionDenied the host program exists but cannot be executed (not
//                     executable, a directory; through nsenter: "failed to
//                     execute PROGRAM: Permission denied", exit 126);
//   kExecFailed       anything else that kept the program from starting:
//                     the nsenter program could not be started in the
//                     container; a namespace could not be entered (missing
//                     CAP_SYS_ADMIN or CAP_SYS_CHROOT, a missing namespace
//                     file: through nsenter, exit 1 with one "nsenter: "
//                     line); the working directory could not be entered;
//                     another exec error (E2BIG, ETXTBSY, ELOOP, ...); this
//                     process ignores SIGCHLD (exec.h);
//   kSignalled        the program was killed by a signal;
//   kTimeout          the program outlived its timeout.
// Messages name the host program (not nsenter), in every case. A program
// that never started has no exit status (has_exit_status() is false) in
// both backends: through nsenter, nsenter's status and message are said by
// the error's code and message instead.
// Through nsenter, "could not be started" is told from the program's own
// status by nsenter's status together with its message on stderr, which
// must be all of stderr, in English (the default environment has no
// locale; a caller environment that sets LANG or LC_* to another language
// hides it), and start with the name nsenter was invoked by (the last
// component of Options::nsenter_program, "nsenter" by default) and ": ".
// For exits 127 and 126 the message is "failed to execute PROGRAM: REASON"
// naming exactly the program given to Exec, and the program must have
// written nothing to stdout, as far as the run saw it (Output, a stdout
// handler). For exit 1 it is one of util-linux's (2.38) messages about the
// options the backend gave: "cannot open NSFILE", "reassociate to namespace
// 'ns/KIND' failed" for a namespace entered, or, with SetDir, "cannot open
// current working directory" and "change directory by working directory
// file descriptor failed". So a program's own message is told apart when it
// names another namespace file or program (the host's own nsenter failing
// is kNonZeroExit 1), or comes with output. The limits: a program that
// prints exactly nsenter's line about itself (or about this Nsenter's
// namespace files) and exits with nsenter's status for it, writing nothing
// on stdout, is taken for nsenter's failure; and an nsenter whose messages
// differ (another version or language) is not understood, its failures then
// being kNonZeroExit with its status. It is seen when the run captures stderr (Run and Start/Wait
// without SetStderr; Output; CombinedOutput) and when stderr streams to a
// handler (SetStderrHandler): the start of the stream is then held back
// while it may still be nsenter's one line, and passed to the handler in
// Wait once the end shows it was the program's (a program whose stderr
// begins "nsenter: " sees that line delayed until more follows). When
// stderr goes to a descriptor of the caller (SetStderr), nsenter's message
// goes there unseen: exits 126 and 127 then stay kNonZeroExit with that
// status — the statuses a shell gives for the same failures — and
// kExecFailed of nsenter's own failures is kNonZeroExit 1.
//
// Thread-safety: immutable after `Create`; all methods may be called from
// many threads at once.
#ifndef NSENTER_NSENTER_H_
#define NSENTER_NSENTER_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsenter/discovery.h"
#include "nsenter/error.h"
#include "nsenter/exec.h"
#include "nsenter/file_view.h"
#include "nsenter/namespaces.h"

namespace nsenter {

// Receives log messages. Verbosity follows klog: 0 is always of interest
// (e.g. a failed resolution), 5 is detail (every command run on the host,
// the nsenter backend's realpath runs for EvalSymlinks included).
using LogSink = std::function<void(int verbosity, std::string_view message)>;

enum class Backend {
  kNsenter,  // The nsenter program and the host's realpath.
  kNative,   // setns(2) and the in-process resolver.
};

struct Options {
  // Where the host's "/" is mounted in the container.
  std::string host_root = "/rootfs";
  Backend backend = Backend::kNsenter;
  // The namespaces commands run in; the mount namespace must be one of them.
  std::vector<NamespaceKind> namespaces = {NamespaceKind::kMount};
  // The process whose namespaces are entered: <host_root>/proc/<pid>/ns/...
  int target_pid = 1;
  // Explicit namespace files, overriding <host_root>/proc/<target_pid>/ns/NAME,
  // for namespaces listed in `namespaces` only: a file for a namespace that
  // is not entered is refused by Create (kInvalidArgument), never ignored.
  std::map<NamespaceKind, std::string> namespace_files;
  // The nsenter program in the container; a bare name is looked up on PATH.
  // Backend::kNsenter only.
  std::string nsenter_program = "nsenter";
  // Host directories searched for binaries, in order; add e.g. "/opt/bin"
  // (Flatcar) or "/run/current-system/sw/bin" (NixOS) after the defaults.
  std::vector<std::string> search_dirs = DefaultSearchDirs();
  std::vector<std::string> required_binaries = DefaultRequiredBinaries();
  std::vector<std::string> optional_binaries = DefaultOptionalBinaries();
  // Runs the nsenter program; null means a ProcessExecutor.
  // Backend::kNsenter only.
  std::shared_ptr<const Executor> executor;
  // The host's files for discovery; null means a RootFileView of host_root.
  std::shared_ptr<const FileView> host_files;
  // Where the library's log goes; null means nowhere: the library never
  // writes to stderr itself. Every failure is also in the Result it returns,
  // and the native backend's resolution root is `resolution_root()`.
  LogSink log;
  // The host PATH: where names without a slash are looked up on the host,
  // by Exec and LookPath, and the PATH of host programs' default
  // environment. Must be non-empty, without NUL bytes.
  std::string host_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  // Deadline of each EvalSymlinks through realpath. GNU realpath never
  // finishes on some symlink graphs (e.g. a link `g -> g/x`); the native
  // resolver bounds its work instead. Backend::kNsenter only.
  std::chrono::milliseconds eval_symlinks_timeout = std::chrono::seconds(10);
};

// Where systemd-run lives on the host, and whether it was found at all.
struct SystemdSupport {
  std::string path;  // The host path, or "systemd-run" when not found.
  bool found = false;
};

class Nsenter : public Executor {
 public:
  // Validates the options, discovers the host binaries and, for the native
  // backend, opens the namespace files and the resolution root. Errors:
  // kInvalidArgument for a relative or NUL-bearing root, namespace file or
  // search dir, a namespace file for a namespace not in `namespaces`,
  // namespaces without the mount namespace, a target PID below 1,
  // an empty program, or a non-positive timeout; kNotFound "unable to find
  // NAME (searched ...)" for a missing required binary; the code of open(2)'s
  // errno for a host root that cannot be opened (e.g. kNotFound); natively,
  // the errors of SetnsExecutor::Open (a missing or wrong namespace file, the
  // PID namespace).
  static Result<std::unique_ptr<Nsenter>> Create(Options options);

  // A command running `cmd` in the host's namespaces. Through nsenter its
  // argv is exactly [nsenter, --mount=<namespace>, --, AbsHostPath(cmd),
  // args...] (more --KIND=FILE options before "--" when more namespaces are
  // chosen, in the order cgroup, ipc, uts, net, pid, mnt; then
  // --wdns=DIR if SetDir was called). A `cmd` that discovery does not know
  // is passed on as given: a bare name is then looked up on the host PATH
  // (see above). The command's environment is the default host environment
  // until SetEnv replaces it. Bad input (empty `cmd`, NUL bytes) yields a
  // Cmd that fails with kInvalidArgument and runs nothing.
  virtual std::unique_ptr<Cmd> Exec(const std::string& cmd,
                                    const std::vector<std::string>& args) const = 0;

  // Exec, for a command whose arguments hold secrets (a password in a
  // mount option, a key): it runs `args` exactly as Exec does, and every
  // text the library makes about it masks each of `secrets` as "<masked>"
  // (redact.h: the secret's bytes, and its quoted form, wherever they
  // appear): the verbosity-5 log line of the run, and the message, stdout
  // and stderr of every error its Cmd returns (kNonZeroExit with the
  // program's output, kTimeout, kNotFound, ...; through nsenter, errors of
  // Options::executor too). Not masked: output returned on success, output
  // streamed to the caller's descriptors or handlers, and a secret echoed in
  // another form (only part of it, say). Errors: those of Exec, and
  // kInvalidArgument for a secret holding a NUL byte (not shown); nothing
  // runs then.
  virtual std::unique_ptr<Cmd> ExecWithSecrets(const std::string& cmd,
                                               const std::vector<std::string>& args,
                                               const std::vector<std::string>& secrets) const = 0;

  // Executor: the same as Exec.
  std::unique_ptr<Cmd> Command(const std::string& path,
                               const std::vector<std::string>& args) const final {
    return Exec(path, args);
  }

  // The discovered host path of `command`, or `command` unchanged.
  virtual std::string AbsHostPath(const std::string& command) const = 0;

  // The host path of the program that Exec(`name`, ...) runs with the
  // default environment, as k8s.io/utils/exec's LookPath: a name discovery
  // found (e.g. "mount", "sh") is its discovered path, as in Exec, even when
  // a host PATH directory holds another program of that name; another name
  // with a slash is checked as it is (it must be absolute); another bare
  // name is looked up in each absolute directory of Options::host_path, in
  // order (empty and relative entries are skipped), and the first executable
  // regular file wins, returned as "<dir>/<name>". The host's files are seen
  // as discovery sees them (through Options::host_files, by default the host
  // root), symlinks resolved as the host resolves them. Errors:
  // kInvalidArgument for an empty name, a NUL byte, or a relative name with
  // a slash; kNotFound naming the name and the directories searched, or a
  // path with a slash that does not exist; kPermissionDenied for a path with
  // a slash that exists but is not an executable regular file; kInternal for
  // a failure to read the host's files.
  virtual Result<std::string> LookPath(const std::string& name) const = 0;

  // The systemd-run path and whether discovery found it.
  virtual SystemdSupport SupportsSystemd() const = 0;

  // Resolves every symlink of host path `path` on the host like
  // `realpath -e` (must_exist) or `realpath -m`, and returns the result
  // exactly as realpath prints it, minus its one terminating newline.
  // Errors (nothing runs for the first): kInvalidArgument for an empty,
  // relative or NUL-bearing path; kNotFound, kNotADirectory, kLoop,
  // kPermissionDenied, kNameTooLong as realpath reports them. Through
  // nsenter also: kNonZeroExit for another realpath failure (exit status and
  // stderr kept), kTimeout after Options::eval_symlinks_timeout, kInternal
  // for output that is not a path, kExecFailed for a host realpath that does
  // not understand -e/-m (busybox's). Natively also: kLoop for a resolution
  // past the resolver's work bound (realpath_resolver.h). Natively a link on
  // procfs is never followed (its target depends on the process following
  // it): with must_exist it is kUnsupported ("refusing to follow the procfs
  // link ..."); otherwise, as realpath -m does with any component it cannot
  // resolve, it is kept literally ("/proc/self/root/etc" stays so, where the
  // host's realpath says "/etc"; "/etc/mtab" is the everyday case).
  virtual Result<std::string> EvalSymlinks(const std::string& path, bool must_exist) const = 0;

  // The container-side path of host path `path`: see host_path.h.
  virtual Result<std::string> KubeletPath(const std::string& path) const = 0;

  // The host root and mount namespace file in use.
  virtual const std::string& host_root() const = 0;
  // The default environment of host programs: {"PATH=" + host_path()}.
  virtual std::vector<std::string> HostEnvironment() const = 0;
  virtual const std::string& mount_namespace() const = 0;
  virtual Backend backend() const = 0;
  // Natively, the container-side directory used as the host's "/" by
  // EvalSymlinks: <host root>/proc/<pid>/root, or host_root() after the
  // fallback (see above); through nsenter, "".
  virtual std::string resolution_root() const = 0;
  // The host's files as discovery and LookPath see them, and as
  // HostMounter::List reads the mount table: Options::host_files, by default
  // a RootFileView of host_root() (root_file_view.h). Lives as long as this
  // Nsenter.
  virtual const FileView& host_files() const = 0;
};

// The environment in which EvalSymlinks runs the host's realpath through
// nsenter: the C locale, so that its messages can be parsed
// (realpath_output.h), and PATH=`host_path` (Options::host_path). Anything
// that runs realpath the same way (e.g. nsenterctl's recorder) uses this.
std::vector<std::string> RealpathEnvironment(const std::string& host_path);

}  // namespace nsenter

#endif  // NSENTER_NSENTER_H_
