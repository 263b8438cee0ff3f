#include "nsenter/container/podman.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include "gtest/gtest.h"
#include "nsenter/container/user_command.h"
#include "nsenter/process_executor.h"

namespace nsenter::container {
namespace {

// A file of the test's runfiles, by its path in this repository.
std::string Runfile(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return std::filesystem::absolute(std::string(srcdir ? srcdir : ".") + "/" +
                                   (workspace ? workspace : "nsenter_cpp") + "/" + path)
      .string();
}

std::string StorageConf(const std::string& graphroot) {
  return "[storage]\n"
         "driver = \"vfs\"\n"
         "graphroot = \"" +
         graphroot +
         "\"\n"
         "runroot = \"/run/containers/storage\"\n";
}

// podman's arguments for the users' command: run [-d] FLAGS... IMAGE COMMAND...
std::vector<std::string> UserRunArgs(bool detached, Propagation propagation,
                                     const std::vector<std::string>& command) {
  std::vector<std::string> args = {"run"};
  if (detached) args.push_back("-d");
  for (const std::string& flag : UserRunFlags(propagation)) args.push_back(flag);
  args.push_back(ImageTag());
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

std::string TrimNewline(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

Result<std::unique_ptr<Podman>> Podman::Start(const HostFacts& host) {
  // Mounts that only the host's mount namespace has, over what podman keeps
  // at fixed paths: its run-time state (/run), its shared-memory locks
  // (/dev/shm) and, whatever the storage, an image cache under
  // /var/lib/containers, which may not exist yet: hence all of /var/lib.
  for (const char* path : {"/run", "/dev/shm", "/var/lib"}) privileged::MountTmpfs(path);
  const std::string storage_conf = host.workdir + "/storage.conf";
  std::ofstream file(storage_conf);
  file << StorageConf(host.workdir + "/storage");
  file.close();
  if (!file) return Error(ErrorCode::kInternal, "cannot write " + storage_conf);
  std::unique_ptr<Podman> podman(new Podman({
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOME=" + host.workdir,
      "CONTAINERS_CONF=" + Runfile("nsenter/container/containers.conf"),
      "CONTAINERS_STORAGE_CONF=" + storage_conf,
  }));
  Result<std::string> loaded =
      podman->Run({"load", "-q", "-i", Runfile("tools/image/nsenterctl-image.tar")});
  if (!loaded.ok()) return loaded.error();
  return podman;
}

Result<std::string> Podman::Run(const std::vector<std::string>& args) const {
  std::unique_ptr<Cmd> cmd = ProcessExecutor().Command("podman", args);
  cmd->SetEnv(env_);
  cmd->SetTimeout(kCommandTimeout);
  return cmd->Output();
}

Result<std::string> Podman::RunImage(Propagation propagation,
                                     const std::vector<std::string>& command) const {
  return Run(UserRunArgs(/*detached=*/false, propagation, command));
}

Result<std::unique_ptr<DetachedContainer>> Podman::StartImage(
    Propagation propagation, const std::vector<std::string>& command) const {
  Result<std::string> started = Run(UserRunArgs(/*detached=*/true, propagation, command));
  if (!started.ok()) return started.error();
  Result<std::string> pid = Run({"inspect", "--format", "{{.State.Pid}}", TrimNewline(*started)});
  const pid_t number = pid.ok() ? std::atoi(pid->c_str()) : 0;
  // Made before the pid is checked, so that the container is removed whatever happens.
  auto container = std::make_unique<DetachedContainer>(*this, TrimNewline(*started), number);
  if (!pid.ok()) return pid.error();
  if (number <= 0) return Error(ErrorCode::kInternal, "podman inspect gave no pid: " + *pid);
  return container;
}

DetachedContainer::~DetachedContainer() {
  Result<std::string> removed = podman_.Run({"rm", "-f", "-t", "0", id_});
  EXPECT_TRUE(removed.ok()) << removed.error().ToString();
}

Result<std::string> DetachedContainer::Exec(const std::vector<std::string>& command) const {
  std::vector<std::string> args = {"exec", id_};
  args.insert(args.end(), command.begin(), command.end());
  return podman_.Run(args);
}

std::string DetachedContainer::FromHost(const std::string& path) const {
  return "/proc/" + std::to_string(pid_) + "/root" + path;
}

}  // namespace nsenter::container
