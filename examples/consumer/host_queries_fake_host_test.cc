// The agent's queries on fake hosts replayed by @nsenter_cpp//fakehost: this
// workspace's own fixture, and one that nsenter_cpp recorded, both found in
// the runfiles.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "gtest/gtest.h"
#include "host_queries.h"
#include "nsenter/nsenter.h"
#include "tools/cpp/runfiles/runfiles.h"

namespace node_agent {
namespace {

using ::bazel::tools::cpp::runfiles::Runfiles;
using ::nsenter::fakehost::AnswerSource;
using ::nsenter::fakehost::FakeCall;
using ::nsenter::fakehost::FakeExecutor;
using ::nsenter::fakehost::FakeHost;
using ::nsenter::fakehost::Fixture;

constexpr char kOwnFixture[] = "node_agent/testdata/debian-12-minbase-uname.json";
constexpr char kNsenterCppFixture[] = "nsenter_cpp/testdata/hosts/debian-12-split-usr.json";

class FakeHostTest : public ::testing::Test {
 protected:
  // Creates ns_ on the host recorded in `runfile` ("<workspace>/<path>"), as
  // the agent creates it on a real host, with the fake host in between.
  void StartOn(const std::string& runfile) {
    std::string error;
    std::unique_ptr<Runfiles> runfiles(Runfiles::CreateForTest(&error));
    ASSERT_NE(runfiles, nullptr) << error;
    nsenter::Result<Fixture> fixture =
        nsenter::fakehost::LoadFixture(runfiles->Rlocation(runfile));
    ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
    nsenter::Result<std::shared_ptr<FakeHost>> host = FakeHost::Create(*fixture);
    ASSERT_TRUE(host.ok()) << host.error().ToString();

    executor_ = std::make_shared<FakeExecutor>(*host);
    nsenter::Options options;
    options.host_root = fixture->root;
    options.host_files = *host;
    options.executor = executor_;
    nsenter::Result<std::unique_ptr<nsenter::Nsenter>> ns = nsenter::Nsenter::Create(options);
    ASSERT_TRUE(ns.ok()) << ns.error().ToString();
    ns_ = std::move(*ns);
  }

  // The one command run on the host so far.
  FakeCall OnlyCall() const {
    std::vector<FakeCall> calls = executor_->Calls();
    EXPECT_EQ(calls.size(), 1u);
    return calls.empty() ? FakeCall{} : calls.front();
  }

  std::shared_ptr<FakeExecutor> executor_;
  std::unique_ptr<nsenter::Nsenter> ns_;
};

TEST_F(FakeHostTest, KernelReleaseIsWhatUnamePrintedOnTheHost) {
  ASSERT_NO_FATAL_FAILURE(StartOn(kOwnFixture));

  nsenter::Result<std::string> kernel = HostKernelRelease(*ns_);

  ASSERT_TRUE(kernel.ok()) << kernel.error().ToString();
  EXPECT_EQ(*kernel, "6.18.44-fc-v782");
  const FakeCall call = OnlyCall();
  EXPECT_EQ(call.host_argv, (std::vector<std::string>{"uname", "-r"}));
  EXPECT_EQ(call.answered_by, AnswerSource::kScript);
  EXPECT_EQ(call.timeout, kUnameTimeout);
}

TEST_F(FakeHostTest, LocatesAPathThatDoesNotExistYetThroughTheHostsSymlinks) {
  ASSERT_NO_FATAL_FAILURE(StartOn(kOwnFixture));

  nsenter::Result<HostLocation> socket =
      LocateOnHost(*ns_, "/var/run/containerd/containerd.sock");

  ASSERT_TRUE(socket.ok()) << socket.error().ToString();
  EXPECT_EQ(socket->host_path, "/run/containerd/containerd.sock");
  EXPECT_EQ(socket->container_path, "/rootfs/run/containerd/containerd.sock");
  const FakeCall call = OnlyCall();
  EXPECT_EQ(call.host_argv, (std::vector<std::string>{"/bin/realpath", "-m", "--",
                                                      "/var/run/containerd/containerd.sock"}));
  EXPECT_EQ(call.answered_by, AnswerSource::kRealpathEmulation);
}

TEST_F(FakeHostTest, LocatesWhatTheHostAnsweredOnARecordedHostOfNsenterCpp) {
  ASSERT_NO_FATAL_FAILURE(StartOn(kNsenterCppFixture));

  nsenter::Result<HostLocation> shell = LocateOnHost(*ns_, "/bin/sh");

  ASSERT_TRUE(shell.ok()) << shell.error().ToString();
  EXPECT_EQ(shell->host_path, "/bin/dash");
  EXPECT_EQ(shell->container_path, "/rootfs/bin/dash");
  EXPECT_EQ(OnlyCall().answered_by, AnswerSource::kScript);
}

}  // namespace
}  // namespace node_agent
