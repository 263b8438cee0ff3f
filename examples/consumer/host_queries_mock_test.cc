// The agent's queries against nsenter_cpp's Google Mock mocks: exactly what
// runs on the host, and what the agent makes of failures.
#include <chrono>
#include <memory>
#include <string>

#include "fakehost/mock_executor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "host_queries.h"
#include "nsenter/nsenter.h"

namespace node_agent {
namespace {

using ::nsenter::fakehost::MockCmd;
using ::nsenter::fakehost::MockNsenter;
using ::testing::ByMove;
using ::testing::ElementsAre;
using ::testing::Return;
using ::testing::StrictMock;

// Makes `ns` run `uname -r` once, printing `output`.
void ExpectUname(StrictMock<MockNsenter>& ns, nsenter::Result<std::string> output) {
  auto uname = std::make_unique<StrictMock<MockCmd>>();
  EXPECT_CALL(*uname, SetTimeout(std::chrono::milliseconds(kUnameTimeout)));
  EXPECT_CALL(*uname, Output()).WillOnce(Return(output));
  EXPECT_CALL(ns, Exec("uname", ElementsAre("-r"))).WillOnce(Return(ByMove(std::move(uname))));
}

TEST(HostKernelReleaseTest, RunsUnameOnTheHostWithATimeout) {
  StrictMock<MockNsenter> ns;
  ExpectUname(ns, std::string("6.1.0-18-amd64\n"));

  nsenter::Result<std::string> kernel = HostKernelRelease(ns);

  ASSERT_TRUE(kernel.ok()) << kernel.error().ToString();
  EXPECT_EQ(*kernel, "6.1.0-18-amd64");
}

TEST(HostKernelReleaseTest, PassesOnTheFailureOfUname) {
  StrictMock<MockNsenter> ns;
  ExpectUname(ns, nsenter::Error(nsenter::ErrorCode::kNotFound, "uname is not on the host"));

  nsenter::Result<std::string> kernel = HostKernelRelease(ns);

  ASSERT_FALSE(kernel.ok());
  EXPECT_EQ(kernel.error().code(), nsenter::ErrorCode::kNotFound);
  EXPECT_EQ(kernel.error().message(), "uname is not on the host");
}

TEST(HostKernelReleaseTest, RefusesOutputThatIsNotOneLine) {
  for (const std::string output : {"", "\n", "6.1.0", "6.1.0\nwarning\n"}) {
    StrictMock<MockNsenter> ns;
    ExpectUname(ns, output);

    nsenter::Result<std::string> kernel = HostKernelRelease(ns);

    ASSERT_FALSE(kernel.ok()) << "output '" << output << "' gave " << *kernel;
    EXPECT_EQ(kernel.error().code(), nsenter::ErrorCode::kInternal);
  }
}

TEST(LocateOnHostTest, StopsAtAPathTheHostCannotResolve) {
  StrictMock<MockNsenter> ns;  // KubeletPath is never called.
  EXPECT_CALL(ns, EvalSymlinks("/var/lib/kubelet", false))
      .WillOnce(Return(nsenter::Error(nsenter::ErrorCode::kLoop, "symlink loop at /var/lib")));

  nsenter::Result<HostLocation> location = LocateOnHost(ns, "/var/lib/kubelet");

  ASSERT_FALSE(location.ok());
  EXPECT_EQ(location.error().code(), nsenter::ErrorCode::kLoop);
}

}  // namespace
}  // namespace node_agent
