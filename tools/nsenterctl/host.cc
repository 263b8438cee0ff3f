#include "tools/nsenterctl/host.h"

#include <iostream>
#include <utility>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"

namespace nsenterctl {
namespace {

class NsenterHost final : public Host {
 public:
  explicit NsenterHost(std::unique_ptr<nsenter::Nsenter> ns) : ns_(std::move(ns)) {}
  const nsenter::Nsenter& nsenter() const override { return *ns_; }
  std::string root() const override { return ns_->host_root(); }

 private:
  std::unique_ptr<nsenter::Nsenter> ns_;
};

// Points `options` at the fake host of the fixture in `file`.
nsenter::Status UseFixture(const std::string& file, nsenter::Options& options) {
  nsenter::Result<nsenter::fakehost::Fixture> fixture = nsenter::fakehost::LoadFixture(file);
  if (!fixture.ok()) return fixture.error();
  options.host_root = fixture->root;
  nsenter::Result<std::shared_ptr<const nsenter::fakehost::FakeHost>> host =
      nsenter::fakehost::FakeHost::Create(std::move(*fixture));
  if (!host.ok()) return host.error();
  options.host_files = *host;
  auto executor = std::make_shared<nsenter::fakehost::FakeExecutor>(*host);
  // The mount namespace file the fixture names, not /proc/1/ns/mnt.
  options.namespace_files[nsenter::NamespaceKind::kMount] = executor->mount_namespace();
  options.executor = std::move(executor);
  return {};
}

// The library's log goes to stderr with --verbose only: without it, each
// failure is printed once, by the subcommand, from the Result.
nsenter::LogSink MakeLog(bool verbose) {
  if (!verbose) return nullptr;
  return [](int, std::string_view message) { std::cerr << "nsenterctl: " << message << "\n"; };
}

}  // namespace

std::vector<OptionSpec> HostOptionSpecs() {
  return {{"rootfs", true, false},
          {"fixture", true, false},
          {"backend", true, false},
          {"verbose", false, false}};
}

nsenter::Result<std::unique_ptr<Host>> OpenHost(const ParsedArgs& args) {
  nsenter::Options options;
  options.host_root = UserPath(args.Value("rootfs", "/rootfs"));
  options.log = MakeLog(args.Has("verbose"));
  const std::string backend = args.Value("backend", "nsenter");
  if (backend == "native") {
    options.backend = nsenter::Backend::kNative;
  } else if (backend != "nsenter") {
    throw UsageError("unknown backend '" + backend + "' (want nsenter or native)");
  }
  if (args.Has("fixture")) {
    if (args.Has("rootfs")) throw UsageError("--rootfs and --fixture exclude each other");
    if (options.backend != nsenter::Backend::kNsenter) {
      throw UsageError("--fixture replays the nsenter backend only");
    }
    if (nsenter::Status used = UseFixture(UserPath(args.Value("fixture")), options); !used.ok()) {
      return used.error();
    }
  }
  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) return ns.error();
  return std::unique_ptr<Host>(new NsenterHost(std::move(*ns)));
}

}  // namespace nsenterctl
