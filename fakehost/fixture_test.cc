#include "fakehost/fixture.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakehost/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nsenter/quote.h"

namespace nsenter::fakehost {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kSource[] = "hosts/example.json";

// A fixture with the required members and then `members` (JSON text).
std::string WithMembers(const std::string& members) {
  return R"({"format": "fakehost/v1", "host": {"name": "t", "recorded_with": "hand-written"})" +
         (members.empty() ? "" : ", " + members) + "}";
}

TEST(ParseFixtureTest, MinimalFixtureGetsTheDocumentedDefaults) {
  Result<Fixture> fixture = ParseFixture(WithMembers(""), kSource);
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  EXPECT_EQ(fixture->source, kSource);
  EXPECT_EQ(fixture->host.name, "t");
  EXPECT_EQ(fixture->host.recorded_with, "hand-written");
  EXPECT_EQ(fixture->root, "/rootfs");
  EXPECT_EQ(fixture->mount_namespace, "/proc/1/ns/mnt");
  EXPECT_TRUE(fixture->entries.empty());
  EXPECT_TRUE(fixture->commands.empty());
  EXPECT_FALSE(fixture->expect.has_value());
}

TEST(ParseFixtureTest, ReadsEveryMember) {
  const std::string text = R"({
    "format": "fakehost/v1",
    "host": {"name": "debian-12", "recorded_with": "nsenterctl record", "kernel": "6.1.0-18-amd64",
             "date": "2024-03-01T10:00:00Z", "os_release": {"ID": "debian", "VERSION_ID": "12"}},
    "root": "/host",
    "mount_namespace": "/proc/1/ns/mnt",
    "entries": [
      {"path": "/bin", "type": "symlink", "target": "usr/bin"},
      {"path": "/usr/bin/mount", "type": "file", "mode": "4755"},
      {"path": "/usr/bin/ls", "type": "file"},
      {"path": "/tmp", "type": "dir", "mode": "1777"},
      {"path": "/var/lib", "type": "dir"}
    ],
    "commands": [
      {"argv": ["/bin/realpath", "-e", "--", "/bin/mount"], "stdout": "/usr/bin/mount\n"},
      {"argv": ["/bin/realpath", "-e", "--", "/nope"], "exit_code": 1,
       "stderr": "realpath: /nope: No such file or directory\n"}
    ],
    "expect": {"discovery": {"mount": "/bin/mount"},
               "systemd_run": {"path": "systemd-run", "found": false}}
  })";
  Result<Fixture> fixture = ParseFixture(text, kSource);
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  EXPECT_EQ(fixture->host.kernel, "6.1.0-18-amd64");
  EXPECT_EQ(fixture->host.date, "2024-03-01T10:00:00Z");
  EXPECT_EQ(fixture->host.os_release.at("VERSION_ID"), "12");
  EXPECT_EQ(fixture->root, "/host");
  ASSERT_EQ(fixture->entries.size(), 5u);
  EXPECT_EQ(fixture->entries[0], (Entry{"/bin", EntryType::kSymlink, std::nullopt, "usr/bin"}));
  EXPECT_EQ(fixture->entries[1], (Entry{"/usr/bin/mount", EntryType::kFile, 04755, ""}));
  EXPECT_EQ(fixture->entries[2], (Entry{"/usr/bin/ls", EntryType::kFile, std::nullopt, ""}));
  EXPECT_EQ(fixture->entries[3], (Entry{"/tmp", EntryType::kDirectory, 01777, ""}));
  ASSERT_EQ(fixture->commands.size(), 2u);
  EXPECT_EQ(fixture->commands[0].argv,
            (std::vector<std::string>{"/bin/realpath", "-e", "--", "/bin/mount"}));
  EXPECT_EQ(fixture->commands[0].answer, (Answer{0, "/usr/bin/mount\n", ""}));
  EXPECT_EQ(fixture->commands[1].answer,
            (Answer{1, "", "realpath: /nope: No such file or directory\n"}));
  ASSERT_TRUE(fixture->expect.has_value());
  EXPECT_EQ(fixture->expect->discovery,
            (std::map<std::string, std::string>{{"mount", "/bin/mount"}}));
  EXPECT_EQ(fixture->expect->systemd_run, (ExpectedSystemdRun{"systemd-run", false}));
}

