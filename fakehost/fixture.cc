#include "fakehost/fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <utility>

#include <nlohmann/json.hpp>

#include "fakehost/byte_string.h"
#include "fakehost/json_reader.h"
#include "nsenter/mount/mountinfo.h"
#include "nsenter/quote.h"
#include "nsenter/unique_fd.h"

namespace nsenter::fakehost {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Linux limits: a whole path (with its terminating NUL) and one name.
constexpr size_t kPathMax = 4096;
constexpr size_t kNameMax = 255;
constexpr mode_t kMaxMode = 07777;
constexpr int kMaxExitCode = 255;

constexpr std::pair<EntryType, std::string_view> kEntryTypeNames[] = {
    {EntryType::kFile, "file"},
    {EntryType::kDirectory, "dir"},
    {EntryType::kSymlink, "symlink"},
};

std::string_view EntryTypeName(EntryType type) {
  for (const auto& [known, name] : kEntryTypeNames) {
    if (known == type) return name;
  }
  return "unknown";
}

std::string Pointer(std::string_view array, size_t index, std::string_view member = "") {
  std::string pointer = "/" + std::string(array) + "/" + std::to_string(index);
  if (!member.empty()) pointer += "/" + std::string(member);
  return pointer;
}

Error BadFixture(std::string_view source, const SchemaError& error) {
  return Error(ErrorCode::kBadFixture,
               std::string(source.empty() ? "(unnamed fixture)" : source) + ": " + error.what());
}

// ---- Reading the JSON schema (throws SchemaError) ----

EntryType ReadEntryType(const JsonValue& value) {
  const std::string& name = value.String();
  for (const auto& [type, known] : kEntryTypeNames) {
    if (name == known) return type;
  }
  value.Fail(R"(expected "file", "dir" or "symlink", got )" + Quote(name));
}

mode_t ReadMode(const JsonValue& value) {
  const std::string& text = value.String();
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
    value.Fail(R"(expected permission bits as 1 to 4 octal digits, like "0755", got )" +
               Quote(text));
  }
  return static_cast<mode_t>(std::stoul(text, nullptr, 8));
}

ErrorCode ReadErrorCode(const JsonValue& value) {
  const std::string& name = value.String();
  std::string names;
  // The codes form a closed set from kInvalidArgument to kInternal.
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (name == ErrorCodeName(code)) return code;
    names += (names.empty() ? "\"" : ", \"") + std::string(ErrorCodeName(code)) + "\"";
  }
  value.Fail("expected an error code name (" + names + "), got " + Quote(name));
}

HostInfo ReadHost(const JsonValue& value) {
  value.ExpectOnlyMembers({"name", "recorded_with", "kernel", "date", "os_release"});
  HostInfo host;
  host.name = value.Get("name", "a string naming the host").String();
  host.recorded_with =
      value.Get("recorded_with", R"(a string, e.g. "hand-written" or "nsenterctl record")")
          .String();
  if (auto kernel = value.Find("kernel")) host.kernel = kernel->String();
  if (auto date = value.Find("date")) host.date = date->String();
  if (auto os_release = value.Find("os_release")) {
    for (const auto& [key, field] : os_release->Members()) host.os_release[key] = field.String();
  }
  return host;
}

Entry ReadEntry(const JsonValue& value) {
  value.ExpectOnlyMembers({"path", "type", "mode", "target"});
  Entry entry;
  entry.path = ReadByteString(value.Get("path", "an absolute path"));
  entry.type = ReadEntryType(value.Get("type", R"("file", "dir" or "symlink")"));
  const bool symlink = entry.type == EntryType::kSymlink;
  if (auto mode = value.Find("mode")) {
    if (symlink) mode->Fail("a symlink has no mode of its own (lstat shows 0777); remove it");
    entry.mode = ReadMode(*mode);
  }
  if (symlink) {
    entry.target = ReadByteString(value.Get("target", "the symlink's target (a path)"));
  } else if (auto target = value.Find("target")) {
    target->Fail("only a symlink has a target, and this entry is a " +
                 std::string(EntryTypeName(entry.type)));
  }
  return entry;
}

ScriptedCommand ReadCommand(const JsonValue& value) {
  value.ExpectOnlyMembers({"argv", "exit_code", "stdout", "stderr"});
  ScriptedCommand command;
  for (const JsonValue& word :
       value.Get("argv", "an array: the program and its arguments").Elements()) {
    command.argv.push_back(ReadByteString(word));
  }
  if (auto exit_code = value.Find("exit_code")) {
    command.answer.exit_code = static_cast<int>(exit_code->Integer(0, kMaxExitCode));
  }
  if (auto out = value.Find("stdout")) command.answer.stdout_data = ReadByteString(*out);
  if (auto err = value.Find("stderr")) command.answer.stderr_data = ReadByteString(*err);
  return command;
}

