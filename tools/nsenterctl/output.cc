#include "tools/nsenterctl/output.h"

#include <iostream>

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

}  // namespace nsenterctl
