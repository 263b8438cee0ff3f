// Acting on the host from a container body without the library under test:
// a forked child enters the host's mount namespace with setns(2) and runs a
// function there. A test builds host-side state (mounts, devices) and asks
// the host's own tools for reference answers this way.
//
// Example (in a container body):
//   std::string fs_type = OnHostSide([&] { return RunSomeHostTool(path); });
//
// Requirements: called in a container of a Sandbox (sandbox.h), whose
// /proc/1 is the host's PID 1; the caller must be single-threaded while it
// forks.
//
// Errors: throws std::system_error if the child cannot be started or cannot
// enter the namespace, and std::runtime_error carrying the message of an
// exception that `work` threw.
//
// Thread-safety: one call at a time per process (see Requirements).
#ifndef NSENTER_PRIVILEGED_HOST_SIDE_H_
#define NSENTER_PRIVILEGED_HOST_SIDE_H_

#include <functional>
#include <string>

namespace nsenter::privileged {

// Runs `work` in a child process in the mount namespace of /proc/1 (its root
// and working directory that namespace's "/") and returns what it returned.
std::string OnHostSide(const std::function<std::string()>& work);

}  // namespace nsenter::privileged

#endif  // NSENTER_PRIVILEGED_HOST_SIDE_H_