Expectations ReadExpectations(const JsonValue& value) {
  value.ExpectOnlyMembers({"discovery", "create_error", "systemd_run"});
  Expectations expect;
  if (auto discovery = value.Find("discovery")) {
    expect.discovery.emplace();
    for (const auto& [name, path] : discovery->Members()) {
      (*expect.discovery)[name] = ReadByteString(path);
    }
  }
  if (auto error = value.Find("create_error")) {
    error->ExpectOnlyMembers({"code", "message_starts_with"});
    ExpectedError& expected = expect.create_error.emplace();
    expected.code = ReadErrorCode(error->Get("code", R"(an error code name, e.g. "not found")"));
    if (auto prefix = error->Find("message_starts_with")) {
      expected.message_starts_with = prefix->String();
    }
  }
  if (auto systemd = value.Find("systemd_run")) {
    systemd->ExpectOnlyMembers({"path", "found"});
    ExpectedSystemdRun& expected = expect.systemd_run.emplace();
    expected.path = ReadByteString(systemd->Get("path", "the path SupportsSystemd() gives"));
    expected.found = systemd->Get("found", "true or false").Bool();
  }
  return expect;
}

Fixture ReadFixture(const JsonValue& document, std::string_view source) {
  if (!document.value().is_object()) {
    document.Fail(R"(expected an object with "format": "fakehost/v1", got )" +
                  std::string(document.TypeDescription()));
  }
  const JsonValue format = document.Get("format", R"("fakehost/v1")");
  if (format.String() != kFixtureFormat) {
    format.Fail("unknown format version " + Quote(format.String()) + R"(; expected "fakehost/v1")");
  }
  document.ExpectOnlyMembers(
      {"format", "host", "root", "mount_namespace", "entries", "commands", "mountinfo", "expect"});
  Fixture fixture;
  fixture.source = source;
  fixture.host = ReadHost(document.Get("host", "an object describing the host"));
  if (auto root = document.Find("root")) fixture.root = ReadByteString(*root);
  if (auto ns = document.Find("mount_namespace")) fixture.mount_namespace = ReadByteString(*ns);
  if (auto entries = document.Find("entries")) {
    for (const JsonValue& entry : entries->Elements()) fixture.entries.push_back(ReadEntry(entry));
  }
  if (auto commands = document.Find("commands")) {
    for (const JsonValue& command : commands->Elements()) {
      fixture.commands.push_back(ReadCommand(command));
    }
  }
  if (auto mountinfo = document.Find("mountinfo")) {
    fixture.mountinfo.emplace();
    for (const JsonValue& line : mountinfo->Elements()) {
      fixture.mountinfo->push_back(ReadByteString(line));
    }
  }
  if (auto expect = document.Find("expect")) fixture.expect = ReadExpectations(*expect);
  return fixture;
}

// ---- Semantic checks (throw SchemaError) ----

void CheckHostPath(const std::string& pointer, const std::string& path, bool may_be_root) {
  const auto fail = [&](std::string_view problem) {
    throw SchemaError(pointer, Quote(path) + " " + std::string(problem));
  };
  if (path.empty()) throw SchemaError(pointer, "must not be empty; expected an absolute path");
  if (path.find('\0') != std::string::npos) fail("contains a NUL byte");
  if (path.front() != '/') fail("is not absolute; expected a path starting with \"/\"");
  if (path == "/") {
    if (!may_be_root) fail("is the root, which always exists as a directory");
    return;
  }
  if (path.size() >= kPathMax) fail("is longer than PATH_MAX (4096 bytes with its NUL)");
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string_view name = std::string_view(path).substr(start, end - start);
    if (name.empty()) fail("has an empty component (\"//\" or a trailing \"/\")");
    if (name == "." || name == "..") fail("has a \".\" or \"..\" component");
    if (name.size() > kNameMax) fail("has a component longer than NAME_MAX (255 bytes)");
    start = end + 1;
  }
}

