#include "nsenter/redact.h"

#include <algorithm>
#include <utility>

#include "nsenter/quote.h"

namespace nsenter {
namespace {

// The byte strings to mask: each secret and its quoted form, longest first.
std::vector<std::string> Forms(const std::vector<std::string>& secrets) {
  std::vector<std::string> forms;
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    forms.push_back(secret);
    const std::string quoted = Quote(secret);
    forms.push_back(quoted.substr(1, quoted.size() - 2));
  }
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return forms;
}

std::string ReplaceAll(std::string text, const std::string& form) {
  for (size_t at = text.find(form); at != std::string::npos;
       at = text.find(form, at + kMasked.size())) {
    text.replace(at, form.size(), kMasked);
  }
  return text;
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
  for (const std::string& form : Forms(secrets)) text = ReplaceAll(std::move(text), form);
  return text;
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
