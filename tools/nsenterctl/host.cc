#include "tools/nsenterctl/host.h"

#include <iostream>
#include <utility>

namespace nsenterctl {
namespace {

class RealHost final : public Host {
 public:
  explicit RealHost(std::unique_ptr<nsenter::Nsenter> ns) : ns_(std::move(ns)) {}
  const nsenter::Nsenter& nsenter() const override { return *ns_; }
  std::string root() const override { return ns_->host_root(); }

 private:
  std::unique_ptr<nsenter::Nsenter> ns_;
};

// Library messages go to stderr at verbosity 0, and with --verbose up to 5.
nsenter::LogSink MakeLog(bool verbose) {
  return [verbose](int verbosity, std::string_view message) {
    if (verbosity == 0 || verbose) std::cerr << "nsenterctl: " << message << "\n";
  };
}

}  // namespace

std::vector<OptionSpec> HostOptionSpecs() {
  return {{"rootfs", true, false}, {"backend", true, false}, {"verbose", false, false}};
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
  nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
  if (!ns.ok()) return ns.error();
  return std::unique_ptr<Host>(new RealHost(std::move(*ns)));
}

}  // namespace nsenterctl