void CheckEntries(const std::vector<Entry>& entries) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    CheckHostPath(Pointer("entries", i, "path"), entry.path, false);
    const auto [existing, inserted] = index.emplace(entry.path, i);
    if (!inserted) {
      throw SchemaError(
          Pointer("entries", i, "path"),
          Quote(entry.path) + " is listed twice; first at " + Pointer("entries", existing->second));
    }
    if (entry.type == EntryType::kSymlink) {
      if (entry.mode) throw SchemaError(Pointer("entries", i, "mode"), "a symlink has no mode");
      const std::string pointer = Pointer("entries", i, "target");
      if (entry.target.empty()) throw SchemaError(pointer, "a symlink needs a non-empty target");
      if (entry.target.find('\0') != std::string::npos) {
        throw SchemaError(pointer, Quote(entry.target) + " contains a NUL byte");
      }
      if (entry.target.size() >= kPathMax) {
        throw SchemaError(pointer, "is longer than PATH_MAX (4096 bytes with its NUL)");
      }
    } else {
      if (!entry.target.empty()) {
        throw SchemaError(Pointer("entries", i, "target"), "only a symlink has a target");
      }
      if (entry.mode && *entry.mode > kMaxMode) {
        throw SchemaError(Pointer("entries", i, "mode"), "permission bits must be at most 07777");
      }
    }
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& path = entries[i].path;
    for (size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      const auto parent = index.find(path.substr(0, slash));
      if (parent == index.end() || entries[parent->second].type == EntryType::kDirectory) continue;
      throw SchemaError(Pointer("entries", i, "path"),
                        Quote(path) + " is inside " + Quote(parent->first) + ", which " +
                            Pointer("entries", parent->second) + " makes a " +
                            std::string(EntryTypeName(entries[parent->second].type)) +
                            "; entries can only be inside directories");
    }
  }
}

void CheckCommands(const std::vector<ScriptedCommand>& commands) {
  std::map<std::vector<std::string>, size_t> seen;
  for (size_t i = 0; i < commands.size(); ++i) {
    const ScriptedCommand& command = commands[i];
    const std::string argv_pointer = Pointer("commands", i, "argv");
    if (command.argv.empty()) {
      throw SchemaError(argv_pointer, "must not be empty; expected the program and its arguments");
    }
    if (command.argv.front().empty()) {
      throw SchemaError(argv_pointer + "/0", "the program must not be empty");
    }
    for (size_t j = 0; j < command.argv.size(); ++j) {
      if (command.argv[j].find('\0') != std::string::npos) {
        throw SchemaError(argv_pointer + "/" + std::to_string(j),
                          Quote(command.argv[j]) + " contains a NUL byte, which no argv can carry");
      }
    }
    if (command.answer.exit_code < 0 || command.answer.exit_code > kMaxExitCode) {
      throw SchemaError(
          Pointer("commands", i, "exit_code"),
          "expected an integer from 0 to 255, got " + std::to_string(command.answer.exit_code));
    }
    const auto [existing, inserted] = seen.emplace(command.argv, i);
    if (!inserted) {
      throw SchemaError(argv_pointer, "the same argv is already scripted at " +
                                          Pointer("commands", existing->second));
    }
  }
}

void CheckMountInfo(const std::vector<std::string>& lines, const std::string& mount_namespace) {
  if (!MountNamespacePid(mount_namespace)) {
    throw SchemaError("/mount_namespace",
                      Quote(mount_namespace) +
                          R"( is not "/proc/<pid>/ns/mnt", so no process owns the mount table)");
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string pointer = "/mountinfo/" + std::to_string(i);
    if (lines[i].empty()) throw SchemaError(pointer, "is an empty line; expected a mount");
    if (lines[i].find('\n') != std::string::npos) {
      throw SchemaError(pointer, "holds a newline; expected one line of mountinfo per element");
    }
    if (Result<std::vector<MountInfo>> parsed = ParseMountInfo(lines[i]); !parsed.ok()) {
      throw SchemaError(pointer, parsed.error().message());
    }
  }
}

void CheckExpectations(const Expectations& expect) {
  if (expect.discovery.has_value() == expect.create_error.has_value()) {
    throw SchemaError("/expect", R"(expected exactly one of "discovery" (Create succeeded) )"
                                 R"(and "create_error" (Create failed))");
  }
  if (expect.create_error && expect.systemd_run) {
    throw SchemaError("/expect/systemd_run",
                      R"(only meaningful when Create succeeded; remove it or "create_error")");
  }
  if (expect.discovery) {
    for (const auto& [name, path] : *expect.discovery) {
      const std::string pointer = "/expect/discovery/" + EscapePointerToken(name);
      if (name.empty() || name == "." || name == ".." ||
          name.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
        throw SchemaError(pointer, "the binary name " + Quote(name) +
                                       " must be a plain file name (not \".\" or \"..\", no \"/\" "
                                       "or NUL byte)");
      }
      CheckHostPath(pointer, path, false);
    }
  }
  if (expect.systemd_run) {
    // A host path where it was found, else the bare name "systemd-run".
    const std::string& path = expect.systemd_run->path;
    if (expect.systemd_run->found) {
      CheckHostPath("/expect/systemd_run/path", path, false);
    } else if (path != "systemd-run") {
      throw SchemaError("/expect/systemd_run/path",
                        "is " + Quote(path) + R"(; with "found": false it is "systemd-run")");
    }
  }
}

