// What the hardening tests (hostile_input_test, escape_test, fault_test,
// load_test) share: the privilege check, an Nsenter whose host is this
// machine, the child helper program, and running code in a forked child.
//
// Thread-safety: every function may be called from any thread, except
// RunInForkedChild, which forks and so belongs to the test's main thread.
#ifndef NSENTER_HARDENING_TEST_SUPPORT_H_
#define NSENTER_HARDENING_TEST_SUPPORT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "nsenter/nsenter.h"

namespace nsenter::hardening {

// Why this process cannot enter a mount namespace — it must be root with
// CAP_SYS_ADMIN and CAP_SYS_CHROOT — or nothing when it can.
std::optional<std::string> MissingSetnsPrivilege();

// Options for an Nsenter whose host is this machine as this process sees
// it: its mount namespace is /proc/self/ns/mnt (which root may enter again;
// the real PID 1's namespace file is not readable everywhere), and its host
// root is `host_root` — "/" by default; another directory must hold the
// binaries discovery requires. Through nsenter, the real nsenter(1) on PATH
// runs under a ProcessExecutor. Natively, symlinks are resolved in
// `host_root` (its proc/1/root is missing or unreadable; the warning about
// that is dropped). Creating needs no privilege; running commands does.
Options SelfOptions(Backend backend, const std::string& host_root = "/");

// "Nsenter" or "Native", for names of parameterized tests.
std::string BackendName(Backend backend);

// The absolute path of the child helper, process_executor_test_child.
std::string ChildHelperPath();

// True when this process has no child left, not even a zombie:
// waitpid(-1, WNOHANG) fails with ECHILD.
bool NoChildrenLeft();

// `path` with its symlinks resolved by realpath(3) ($TEST_TMPDIR may be
// reached through one), or `path` itself if that fails.
std::string RealPath(const std::string& path);

// Runs `body` in a forked child and returns the text it returned. If the
// child ends otherwise (a crash, an exit of its own), a text that says how,
// starting with "child ". Use it for what must not touch the test process:
// dropped privileges, resource limits, seccomp filters.
std::string RunInForkedChild(const std::function<std::string()>& body);

}  // namespace nsenter::hardening

#endif  // NSENTER_HARDENING_TEST_SUPPORT_H_