TEST(ParseFixtureTest, ReadsAnExpectedCreateError) {
  Result<Fixture> fixture =
      ParseFixture(WithMembers(R"("expect": {"create_error": {"code": "not found",
                                                "message_starts_with": "unable to find mount "}})"),
                   kSource);
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  EXPECT_EQ(fixture->expect->create_error,
            (ExpectedError{ErrorCode::kNotFound, "unable to find mount "}));
}

TEST(ParseFixtureTest, ByteStringsMayBeBase64ForNamesThatAreNotUtf8) {
  // "L3RtcC9m/w==" is base64 of "/tmp/f" followed by the byte 0xff.
  Result<Fixture> fixture = ParseFixture(WithMembers(R"(
    "entries": [{"path": {"base64": "L3RtcC9m/w=="}, "type": "file"},
                {"path": "/tmp/l", "type": "symlink", "target": {"base64": "L3RtcC9m/w=="}}],
    "commands": [{"argv": ["realpath", "-z", "-e", "--", {"base64": "L3RtcC9m/w=="}],
                  "stdout": "/tmp/f\u0000"}])"),
                                         kSource);
  ASSERT_TRUE(fixture.ok()) << fixture.error().ToString();
  EXPECT_EQ(fixture->entries[0].path, "/tmp/f\xff");
  EXPECT_EQ(fixture->entries[1].target, "/tmp/f\xff");
  EXPECT_EQ(fixture->commands[0].argv.back(), "/tmp/f\xff");
  EXPECT_EQ(fixture->commands[0].answer.stdout_data, std::string("/tmp/f\0", 7));
}

// ---- Every mistake is kBadFixture naming the file and the field ----

struct BadFixtureCase {
  std::string name;
  std::string json;
  std::string field;      // The JSON pointer (or line:column) the message must name.
  std::string complaint;  // What the message must say.
};

class BadFixtureTest : public ::testing::TestWithParam<BadFixtureCase> {};

TEST_P(BadFixtureTest, IsRejectedWithTheFileAndTheField) {
  const BadFixtureCase& bad = GetParam();
  Result<Fixture> fixture = ParseFixture(bad.json, kSource);
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().code(), ErrorCode::kBadFixture);
  EXPECT_THAT(fixture.error().message(), StartsWith(kSource));
  EXPECT_THAT(fixture.error().message(), HasSubstr(bad.field));
  EXPECT_THAT(fixture.error().message(), HasSubstr(bad.complaint));
}