void CheckFixture(const Fixture& fixture) {
  if (fixture.host.name.empty()) throw SchemaError("/host/name", "must not be empty");
  if (fixture.host.recorded_with.empty()) {
    throw SchemaError("/host/recorded_with", "must not be empty");
  }
  CheckHostPath("/root", fixture.root, true);
  CheckHostPath("/mount_namespace", fixture.mount_namespace, false);
  CheckEntries(fixture.entries);
  CheckCommands(fixture.commands);
  if (fixture.mountinfo) CheckMountInfo(*fixture.mountinfo, fixture.mount_namespace);
  if (fixture.expect) CheckExpectations(*fixture.expect);
}

// ---- Writing ----

std::string ModeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
  return text;
}

ordered_json EntryToJson(const Entry& entry) {
  ordered_json value = {{"path", ByteStringToJson(entry.path)},
                        {"type", std::string(EntryTypeName(entry.type))}};
  if (entry.mode) value["mode"] = ModeText(*entry.mode);
  if (entry.type == EntryType::kSymlink) value["target"] = ByteStringToJson(entry.target);
  return value;
}

ordered_json CommandToJson(const ScriptedCommand& command) {
  ordered_json argv = ordered_json::array();
  for (const std::string& word : command.argv) argv.push_back(ByteStringToJson(word));
  return {{"argv", std::move(argv)},
          {"exit_code", command.answer.exit_code},
          {"stdout", ByteStringToJson(command.answer.stdout_data)},
          {"stderr", ByteStringToJson(command.answer.stderr_data)}};
}

ordered_json ExpectationsToJson(const Expectations& expect) {
  ordered_json value = ordered_json::object();
  if (expect.discovery) {
    ordered_json& discovery = value["discovery"] = ordered_json::object();
    for (const auto& [name, path] : *expect.discovery) discovery[name] = ByteStringToJson(path);
  }
  if (expect.create_error) {
    value["create_error"] = {{"code", std::string(ErrorCodeName(expect.create_error->code))},
                             {"message_starts_with", expect.create_error->message_starts_with}};
  }
  if (expect.systemd_run) {
    value["systemd_run"] = {{"path", ByteStringToJson(expect.systemd_run->path)},
                            {"found", expect.systemd_run->found}};
  }
  return value;
}

ordered_json HostToJson(const HostInfo& host) {
  ordered_json value = {{"name", host.name}, {"recorded_with", host.recorded_with}};
  if (!host.kernel.empty()) value["kernel"] = host.kernel;
  if (!host.date.empty()) value["date"] = host.date;
  if (!host.os_release.empty()) value["os_release"] = host.os_release;
  return value;
}

std::string Dump(const ordered_json& value, int indent = -1) {
  return value.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

namespace {

Error FileRefusal(std::string_view file, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "cannot read fixture " + Quote(file) + ": " + why);
}

// The size rule of a fixture file, for LoadFixture and ParseFixtureFile.
Status CheckFixtureFileSize(uintmax_t bytes, std::string_view file) {
  if (bytes <= kMaxFixtureFileBytes) return {};
  return FileRefusal(file, "it is larger than " + std::to_string(kMaxFixtureFileBytes >> 20) +
                               " MiB, the limit of a fixture file");
}

// A fixture that did not fit in the memory left: loading one takes up to
// about four times its file's size (fixture.h).
Error OutOfMemory(std::string_view file, size_t bytes) {
  return Error(ErrorCode::kBadFixture, "cannot load fixture " + Quote(file) + " of " +
                                           std::to_string(bytes) +
                                           " bytes: out of memory (loading takes up to about 4 "
                                           "times the file's size)");
}

}  // namespace

