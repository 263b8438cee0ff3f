// nsenter_cpp's README.md shows, in "Testing code that uses it", a test of
// another workspace: its source, its BUILD stanza and the .bazelrc lines it
// needs. This workspace builds and runs exactly that (readme_example_test);
// these tests fail when the README and this workspace drift apart.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tools/cpp/runfiles/runfiles.h"

namespace node_agent {
namespace {

using ::bazel::tools::cpp::runfiles::Runfiles;

class ReadmeBlocksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    runfiles_.reset(Runfiles::CreateForTest(&error));
    ASSERT_NE(runfiles_, nullptr) << error;
    readme_ = Read("nsenter_cpp/README.md");
    const size_t section = readme_.find("\n### Testing code that uses it\n");
    ASSERT_NE(section, std::string::npos);
    section_ = readme_.substr(section, readme_.find("\n## ", section + 1) - section);
  }

  std::string Read(const std::string& runfile) const {
    std::ifstream file(runfiles_->Rlocation(runfile), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  // The body of the section's first fenced block opened with "```LANGUAGE".
  std::string Block(const std::string& language) const {
    const std::string opening = "```" + language + "\n";
    const size_t start = section_.find(opening);
    if (start == std::string::npos) return "(no ```" + language + " block)";
    const size_t body = start + opening.size();
    return section_.substr(body, section_.find("```\n", body) - body);
  }

  std::unique_ptr<Runfiles> runfiles_;
  std::string readme_;
  std::string section_;
};

TEST_F(ReadmeBlocksTest, TheTestIsReadmeExampleTest) {
  EXPECT_EQ(Block("cpp"), Read("node_agent/readme_example_test.cc"));
}

TEST_F(ReadmeBlocksTest, TheBuildStanzaIsThisWorkspaces) {
  const std::string build = Read("node_agent/BUILD.bazel");
  const std::string begin = "# README: begin\n";
  const size_t start = build.find(begin);
  ASSERT_NE(start, std::string::npos);
  const size_t body = start + begin.size();
  const std::string stanza = build.substr(body, build.find("# README: end\n", body) - body);
  EXPECT_EQ(Block("python"), "# BUILD.bazel\n" + stanza);
}

TEST_F(ReadmeBlocksTest, TheBazelrcLinesAreThisWorkspaces) {
  const std::string bazelrc = Read("node_agent/.bazelrc");
  std::istringstream lines(Block("sh"));
  int options = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.starts_with("#")) continue;
    ++options;
    EXPECT_NE(bazelrc.find("\n" + line + "\n"), std::string::npos) << line;
  }
  EXPECT_GE(options, 2);
}

}  // namespace
}  // namespace node_agent