INSTANTIATE_TEST_SUITE_P(
    Mistakes, BadFixtureTest,
    ::testing::Values(
        BadFixtureCase{
            "MissingComma", "{\n  \"format\": \"fakehost/v1\"\n  \"host\": {}\n}",
            "hosts/example.json:3:", "malformed JSON: syntax error while parsing object"},
        BadFixtureCase{"Truncated", "{\"format\": \"fakehost/v1\", \"host\": {\"name\"",
                       "hosts/example.json:1:", "malformed JSON"},
        BadFixtureCase{"NotUtf8", "{\"format\": \"fakehost/v1\xff\"}",
                       "hosts/example.json:1:", "UTF-8"},
        BadFixtureCase{"NumberTooLarge",
                       WithMembers(R"("commands": [{"argv": ["x"], "exit_code": 1e400}])"),
                       "hosts/example.json:1:", "number overflow"},
        BadFixtureCase{"NotAnObject", "[]", "(top level)", "expected an object"},
        BadFixtureCase{"MissingFormat", R"({"host": {}})", "/format", "missing"},
        BadFixtureCase{"UnknownFormatVersion", R"({"format": "fakehost/v2"})", "/format",
                       "unknown format version 'fakehost/v2'"},
        BadFixtureCase{"UnknownMember", WithMembers(R"("entires": [])"), "/entires",
                       "unknown member"},
        BadFixtureCase{"DuplicateKey",
                       WithMembers(R"("entries": [{"path": "/a", "path": "/b", "type": "dir"}])"),
                       "/entries/0/path", "appears twice"},
        BadFixtureCase{"MissingHost", R"({"format": "fakehost/v1"})", "/host", "missing"},
        BadFixtureCase{"WrongTypeOfMetadata",
                       R"({"format": "fakehost/v1", "host": {"name": "t", "recorded_with": 5}})",
                       "/host/recorded_with", "expected a string, got a number (5)"},
        BadFixtureCase{"EmptyHostName",
                       R"({"format": "fakehost/v1", "host": {"name": "", "recorded_with": "x"}})",
                       "/host/name", "must not be empty"},
        BadFixtureCase{"RelativeRoot", WithMembers(R"("root": "rootfs")"), "/root", "not absolute"},
        BadFixtureCase{"RelativePath",
                       WithMembers(R"("entries": [{"path": "usr/bin", "type": "dir"}])"),
                       "/entries/0/path", "'usr/bin' is not absolute"},
        BadFixtureCase{"DotDotInPath",
                       WithMembers(R"("entries": [{"path": "/usr/../etc", "type": "dir"}])"),
                       "/entries/0/path", "\"..\" component"},
        BadFixtureCase{"DoubleSlashInPath",
                       WithMembers(R"("entries": [{"path": "/usr//bin", "type": "dir"}])"),
                       "/entries/0/path", "empty component"},
        BadFixtureCase{"TheRootAsAnEntry",
                       WithMembers(R"("entries": [{"path": "/", "type": "dir"}])"),
                       "/entries/0/path", "always exists"},
        BadFixtureCase{"ComponentTooLong",
                       WithMembers(R"("entries": [{"path": "/)" + std::string(256, 'x') +
                                   R"(", "type": "dir"}])"),
                       "/entries/0/path", "NAME_MAX"},
        BadFixtureCase{"NulInPath",
                       WithMembers(R"("entries": [{"path": "/a\u0000b", "type": "dir"}])"),
                       "/entries/0/path", "NUL"},
        BadFixtureCase{"SamePathTwice", WithMembers(R"("entries": [
                           {"path": "/usr/bin/mount", "type": "file"},
                           {"path": "/usr/bin", "type": "dir"},
                           {"path": "/usr/bin/mount", "type": "file"}])"),
                       "/entries/2/path", "'/usr/bin/mount' is listed twice; first at /entries/0"},
        BadFixtureCase{"EntryInsideAFile", WithMembers(R"("entries": [
                           {"path": "/usr/bin/mount/x", "type": "file"},
                           {"path": "/usr/bin/mount", "type": "file"}])"),
                       "/entries/0/path",
                       "is inside '/usr/bin/mount', which /entries/1 makes a file"},
        BadFixtureCase{"EntryInsideASymlink", WithMembers(R"("entries": [
                           {"path": "/bin", "type": "symlink", "target": "usr/bin"},
                           {"path": "/bin/mount", "type": "file"}])"),
                       "/entries/1/path", "which /entries/0 makes a symlink"},
        BadFixtureCase{"SymlinkWithoutTarget",
                       WithMembers(R"("entries": [{"path": "/bin", "type": "symlink"}])"),
                       "/entries/0/target", "missing"},
        BadFixtureCase{
            "SymlinkWithEmptyTarget",
            WithMembers(R"("entries": [{"path": "/bin", "type": "symlink", "target": ""}])"),
            "/entries/0/target", "non-empty target"},
        BadFixtureCase{
            "TargetOnAFile",
            WithMembers(R"("entries": [{"path": "/f", "type": "file", "target": "/g"}])"),
            "/entries/0/target", "only a symlink has a target"},
        BadFixtureCase{
            "UnknownType",
            WithMembers(R"("entries": [{"path": "/bin", "type": "link", "target": "x"}])"),
            "/entries/0/type", R"(expected "file", "dir" or "symlink", got 'link')"},
        BadFixtureCase{"MissingType", WithMembers(R"("entries": [{"path": "/bin"}])"),
                       "/entries/0/type", "missing"},
        BadFixtureCase{
            "ModeNotOctal",
            WithMembers(R"("entries": [{"path": "/f", "type": "file", "mode": "rwxr-xr-x"}])"),
            "/entries/0/mode", "octal digits"},
        BadFixtureCase{"ModeAsNumber",
                       WithMembers(R"("entries": [{"path": "/f", "type": "file", "mode": 755}])"),
                       "/entries/0/mode", "expected a string, got a number (755)"},
        BadFixtureCase{
            "ModeTooLong",
            WithMembers(R"("entries": [{"path": "/f", "type": "file", "mode": "00755"}])"),
            "/entries/0/mode", "1 to 4 octal digits"},
        BadFixtureCase{"ModeOnASymlink", WithMembers(R"("entries": [
                           {"path": "/l", "type": "symlink", "target": "x", "mode": "0777"}])"),
                       "/entries/0/mode", "a symlink has no mode"},
        BadFixtureCase{
            "BadBase64",
            WithMembers(R"("entries": [{"path": {"base64": "L3RtcC9m/w="}, "type": "file"}])"),
            "/entries/0/path/base64", "expected base64"},
        BadFixtureCase{"UnknownByteStringForm",
                       WithMembers(R"("entries": [{"path": {"hex": "2f"}, "type": "file"}])"),
                       "/entries/0/path/hex", "unknown member"},
        BadFixtureCase{"PathAsNumber", WithMembers(R"("entries": [{"path": 7, "type": "file"}])"),
                       "/entries/0/path", R"(expected a string or {"base64": "..."})"},
        BadFixtureCase{"EmptyArgv", WithMembers(R"("commands": [{"argv": []}])"),
                       "/commands/0/argv", "must not be empty"},
        BadFixtureCase{"EmptyProgram", WithMembers(R"("commands": [{"argv": [""]}])"),
                       "/commands/0/argv/0", "the program must not be empty"},
        BadFixtureCase{"NulInArgv", WithMembers(R"("commands": [{"argv": ["ls", "a\u0000"]}])"),
                       "/commands/0/argv/1", "NUL"},
        BadFixtureCase{"MissingArgv", WithMembers(R"("commands": [{"stdout": "x"}])"),
                       "/commands/0/argv", "missing"},
        BadFixtureCase{"ExitCodeTooLarge",
                       WithMembers(R"("commands": [{"argv": ["x"], "exit_code": 256}])"),
                       "/commands/0/exit_code", "expected an integer from 0 to 255, got 256"},
        BadFixtureCase{"ExitCodeNotAnInteger",
                       WithMembers(R"("commands": [{"argv": ["x"], "exit_code": 1.5}])"),
                       "/commands/0/exit_code", "expected an integer from 0 to 255, got 1.5"},
        BadFixtureCase{
            "ExitCodeHuge",
            WithMembers(R"("commands": [{"argv": ["x"], "exit_code": 18446744073709551615}])"),
            "/commands/0/exit_code", "expected an integer from 0 to 255"},
        BadFixtureCase{"SameArgvTwice", WithMembers(R"("commands": [
                           {"argv": ["/bin/ls", "/"], "stdout": "a\n"},
                           {"argv": ["/bin/ls", "/"], "stdout": "b\n"}])"),
                       "/commands/1/argv", "already scripted at /commands/0"},
        BadFixtureCase{"ExpectBothOutcomes", WithMembers(R"("expect": {"discovery": {},
                           "create_error": {"code": "not found"}})"),
                       "/expect", "exactly one of"},
        BadFixtureCase{"ExpectNoOutcome", WithMembers(R"("expect": {})"), "/expect",
                       "exactly one of"},
        BadFixtureCase{"UnknownErrorCode",
                       WithMembers(R"("expect": {"create_error": {"code": "ENOENT"}})"),
                       "/expect/create_error/code", "expected an error code name"},
        BadFixtureCase{"RelativeDiscoveredPath",
                       WithMembers(R"("expect": {"discovery": {"mount": "bin/mount"}})"),
                       "/expect/discovery/mount", "not absolute"},
        BadFixtureCase{"SystemdWithCreateError", WithMembers(R"("expect": {
                           "create_error": {"code": "not found"},
                           "systemd_run": {"path": "systemd-run", "found": false}})"),
                       "/expect/systemd_run", "only meaningful when Create succeeded"},
        BadFixtureCase{"SystemdFoundNotBoolean", WithMembers(R"("expect": {"discovery": {},
                           "systemd_run": {"path": "systemd-run", "found": "no"}})"),
                       "/expect/systemd_run/found", "expected true or false"},
        BadFixtureCase{"DiscoveryNameDotDot",
                       WithMembers(R"("expect": {"discovery": {"..": "/bin/mount"}})"),
                       "/expect/discovery/..", "the binary name '..' must be a plain file name"},
        BadFixtureCase{"SystemdPathWithNul", WithMembers(R"("expect": {"discovery": {},
                           "systemd_run": {"path": "/bin/systemd-run\u0000x", "found": true}})"),
                       "/expect/systemd_run/path", "contains a NUL byte"},
        BadFixtureCase{"SystemdPathRelative", WithMembers(R"("expect": {"discovery": {},
                           "systemd_run": {"path": "bin/systemd-run", "found": true}})"),
                       "/expect/systemd_run/path", "not absolute"},
        BadFixtureCase{"SystemdNotFoundWithAPath", WithMembers(R"("expect": {"discovery": {},
                           "systemd_run": {"path": "/bin/systemd-run", "found": false}})"),
                       "/expect/systemd_run/path", R"(with "found": false it is "systemd-run")"},
        BadFixtureCase{"MountInfoNotAnArray", WithMembers(R"("mountinfo": "1 0 8:1 / / rw")"),
                       "/mountinfo", "expected an array"},
        BadFixtureCase{"MountInfoLineWithoutSeparator",
                       WithMembers(R"("mountinfo": ["1 0 8:1 / / rw - ext4 /dev/sda1 rw",
                                                    "2 1 0:21 / /proc rw proc proc rw"])"),
                       "/mountinfo/1", R"(no "-" separator after the optional fields)"},
        BadFixtureCase{"MountInfoBadEscape",
                       WithMembers(R"("mountinfo": ["1 0 8:1 / /a\\04 rw - ext4 /dev/sda1 rw"])"),
                       "/mountinfo/0", "bad escape"},
        BadFixtureCase{"MountInfoTwoLinesInOne",
                       WithMembers(R"("mountinfo": ["1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"])"),
                       "/mountinfo/0", "holds a newline"},
        BadFixtureCase{"MountInfoEmptyLine", WithMembers(R"("mountinfo": [""])"), "/mountinfo/0",
                       "empty line"},
        BadFixtureCase{"MountInfoWithoutAProcess",
                       WithMembers(R"("mount_namespace": "/run/netns/x", "mountinfo": [])"),
                       "/mount_namespace", "is not \"/proc/<pid>/ns/mnt\""},
        BadFixtureCase{"MountInfoOfPidZero",
                       WithMembers(R"("mount_namespace": "/proc/01/ns/mnt", "mountinfo": [])"),
                       "/mount_namespace", "no process owns the mount table"}),
    [](const ::testing::TestParamInfo<BadFixtureCase>& info) { return info.param.name; });

