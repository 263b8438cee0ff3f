#include "fakehost/temp_dir.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nsenter::fakehost {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

TempDir::TempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/nsenter-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::MakeDir(const std::string& relative) const {
  const std::string full = path_ + "/" + relative;
  std::filesystem::create_directories(full);
  return full;
}

std::string TempDir::WriteFile(const std::string& relative, const std::string& contents,
                               unsigned mode) const {
  const std::string full = path_ + "/" + relative;
  std::filesystem::create_directories(std::filesystem::path(full).parent_path());
  std::ofstream(full, std::ios::binary) << contents;
  if (chmod(full.c_str(), mode) != 0) Fail("chmod " + full);
  return full;
}

std::string TempDir::Symlink(const std::string& relative, const std::string& target) const {
  const std::string full = path_ + "/" + relative;
  std::filesystem::create_directories(std::filesystem::path(full).parent_path());
  if (symlink(target.c_str(), full.c_str()) != 0) Fail("symlink " + full);
  return full;
}

}  // namespace nsenter::fakehost
