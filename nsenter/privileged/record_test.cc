// `nsenterctl record` in a privileged container, recording this machine as
// its host: what it writes always loads, a probe given twice (or equal to a
// default probe) is recorded once, a probe leading to a FIFO gets no answers
// (a fixture cannot hold a FIFO, so replay would contradict them), and a
// fixture root the loader would refuse is refused before anything is written,
// as is a fixture over the loader's size limit; a failed write is an error
// that says why.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakehost/fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/exec.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/process_executor.h"
#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenter::privileged {
namespace {

using ::testing::HasSubstr;

using RecordTest = PrivilegedTest;

struct CliRun {
  int status = -1;
  std::string err;  // With --out, stdout is empty: this is all it printed.
};

std::unique_ptr<Cmd> RecordCommand(const std::vector<std::string>& args) {
  const std::string binary = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                             std::getenv("TEST_WORKSPACE") + "/tools/nsenterctl";
  std::vector<std::string> words = {"record"};
  words.insert(words.end(), args.begin(), args.end());
  return ProcessExecutor().Command(binary, words);
}

CliRun Record(const std::vector<std::string>& args) {
  Result<std::string> out = RecordCommand(args)->CombinedOutput();
  if (out.ok()) return {0, *out};
  return {out.error().has_exit_status() ? out.error().exit_status() : -1,
          out.error().stdout_data() + out.error().stderr_data()};
}

TEST_F(RecordTest, WritesAFixtureThatLoadsWithEachProbeOnceAndNoAnswersThroughAFifo) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    const std::string fifo = container.scratch + "/fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const std::string out = container.scratch + "/out.json";
    const CliRun run = Record({"--rootfs", container.rootfs + "/tmp/..", "--probe", "/bin",
                               "--probe", fifo, "--probe", fifo, "--out", out});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.err, HasSubstr("no answers recorded for '" + fifo + "'"));

    Result<fakehost::Fixture> fixture = fakehost::LoadFixture(out);
    ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
    EXPECT_EQ(fixture->root, container.rootfs);  // "/tmp/.." resolved.
    int bin_answers = 0;
    for (const fakehost::ScriptedCommand& command : fixture->commands) {
      // The host's realpath as discovery finds it, which replay runs (a
      // bare name was never replayed).
      EXPECT_TRUE(command.argv[0].starts_with("/")) << command.argv[0];
      if (command.argv.size() != 4) continue;
      EXPECT_NE(command.argv[3], fifo) << "an answer the replayed tree would contradict";
      if (command.argv[3] == "/bin") ++bin_answers;
    }
    EXPECT_EQ(bin_answers, 2);  // realpath -e and -m, once each.
  });
}

TEST_F(RecordTest, RefusesAFixtureRootTheLoaderWouldRefuse) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    const std::string out = container.scratch + "/out.json";
    const CliRun run = Record({"--rootfs", container.rootfs, "--fixture-root", "/rootfs/",
                               "--out", out});
    EXPECT_EQ(run.status, 2) << "bad usage, refused before recording";
    EXPECT_THAT(run.err, HasSubstr("fixture root '/rootfs/' is not a clean path"));
    EXPECT_FALSE(std::filesystem::exists(out));
  });
}

TEST_F(RecordTest, RefusesAFixtureOverTheLoadersSizeLimit) {
  RunOnHost([](const HostFacts& host) {
    // An /etc/os-release with one line longer than a fixture file may be.
    const std::string release = host.workdir + "/os-release";
    {
      std::ofstream file(release, std::ios::binary);
      file << "ID=big\nPRETTY_NAME=" << std::string(fakehost::kMaxFixtureFileBytes, 'x') << "\n";
      ASSERT_TRUE(file.flush());
    }
    ASSERT_EQ(mount(release.c_str(), "/etc/os-release", nullptr, MS_BIND, nullptr), 0);
    const std::string out = host.workdir + "/out.json";
    const CliRun run = Record({"--rootfs", "/", "--out", out});
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("the recording does not load, so it was not written: "
                                   "cannot read fixture " + Quote(out) +
                                   ": it is larger than 64 MiB, the limit of a fixture file"));
    EXPECT_FALSE(std::filesystem::exists(out));
  });
}

TEST_F(RecordTest, AFailedWriteToStdoutIsAWriteError) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    UniqueFd full(open("/dev/full", O_WRONLY | O_CLOEXEC));
    ASSERT_TRUE(full.valid());
    std::unique_ptr<Cmd> record = RecordCommand({"--rootfs", container.rootfs});
    record->SetStdout(full.get());
    const Status run = record->Run();
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.error().exit_status(), 1);
    EXPECT_THAT(run.error().stderr_data(),
                HasSubstr("nsenterctl: write error: No space left on device"));
  });
}

TEST_F(RecordTest, AFailedWriteToOutNamesTheFileAndWhy) {
  RunInContainer(Propagation::kRslave, [](const Container& container) {
    for (const auto& [out, reason] :
         std::vector<std::pair<std::string, std::string>>{
             {"/dev/full", "No space left on device"},
             {container.scratch + "/no dir\n/out.json", "No such file or directory"}}) {
      const CliRun run = Record({"--rootfs", container.rootfs, "--out", out});
      EXPECT_EQ(run.status, 1);
      EXPECT_THAT(run.err, HasSubstr("nsenterctl: cannot write " + Quote(out) + ": " + reason));
    }
  });
}

}  // namespace
}  // namespace nsenter::privileged
