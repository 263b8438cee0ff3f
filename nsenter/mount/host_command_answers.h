// Test-only: canned answers of host commands for the mounter's tests over
// fakehost's MockNsenter (the nsenter route, where each operation runs a host
// binary and reads its output).
#ifndef NSENTER_MOUNT_HOST_COMMAND_ANSWERS_H_
#define NSENTER_MOUNT_HOST_COMMAND_ANSWERS_H_

#include <gmock/gmock.h>

#include <memory>
#include <string>
#include <utility>

#include "fakehost/mock_executor.h"
#include "nsenter/error.h"
#include "nsenter/exec.h"

namespace nsenter::mount_testing {

// A command whose Output gives `output`, checked to run in the C locale with
// the mock's host environment (PATH=/usr/bin:/bin).
inline std::unique_ptr<Cmd> Answering(Result<std::string> output) {
  auto cmd = std::make_unique<::testing::NiceMock<fakehost::MockCmd>>();
  EXPECT_CALL(*cmd, SetEnv(::testing::ElementsAre("PATH=/usr/bin:/bin", "LC_ALL=C")));
  EXPECT_CALL(*cmd, Output()).WillOnce(::testing::Return(std::move(output)));
  return cmd;
}

// The error of a host program that exited with `status`, printing
// `stderr_data`.
inline Error Exited(int status, std::string stderr_data) {
  return Error::FromProcess(ErrorCode::kNonZeroExit,
                            "'/usr/bin/x' exited with status " + std::to_string(status), status, "",
                            std::move(stderr_data));
}

}  // namespace nsenter::mount_testing

#endif  // NSENTER_MOUNT_HOST_COMMAND_ANSWERS_H_
