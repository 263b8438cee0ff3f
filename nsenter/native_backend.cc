#include "nsenter/native_backend.h"

#include <utility>

namespace nsenter {
namespace {

class NativeBackend final : public HostBackend {
 public:
  NativeBackend(std::shared_ptr<const SetnsExecutor> executor,
                std::shared_ptr<const RootFileView> root)
      : executor_(std::move(executor)), root_(std::move(root)) {}

  std::unique_ptr<Cmd> Command(const std::string& host_program,
                               const std::vector<std::string>& args) const override {
    return executor_->Command(host_program, args);
  }

  Result<std::string> Resolve(const std::string& path, RealpathMode mode) const override {
    return ResolveRealpath(*root_, path, mode);
  }

  std::string resolution_root() const override { return root_->root(); }

 private:
  std::shared_ptr<const SetnsExecutor> executor_;
  std::shared_ptr<const RootFileView> root_;
};

}  // namespace

std::unique_ptr<HostBackend> MakeNativeBackend(std::shared_ptr<const SetnsExecutor> executor,
                                               std::shared_ptr<const RootFileView> root) {
  return std::make_unique<NativeBackend>(std::move(executor), std::move(root));
}

}  // namespace nsenter
