// Google Mock mocks of the executor seam, for tests that care about exactly
// what is run (argv, settings) and how errors are handled.
//
// Example:
//   auto executor = std::make_shared<testing::StrictMock<nsenter::fakehost::MockExecutor>>();
//   auto cmd = std::make_unique<testing::NiceMock<nsenter::fakehost::MockCmd>>();
//   EXPECT_CALL(*cmd, Output()).WillOnce(testing::Return(std::string("/var/lib\n")));
//   EXPECT_CALL(*executor, Command("nsenter", ElementsAre("--mount=/rootfs/proc/1/ns/mnt", ...)))
//       .WillOnce(testing::Return(testing::ByMove(std::move(cmd))));
//
// For everything else, prefer the fake host (fake_executor.h), which answers
// from a recorded fixture.
//
// Thread-safety: as Google Mock's mocks.
#ifndef FAKEHOST_MOCK_EXECUTOR_H_
#define FAKEHOST_MOCK_EXECUTOR_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "nsenter/exec.h"
#include "nsenter/nsenter.h"

namespace nsenter::fakehost {

class MockCmd : public Cmd {
 public:
  MOCK_METHOD(void, SetDir, (std::string dir), (override));
  MOCK_METHOD(void, SetEnv, (std::vector<std::string> env), (override));
  MOCK_METHOD(void, SetStdin, (std::string data), (override));
  MOCK_METHOD(void, SetStdinFd, (int fd), (override));
  MOCK_METHOD(void, SetStdout, (int fd), (override));
  MOCK_METHOD(void, SetStderr, (int fd), (override));
  MOCK_METHOD(void, SetStdoutHandler, (OutputHandler handler), (override));
  MOCK_METHOD(void, SetStderrHandler, (OutputHandler handler), (override));
  MOCK_METHOD(void, SetTimeout, (std::chrono::milliseconds timeout), (override));
  MOCK_METHOD(void, SetStopGracePeriod, (std::chrono::milliseconds grace_period), (override));
  MOCK_METHOD(Status, Start, (), (override));
  MOCK_METHOD(Status, Wait, (), (override));
  MOCK_METHOD(void, Stop, (int first_signal), (override));
  MOCK_METHOD(Status, Run, (), (override));
  MOCK_METHOD(Result<std::string>, Output, (), (override));
  MOCK_METHOD(Result<std::string>, CombinedOutput, (), (override));
};

class MockExecutor : public Executor {
 public:
  MOCK_METHOD(std::unique_ptr<Cmd>, Command,
              (const std::string& path, const std::vector<std::string>& args),
              (const, override));
};

// A mock of the Nsenter facade, for code that takes an Nsenter.
class MockNsenter : public Nsenter {
 public:
  MOCK_METHOD(std::unique_ptr<Cmd>, Exec,
              (const std::string& cmd, const std::vector<std::string>& args), (const, override));
  MOCK_METHOD(std::unique_ptr<Cmd>, ExecWithSecrets,
              (const std::string& cmd, const std::vector<std::string>& args,
               const std::vector<std::string>& secrets),
              (const, override));
  MOCK_METHOD(std::string, AbsHostPath, (const std::string& command), (const, override));
  MOCK_METHOD(Result<std::string>, LookPath, (const std::string& name), (const, override));
  MOCK_METHOD(SystemdSupport, SupportsSystemd, (), (const, override));
  MOCK_METHOD(Result<std::string>, EvalSymlinks, (const std::string& path, bool must_exist),
              (const, override));
  MOCK_METHOD(Result<std::string>, KubeletPath, (const std::string& path), (const, override));
  MOCK_METHOD(const std::string&, host_root, (), (const, override));
  MOCK_METHOD(std::vector<std::string>, HostEnvironment, (), (const, override));
  MOCK_METHOD(const std::string&, mount_namespace, (), (const, override));
  MOCK_METHOD(Backend, backend, (), (const, override));
  MOCK_METHOD(std::string, resolution_root, (), (const, override));
  MOCK_METHOD(const FileView&, host_files, (), (const, override));
};

}  // namespace nsenter::fakehost

#endif  // FAKEHOST_MOCK_EXECUTOR_H_
