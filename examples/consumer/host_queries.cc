#include "host_queries.h"

#include <memory>
#include <string>

namespace node_agent {

nsenter::Result<std::string> HostKernelRelease(const nsenter::Nsenter& ns) {
  std::unique_ptr<nsenter::Cmd> uname = ns.Exec("uname", {"-r"});
  uname->SetTimeout(kUnameTimeout);
  nsenter::Result<std::string> output = uname->Output();
  if (!output.ok()) return output.error();
  const std::string& text = *output;
  if (text.size() < 2 || text.find('\n') != text.size() - 1) {
    return nsenter::Error(nsenter::ErrorCode::kInternal,
                          "uname -r on the host printed '" + text + "', not one line");
  }
  return text.substr(0, text.size() - 1);
}

nsenter::Result<HostLocation> LocateOnHost(const nsenter::Nsenter& ns, const std::string& path) {
  nsenter::Result<std::string> host_path = ns.EvalSymlinks(path, /*must_exist=*/false);
  if (!host_path.ok()) return host_path.error();
  nsenter::Result<std::string> container_path = ns.KubeletPath(*host_path);
  if (!container_path.ok()) return container_path.error();
  return HostLocation{*host_path, *container_path};
}

}  // namespace node_agent