TEST(ParseFixtureTest, PointerEscapesSlashAndTildeInKeys) {
  Result<Fixture> fixture =
      ParseFixture(WithMembers(R"("expect": {"discovery": {"a/b~c": "/x"}})"), kSource);
  ASSERT_FALSE(fixture.ok());
  EXPECT_THAT(fixture.error().message(), HasSubstr("/expect/discovery/a~1b~0c"));
}

// ---- No input crashes the loader ----

// A valid fixture using every member, the base of the mutations below.
const std::string& FullFixture() {
  static const std::string text = WithMembers(R"(
    "root": "/rootfs", "mount_namespace": "/proc/1/ns/mnt",
    "entries": [{"path": "/bin", "type": "symlink", "target": "usr/bin"},
                {"path": "/usr/bin/mount", "type": "file", "mode": "0755"},
                {"path": {"base64": "L3RtcC9m/w=="}, "type": "dir"}],
    "commands": [{"argv": ["/bin/realpath", "-e", "--", "/bin"], "exit_code": 0,
                  "stdout": "/usr/bin\n", "stderr": ""}],
    "expect": {"discovery": {"mount": "/bin/mount"},
               "systemd_run": {"path": "systemd-run", "found": false}})");
  return text;
}

// Parsing returns, and any failure is a kBadFixture.
void ExpectHandled(const std::string& text) {
  Result<Fixture> fixture = ParseFixture(text, kSource);
  if (!fixture.ok()) {
    EXPECT_EQ(fixture.error().code(), ErrorCode::kBadFixture) << fixture.error().ToString();
  }
}

