// nsenterctl probe: discovery of the host binaries.
#include <iostream>

#include <nlohmann/json.hpp>

#include "nsenter/discovery.h"
#include "tools/nsenterctl/commands.h"
#include "tools/nsenterctl/host.h"
#include "tools/nsenterctl/mount_namespace.h"
#include "tools/nsenterctl/output.h"

namespace nsenterctl {
namespace {

// The host path discovery found for `name`, or null.
nlohmann::ordered_json Found(const nsenter::Nsenter& ns, const std::string& name) {
  const std::string path = ns.AbsHostPath(name);
  return path == name ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(path);
}

int Run(const std::vector<std::string>& words) {
  std::vector<OptionSpec> specs = HostOptionSpecs();
  specs.push_back({"json", false, false});
  const ParsedArgs args = ParseArgs(words, specs);
  ExpectNoOperands(args);

  nsenter::Result<std::unique_ptr<Host>> host = OpenHost(args);
  if (!host.ok()) return Fail(host.error().message());
  const nsenter::Nsenter& ns = (*host)->nsenter();
  // Without the host's PID namespace (podman --pid=host, hostPID: true),
  // /rootfs/proc/1 is not the host's init and its mount namespace cannot be
  // opened: every later operation would fail, so the probe does.
  if (!args.Has("fixture")) {
    if (nsenter::Status entered = CheckMountNamespace(ns); !entered.ok()) {
      return Fail(entered.error().message());
    }
  }

  nlohmann::ordered_json result = {{"root", (*host)->root()}, {"binaries", nlohmann::ordered_json::object()}};
  for (const std::string& name : nsenter::DefaultRequiredBinaries()) {
    result["binaries"][name] = Found(ns, name);
  }
  result["systemd_run"] = Found(ns, "systemd-run");
  result["realpath"] = Found(ns, "realpath");

  if (args.Has("json")) {
    PrintJson(result, 2);
    return 0;
  }
  std::cout << "root " << (*host)->root() << "\n";
  for (const auto& [name, path] : result["binaries"].items()) {
    std::cout << name << " " << path.get<std::string>() << "\n";
  }
  for (const char* optional : {"systemd_run", "realpath"}) {
    const nlohmann::ordered_json& path = result[optional];
    std::cout << (optional == std::string("systemd_run") ? "systemd-run" : optional) << " "
              << (path.is_null() ? "(not found)" : path.get<std::string>()) << "\n";
  }
  return 0;
}

}  // namespace

const Command kProbe = {
    "probe", "find the host binaries",
    "usage: nsenterctl probe [HOST OPTIONS] [--json]\n\n"
    "Finds mount, findmnt, umount, stat, touch, mkdir, ls, sh, chmod and the\n"
    "optional systemd-run and realpath in /, /bin, /usr/sbin and /usr/bin of the\n"
    "host (and in every --search-dir), and prints where each one is. Fails if\n"
    "the host's mount namespace (proc/1/ns/mnt under the root) cannot be opened.\n\n"
    "host options:\n" +
        std::string(kHostOptionsHelp) +
        "\noptions:\n"
        "  --json         print {\"root\", \"binaries\", \"systemd_run\", \"realpath\"}\n",
    Run};

}  // namespace nsenterctl
