#include <memory>
#include <string>

#include "fakehost/fake_executor.h"
#include "fakehost/fake_host.h"
#include "fakehost/fixture.h"
#include "gtest/gtest.h"
#include "nsenter/nsenter.h"
#include "tools/cpp/runfiles/runfiles.h"

using bazel::tools::cpp::runfiles::Runfiles;

TEST(AgentTest, ResolvesAsTheRecordedHostDid) {
  std::string error;
  std::unique_ptr<Runfiles> runfiles(Runfiles::CreateForTest(&error));
  ASSERT_NE(runfiles, nullptr) << error;
  auto fixture = nsenter::fakehost::LoadFixture(
      runfiles->Rlocation("nsenter_cpp/testdata/hosts/debian-12-this-machine.json"));
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  auto host = nsenter::fakehost::FakeHost::Create(*fixture);
  ASSERT_TRUE(host.ok()) << host.error().ToString();

  nsenter::Options options;
  options.host_root = fixture->root;  // "/rootfs"
  options.host_files = *host;         // discovery over the recorded tree
  auto executor = std::make_shared<nsenter::fakehost::FakeExecutor>(*host);
  // The mount namespace file the fixture names, not /proc/1/ns/mnt.
  options.namespace_files[nsenter::NamespaceKind::kMount] = executor->mount_namespace();
  options.executor = executor;
  auto ns = nsenter::Nsenter::Create(options);  // as on the recorded host
  ASSERT_TRUE(ns.ok()) << ns.error().ToString();

  auto lib = (*ns)->EvalSymlinks("/lib", /*must_exist=*/true);
  ASSERT_TRUE(lib.ok()) << lib.error().ToString();
  EXPECT_EQ(*lib, "/usr/lib");  // as recorded
}