TEST(ParseFixtureGarbageTest, TheFullFixtureIsValid) {
  Result<Fixture> fixture = ParseFixture(FullFixture(), kSource);
  EXPECT_TRUE(fixture.ok()) << fixture.error().ToString();
}

TEST(ParseFixtureGarbageTest, EveryTruncationIsAnErrorNotACrash) {
  const std::string& text = FullFixture();
  for (size_t length = 0; length < text.size(); ++length) {
    Result<Fixture> fixture = ParseFixture(text.substr(0, length), kSource);
    ASSERT_FALSE(fixture.ok()) << "truncated at " << length;
    EXPECT_EQ(fixture.error().code(), ErrorCode::kBadFixture);
  }
}

TEST(ParseFixtureGarbageTest, WrongTypesEverywhere) {
  const nlohmann::json full = nlohmann::json::parse(FullFixture());
  const std::vector<nlohmann::json> replacements = {nullptr,
                                                    true,
                                                    0,
                                                    -1,
                                                    1.5,
                                                    1e300,
                                                    "text",
                                                    nlohmann::json::array(),
                                                    nlohmann::json::object(),
                                                    nlohmann::json::array({nullptr, 1, "x"}),
                                                    nlohmann::json::object({{"base64", 5}})};
  const nlohmann::json flat = full.flatten();
  int mutations = 0;
  for (const auto& [pointer, value] : flat.items()) {
    // Replace the leaf and every ancestor of it.
    for (nlohmann::json::json_pointer at(pointer); !at.empty(); at = at.parent_pointer()) {
      for (const nlohmann::json& replacement : replacements) {
        nlohmann::json mutated = full;
        mutated[at] = replacement;
        ExpectHandled(mutated.dump());
        ++mutations;
      }
    }
  }
  EXPECT_GT(mutations, 300);
}

