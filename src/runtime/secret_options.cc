#include "runtime/secret_options.h"

#include "spec/secrets.h"
#include "sql/ast.h"

namespace sluice::runtime {

Result<std::map<std::string, std::string>> ResolveSecretOptions(
    const std::map<std::string, std::string>& options) {
  std::map<std::string, std::string> out = options;
  for (auto& [name, value] : out) {
    std::string scope, key;
    if (!sql::ParseSecretOptionMarker(value, &scope, &key)) continue;
    auto secret = spec::LookUpSecret(scope, key);
    if (!secret.ok()) return secret.status().WithContext("option '" + name + "'");
    value = std::move(*secret);
  }
  return out;
}

}  // namespace sluice::runtime
