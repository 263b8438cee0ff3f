#include "tools/nsenterctl/output.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <streambuf>

namespace nsenterctl {

void PrintJson(const nlohmann::ordered_json& value, int indent) {
  std::cout << value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
            << "\n";
}

void PrintPathAnswer(bool json, const std::string& path, const std::string& key,
                     const std::string& answer) {
  if (json) {
    PrintJson({{"path", path}, {key, answer}});
  } else {
    std::cout << answer << "\n";
  }
}

namespace {

// A stream buffer writing to a descriptor, which keeps the errno of the
// first write that failed (and drops what could not be written).
class FdBuffer final : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { Reset(); }
  int error() const { return error_; }

 protected:
  int overflow(int ch) override {
    if (!Drain()) return traits_type::eof();
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    *pptr() = static_cast<char>(ch);
    pbump(1);
    return ch;
  }
  int sync() override { return Drain() ? 0 : -1; }

 private:
  void Reset() { setp(buffer_, buffer_ + sizeof buffer_); }

  bool Drain() {
    for (const char* next = pbase(); error_ == 0 && next < pptr();) {
      const ssize_t written = write(fd_, next, static_cast<size_t>(pptr() - next));
      if (written >= 0) {
        next += written;
      } else if (errno != EINTR) {
        error_ = errno;
      }
    }
    Reset();
    return error_ == 0;
  }

  const int fd_;
  int error_ = 0;
  char buffer_[8192];
};

FdBuffer& StdoutBuffer() {
  static FdBuffer buffer(STDOUT_FILENO);
  return buffer;
}

// std::cout's own buffer, given back before the exit handlers run: they
// flush std::cout after StdoutBuffer() is gone.
std::streambuf* original_stdout_buffer = nullptr;

}  // namespace

void SetUpStdout() {
  signal(SIGPIPE, SIG_IGN);
  original_stdout_buffer = std::cout.rdbuf(&StdoutBuffer());
}

int FinishStdout(int status) {
  std::cout.flush();
  std::cout.rdbuf(original_stdout_buffer);
  const int error = StdoutBuffer().error();
  if (error == 0) return status;
  if (error != EPIPE) std::cerr << "nsenterctl: write error: " << std::strerror(error) << "\n";
  return 1;
}

}  // namespace nsenterctl