TEST(ParseFixtureGarbageTest, DeepNestingAndHugeValues) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  ExpectHandled(deep);
  ExpectHandled(R"({"format": "fakehost/v1", "host": )" + deep + "}");
  ExpectHandled(std::string(200000, '{'));
  ExpectHandled(
      WithMembers(R"("commands": [{"argv": ["x"], "exit_code": -99999999999999999999999}])"));
  ExpectHandled(WithMembers(R"("entries": [{"path": "/)" + std::string(100000, 'a') +
                            R"(", "type": "file"}])"));
  ExpectHandled(WithMembers(R"("root": ")" + std::string(5000, '/') + "\""));
}

TEST(ParseFixtureGarbageTest, ArbitraryBytes) {
  uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return static_cast<char>(state >> 16);
  };
  for (int round = 0; round < 2000; ++round) {
    std::string text = FullFixture();
    // Overwrite a few bytes at pseudo-random places.
    for (int i = 0; i < 3; ++i) {
      text[static_cast<unsigned char>(next()) * 7 % text.size()] = next();
    }
    ExpectHandled(text);
  }
  for (const std::string& text :
       {std::string(""), std::string("{"), std::string("\""), std::string("nul"),
        std::string("\xef\xbb\xbf"), std::string("{}{}"), std::string("\0", 1)}) {
    ExpectHandled(text);
  }
}

// ---- Writing fixtures ----

TEST(FormatFixtureTest, RoundTripsEveryMemberAndArbitraryBytes) {
  Fixture fixture;
  fixture.source = kSource;
  fixture.host = {"host", "nsenterctl record", "6.1.0", "2024-03-01", {{"ID", "debian"}}};
  fixture.root = "/host";
  fixture.entries = {
      {"/bin", EntryType::kSymlink, std::nullopt, "usr/bin"},
      {"/usr/bin/mount", EntryType::kFile, 04755, ""},
      {"/var/lib/kubelet/caf\xe9", EntryType::kDirectory, std::nullopt, ""},
      {"/var/lib/l", EntryType::kSymlink, std::nullopt, "/tmp/f\xff"},
  };
  fixture.commands = {
      {{"/bin/realpath", "-z", "-e", "--", "/var/lib/kubelet/caf\xe9"},
       {0, std::string("/var/lib/kubelet/caf\xe9\0", 22), ""}},
      {{"/bin/false"}, {1, "", "boom\n"}},
  };
  fixture.mountinfo = std::vector<std::string>{
      "1 0 8:1 / / rw shared:1 - ext4 /dev/sda1 rw",
      "2 1 0:40 / /mnt/caf\xe9\\040x rw - tmpfs  rw,size=8k"};
  Expectations expect;
  expect.discovery = std::map<std::string, std::string>{{"mount", "/bin/mount"}};
  expect.systemd_run = ExpectedSystemdRun{"/bin/systemd-run", true};
  fixture.expect = expect;

  const std::string text = FormatFixture(fixture);
  EXPECT_THAT(text, HasSubstr(R"("mountinfo": [)"));
  // Bytes that are not UTF-8 are written in base64; text stays text.
  EXPECT_THAT(text, HasSubstr(R"({"base64":"L3Zhci9saWIva3ViZWxldC9jYWbp"})"));
  EXPECT_THAT(text, HasSubstr(R"("target":{"base64":"L3RtcC9m/w=="})"));
  EXPECT_THAT(text, HasSubstr(R"("path":"/usr/bin/mount","type":"file","mode":"4755")"));
  Result<Fixture> read = ParseFixture(text, kSource);
  ASSERT_TRUE(read.ok()) << read.error().ToString() << "\n" << text;
  EXPECT_EQ(*read, fixture);
}