Result<Fixture> LoadFixture(const std::string& file) {
  const auto failure = [&file](int error) {
    return Error(ErrorCodeFromErrno(error),
                 "cannot read fixture " + Quote(file) + ": " + std::strerror(error));
  };
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused.
  UniqueFd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return failure(errno);
  struct stat info;
  if (fstat(fd.get(), &info) != 0) return failure(errno);
  if (!S_ISREG(info.st_mode)) return FileRefusal(file, "not a regular file");
  if (Status size = CheckFixtureFileSize(static_cast<uintmax_t>(info.st_size), file); !size.ok()) {
    return size.error();
  }
  std::string text;
  try {
    text.reserve(static_cast<size_t>(info.st_size));
    char buffer[1 << 16];
    for (;;) {
      const ssize_t n = read(fd.get(), buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return failure(errno);
      if (Status size = CheckFixtureFileSize(text.size() + static_cast<size_t>(n), file);
          !size.ok()) {
        return size.error();
      }
      text.append(buffer, static_cast<size_t>(n));
    }
  } catch (const std::bad_alloc&) {
    return OutOfMemory(file, static_cast<size_t>(info.st_size));
  }
  return ParseFixtureFile(text, file);
}

Result<Fixture> ParseFixtureFile(std::string_view text, std::string_view file) {
  if (Status size = CheckFixtureFileSize(text.size(), file); !size.ok()) return size.error();
  return ParseFixture(text, file);
}

Result<Fixture> ParseFixture(std::string_view json_text, std::string_view source_name) try {
  Result<json> document = ParseJson(
      json_text, source_name, {.max_depth = kMaxFixtureDepth, .max_values = kMaxFixtureValues});
  if (!document.ok()) return document.error();
  Fixture fixture;
  try {
    fixture = ReadFixture(JsonValue(*document), source_name);
  } catch (const SchemaError& error) {
    return BadFixture(source_name, error);
  } catch (const nlohmann::json::exception& error) {
    // Not expected: the reader checks every type before it reads a value.
    return Error(ErrorCode::kBadFixture, std::string(source_name) + ": " + error.what());
  }
  if (Status valid = ValidateFixture(fixture); !valid.ok()) return valid.error();
  return fixture;
} catch (const std::bad_alloc&) {
  return OutOfMemory(source_name, json_text.size());
}

std::optional<int> MountNamespacePid(std::string_view mount_namespace) {
  constexpr std::string_view kPrefix = "/proc/";
  constexpr std::string_view kSuffix = "/ns/mnt";
  if (!mount_namespace.starts_with(kPrefix) || !mount_namespace.ends_with(kSuffix)) {
    return std::nullopt;
  }
  const std::string_view digits = mount_namespace.substr(
      kPrefix.size(), mount_namespace.size() - kPrefix.size() - kSuffix.size());
  int pid = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (digits.empty() || digits[0] == '0' || error != std::errc() ||
      end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return pid;
}

Status ValidateFixture(const Fixture& fixture) {
  try {
    CheckFixture(fixture);
  } catch (const SchemaError& error) {
    return BadFixture(fixture.source, error);
  }
  return {};
}

std::string FormatFixture(const Fixture& fixture) {
  ordered_json entries = ordered_json::array();
  for (const Entry& entry : fixture.entries) entries.push_back(EntryToJson(entry));
  ordered_json commands = ordered_json::array();
  for (const ScriptedCommand& command : fixture.commands)
    commands.push_back(CommandToJson(command));
  ordered_json document = {{"format", std::string(kFixtureFormat)},
                           {"host", HostToJson(fixture.host)},
                           {"root", ByteStringToJson(fixture.root)},
                           {"mount_namespace", ByteStringToJson(fixture.mount_namespace)},
                           {"entries", std::move(entries)},
                           {"commands", std::move(commands)}};
  if (fixture.mountinfo) {
    ordered_json lines = ordered_json::array();
    for (const std::string& line : *fixture.mountinfo) lines.push_back(ByteStringToJson(line));
    document["mountinfo"] = std::move(lines);
  }
  if (fixture.expect) document["expect"] = ExpectationsToJson(*fixture.expect);

  // One member per line; the entries and commands one per line each, so that
  // a recorded fixture reads and diffs well.
  std::string text = "{\n";
  bool first = true;
  for (const auto& [key, value] : document.items()) {
    text += first ? "  " : ",\n  ";
    first = false;
    text += Dump(ordered_json(key)) + ": ";
    if (value.is_array() && !value.empty()) {
      text += "[\n";
      for (size_t i = 0; i < value.size(); ++i) {
        text += "    " + Dump(value[i]) + (i + 1 < value.size() ? ",\n" : "\n");
      }
      text += "  ]";
    } else {
      std::string nested = Dump(value, 2);
      for (size_t newline = nested.find('\n'); newline != std::string::npos;
           newline = nested.find('\n', newline + 3)) {
        nested.insert(newline + 1, "  ");
      }
      text += nested;
    }
  }
  text += "\n}\n";
  return text;
}

}  // namespace nsenter::fakehost
