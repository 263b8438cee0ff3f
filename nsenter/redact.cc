#include "nsenter/redact.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

// The byte strings to mask: each non-empty secret and its quoted form.
std::vector<std::string> Forms(const std::vector<std::string>& secrets) {
  std::vector<std::string> forms;
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    forms.push_back(secret);
    const std::string quoted = Quote(secret);
    forms.push_back(quoted.substr(1, quoted.size() - 2));
  }
  return forms;
}

// For each byte of `text`, whether some occurrence of some form covers it.
std::vector<bool> SecretBytes(std::string_view text, const std::vector<std::string>& forms) {
  std::vector<bool> secret(text.size(), false);
  for (const std::string& form : forms) {
    for (size_t at = text.find(form); at != std::string_view::npos; at = text.find(form, at + 1)) {
      std::fill(secret.begin() + static_cast<std::ptrdiff_t>(at),
                secret.begin() + static_cast<std::ptrdiff_t>(at + form.size()), true);
    }
  }
  return secret;
}

class RedactingCmd final : public Cmd {
 public:
  RedactingCmd(std::unique_ptr<Cmd> cmd, std::vector<std::string> secrets)
      : cmd_(std::move(cmd)), secrets_(std::move(secrets)) {}

  void SetDir(std::string dir) override { cmd_->SetDir(std::move(dir)); }
  void SetEnv(std::vector<std::string> env) override { cmd_->SetEnv(std::move(env)); }
  void SetStdin(std::string data) override { cmd_->SetStdin(std::move(data)); }
  void SetStdinFd(int fd) override { cmd_->SetStdinFd(fd); }
  void SetStdout(int fd) override { cmd_->SetStdout(fd); }
  void SetStderr(int fd) override { cmd_->SetStderr(fd); }
  void SetStdoutHandler(OutputHandler handler) override {
    cmd_->SetStdoutHandler(std::move(handler));
  }
  void SetStderrHandler(OutputHandler handler) override {
    cmd_->SetStderrHandler(std::move(handler));
  }
  void SetTimeout(std::chrono::milliseconds timeout) override { cmd_->SetTimeout(timeout); }
  void SetStopGracePeriod(std::chrono::milliseconds grace_period) override {
    cmd_->SetStopGracePeriod(grace_period);
  }
  Status Start() override { return Masked(cmd_->Start()); }
  Status Wait() override { return Masked(cmd_->Wait()); }
  void Stop(int first_signal) override { cmd_->Stop(first_signal); }
  Status Run() override { return Masked(cmd_->Run()); }
  Result<std::string> Output() override { return Masked(cmd_->Output()); }
  Result<std::string> CombinedOutput() override { return Masked(cmd_->CombinedOutput()); }

 private:
  template <typename T>
  T Masked(T result) const {
    if (result.ok()) return result;
    return Redact(result.error(), secrets_);
  }

  std::unique_ptr<Cmd> cmd_;
  std::vector<std::string> secrets_;
};

}  // namespace

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  const std::vector<bool> secret = SecretBytes(text, Forms(secrets));
  std::string masked;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!secret[i]) {
      masked.push_back(text[i]);
    } else if (i == 0 || !secret[i - 1]) {
      masked.append(kMasked);
    }
  }
  return masked;
}

Error Redact(const Error& error, const std::vector<std::string>& secrets) {
  return error.WithCode(error.code(), Redact(error.message(), secrets))
      .WithOutput(Redact(error.stdout_data(), secrets), Redact(error.stderr_data(), secrets));
}

std::vector<std::string> Redact(std::vector<std::string> args,
                                const std::vector<std::string>& secrets) {
  for (std::string& arg : args) arg = Redact(std::move(arg), secrets);
  return args;
}

std::unique_ptr<Cmd> MakeRedactingCmd(std::unique_ptr<Cmd> cmd, std::vector<std::string> secrets) {
  return std::make_unique<RedactingCmd>(std::move(cmd), std::move(secrets));
}

}  // namespace nsenter