TEST(FormatFixtureTest, RoundTripsAnExpectedCreateError) {
  Fixture fixture;
  fixture.source = kSource;
  fixture.host = {"nixos", "hand-written", "", "", {}};
  Expectations expect;
  expect.create_error = ExpectedError{ErrorCode::kNotFound, "unable"};
  fixture.expect = expect;
  Result<Fixture> read = ParseFixture(FormatFixture(fixture), kSource);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(*read, fixture);
}

// ---- Checks on fixtures built in code ----

TEST(ValidateFixtureTest, ChecksWhatTheSchemaCannotExpress) {
  Fixture fixture;
  fixture.source = kSource;
  fixture.host = {"t", "hand-written", "", "", {}};
  EXPECT_TRUE(ValidateFixture(fixture).ok());

  Fixture symlink_mode = fixture;
  symlink_mode.entries = {{"/l", EntryType::kSymlink, 0777, "x"}};
  Status status = ValidateFixture(symlink_mode);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kBadFixture);
  EXPECT_THAT(status.error().message(), HasSubstr("hosts/example.json: /entries/0/mode"));

  Fixture big_mode = fixture;
  big_mode.entries = {{"/f", EntryType::kFile, 010000, ""}};
  status = ValidateFixture(big_mode);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(),
              HasSubstr("/entries/0/mode: permission bits must be at most 07777"));

  Fixture bad_exit = fixture;
  bad_exit.commands = {{{"x"}, {-1, "", ""}}};
  status = ValidateFixture(bad_exit);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message(), HasSubstr("/commands/0/exit_code"));
}

// ---- Loading files ----

TEST(LoadFixtureTest, NamesTheFileAsTheSource) {
  TempDir dir;
  const std::string file = dir.WriteFile("host.json", WithMembers(R"("root": "rootfs")"));
  Result<Fixture> fixture = LoadFixture(file);
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().message(),
            file + ": /root: 'rootfs' is not absolute; expected a path starting with \"/\"");

  const std::string good = dir.WriteFile("good.json", WithMembers(""));
  Result<Fixture> loaded = LoadFixture(good);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(loaded->source, good);
}

TEST(LoadFixtureTest, MissingFileIsNotFound) {
  TempDir dir;
  Result<Fixture> fixture = LoadFixture(dir.path() + "/missing.json");
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(fixture.error().message(), HasSubstr("missing.json"));
}

// Reading /dev/zero grew a string until std::bad_alloc aborted the process.
TEST(LoadFixtureTest, RefusesFilesThatAreNotRegularAndReadsNothing) {
  TempDir dir;
  const std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);  // Nobody writes: a read would block.
  for (const std::string& file : {std::string("/dev/zero"), fifo, dir.path()}) {
    Result<Fixture> fixture = LoadFixture(file);
    ASSERT_FALSE(fixture.ok()) << file;
    EXPECT_EQ(fixture.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(fixture.error().message(),
              "cannot read fixture " + Quote(file) + ": not a regular file");
  }
}

TEST(LoadFixtureTest, RefusesFilesOverTheLimit) {
  TempDir dir;
  const std::string file = dir.WriteFile("huge.json", "");
  ASSERT_EQ(truncate(file.c_str(), static_cast<off_t>(kMaxFixtureFileBytes) + 1), 0);  // Sparse.
  Result<Fixture> fixture = LoadFixture(file);
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(fixture.error().message(), HasSubstr("larger than 64 MiB, the limit of a fixture"));

  ASSERT_EQ(truncate(file.c_str(), static_cast<off_t>(kMaxFixtureFileBytes)), 0);
  fixture = LoadFixture(file);  // At the limit: read, and refused as JSON.
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().code(), ErrorCode::kBadFixture);
}

