// `nsenterctl record` in a privileged container, recording this machine as
// its host: what it writes always loads, a probe given twice (or equal to a
// default probe) is recorded once, a probe leading to a FIFO gets no answers
// (a fixture cannot hold a FIFO, so replay would contradict them), and a
// fixture root the loader would refuse is refused before anything is written.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fakehost/fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/exec.h"
#include "nsenter/privileged/privileges.h"
#include "nsenter/privileged/sandbox.h"
#include "nsenter/process_executor.h"

namespace nsenter::privileged {
namespace {

using ::testing::HasSubstr;

using RecordTest = PrivilegedTest;

struct CliRun {
  int status = -1;
  std::string err;  // With --out, stdout is empty: this is all it printed.
};

CliRun Record(const std::vector<std::string>& args) {
  const std::string binary = std::string(std::getenv("TEST_SRCDIR")) + "/" +
                             std::getenv("TEST_WORKSPACE") + "/tools/nsenterctl";
  std::vector<std::string> words = {"record"};
  words.insert(words.end(), args.begin(), args.end());
  Result<std::string> out = ProcessExecutor().Command(binary, words)->CombinedOutput();
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
    EXPECT_EQ(run.status, 1);
    EXPECT_THAT(run.err, HasSubstr("fixture root '/rootfs/' is not a clean path"));
    EXPECT_FALSE(std::filesystem::exists(out));
  });
}

}  // namespace
}  // namespace nsenter::privileged