// What a recorder checks before it writes is what LoadFixture checks after.
TEST(ParseFixtureFileTest, AppliesTheFileLimitAsLoadFixtureDoes) {
  std::string text = WithMembers("");
  text.resize(kMaxFixtureFileBytes, ' ');  // Trailing white space: valid JSON.
  EXPECT_TRUE(ParseFixtureFile(text, kSource).ok());

  text.push_back(' ');
  Result<Fixture> fixture = ParseFixtureFile(text, kSource);
  ASSERT_FALSE(fixture.ok());
  EXPECT_EQ(fixture.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(fixture.error().message(),
            "cannot read fixture " + Quote(kSource) +
                ": it is larger than 64 MiB, the limit of a fixture file");
  TempDir dir;
  const std::string file = dir.WriteFile("example.json", text);
  EXPECT_EQ(LoadFixture(file).error().message(),
            "cannot read fixture " + Quote(file) +
                ": it is larger than 64 MiB, the limit of a fixture file");
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// (The sanitizers' runtimes reserve terabytes of address space: RLIMIT_AS
// cannot bound them.)

// What LoadFixture(file) gave in a child process whose address space is
// limited to `bytes` more than this process uses: "loaded", or the error's
// message; `status` is the child's wait status (exit 4 for an exception such
// as std::bad_alloc).
struct LimitedLoad {
  int status = -1;
  std::string outcome;
};

LimitedLoad LoadWithAddressSpace(const std::string& file, rlim_t bytes) {
  struct rlimit current;
  EXPECT_EQ(getrlimit(RLIMIT_AS, &current), 0);
  std::ifstream status("/proc/self/status");
  rlim_t used_kib = 0;
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmSize:")) used_kib = std::stoull(line.substr(7));
  }
  EXPECT_GT(used_kib, 0u);
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    const struct rlimit limit = {used_kib * 1024 + bytes, current.rlim_max};
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(2);
    try {  // Nothing may reach the test framework, which this child shares.
      Result<Fixture> fixture = LoadFixture(file);
      const std::string outcome = fixture.ok() ? "loaded" : fixture.error().message();
      const bool written = write(pipe_fds[1], outcome.data(), outcome.size()) ==
                           static_cast<ssize_t>(outcome.size());
      _exit(written ? 0 : 3);
    } catch (...) {
      _exit(4);
    }
  }
  close(pipe_fds[1]);
  LimitedLoad load;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) load.outcome.append(buffer, n);
  close(pipe_fds[0]);
  EXPECT_EQ(waitpid(pid, &load.status, 0), pid);
  return load;
}

// The size of the files below, and the memory fixture.h promises for them
// (4 times the file, 32 MiB for the values).
constexpr size_t kFileBytes = size_t{8} << 20;
constexpr rlim_t kPromisedBytes = 4 * kFileBytes + (32 << 20);

// The JSON document of a file may cost far more than its text (a few dozen
// bytes per value: a 2-byte "0," or "[" becomes one): LoadFixture stops at
// kMaxFixtureDepth and kMaxFixtureValues, within what fixture.h promises.
TEST(LoadFixtureTest, MemoryStaysInProportionToTheFile) {
  TempDir dir;
  constexpr size_t kDepth = kFileBytes / 2;
  std::string zeros = "{\"a\":[0";
  while (zeros.size() + 4 < kFileBytes) zeros += ",0";
  const struct {
    std::string file;
    std::string message;
  } cases[] = {
      {dir.WriteFile("deep.json", "{\"a\":" + std::string(kDepth, '[') + std::string(kDepth, ']') + "}"),
       "the document has arrays and objects nested more than 32 deep, past the limit"},
      {dir.WriteFile("zeros.json", zeros + "]}"),
       "the document has more than 100000 values, past the limit"},
  };
  for (const auto& c : cases) {
    const LimitedLoad load = LoadWithAddressSpace(c.file, kPromisedBytes);
    EXPECT_TRUE(WIFEXITED(load.status) && WEXITSTATUS(load.status) == 0) << load.status;
    EXPECT_EQ(load.outcome, c.file + ": " + c.message);
  }
}

// A valid fixture that is one long string loads in what fixture.h promises;
// with less, loading fails with an error, not an abort.
TEST(LoadFixtureTest, RunsOutOfMemoryWithAnError) {
  TempDir dir;
  const std::string head =
      R"({"format": "fakehost/v1", "host": {"name": "t", "recorded_with": "t", "kernel": ")";
  const std::string tail = R"("}})";
  const std::string file = dir.WriteFile(
      "long.json",
      head + std::string(kFileBytes - head.size() - tail.size(), 'x') + tail);

  LimitedLoad load = LoadWithAddressSpace(file, kPromisedBytes);
  EXPECT_TRUE(WIFEXITED(load.status) && WEXITSTATUS(load.status) == 0) << load.status;
  EXPECT_EQ(load.outcome, "loaded");

  load = LoadWithAddressSpace(file, kFileBytes + kFileBytes / 2);
  EXPECT_TRUE(WIFEXITED(load.status) && WEXITSTATUS(load.status) == 0) << load.status;
  EXPECT_EQ(load.outcome, "cannot load fixture " + Quote(file) + " of " +
                              std::to_string(kFileBytes) +
                              " bytes: out of memory (loading takes up to about 4 times the "
                              "file's size)");
}
#endif

}  // namespace
}  // namespace nsenter::fakehost
