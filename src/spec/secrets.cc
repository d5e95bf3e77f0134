#include "spec/secrets.h"

#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace sluice::spec {

std::string SecretEnvironmentName(const std::string& scope, const std::string& key) {
  std::string name = "SLUICE_SECRET_";
  for (char c : scope + "_" + key) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
  }
  return name;
}

std::string SecretsFilePath() {
  if (const char* path = std::getenv("SLUICE_SECRETS_FILE"); path != nullptr && *path != 0) {
    return path;
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + "/.config/sluice/secrets.json";
}

namespace {

// The value in the secrets file, nullopt when the file or the secret is absent.
Result<std::optional<std::string>> FromFile(const std::string& path, const std::string& scope,
                                            const std::string& key) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return std::optional<std::string>();
  if (info.st_uid != geteuid()) {
    return InvalidArgument("the secrets file ", path,
                           " belongs to another user; sluice reads a secrets file only when it "
                           "belongs to the user running the pipeline");
  }
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return InvalidArgument("the secrets file ", path, " can be read by other users (mode ", mode,
                           "); make it readable by its owner only: chmod 600 ", path);
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object scopes;
  if (parser.parse(simdjson::padded_string(text.str())).get(doc) || doc.get_object().get(scopes)) {
    return InvalidArgument("the secrets file ", path,
                           " is not a JSON object {\"scope\": {\"key\": \"value\"}}");
  }
  simdjson::dom::object keys;
  std::string_view value;
  if (scopes[scope].get_object().get(keys)) return std::optional<std::string>();
  if (keys[key].get_string().get(value)) return std::optional<std::string>();
  return std::optional<std::string>(std::string(value));
}

}  // namespace

Result<std::string> LookUpSecret(const std::string& scope, const std::string& key) {
  const std::string variable = SecretEnvironmentName(scope, key);
  if (const char* value = std::getenv(variable.c_str()); value != nullptr) {
    NoteSecretValue(value);
    return std::string(value);
  }
  const std::string path = SecretsFilePath();
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> value, FromFile(path, scope, key));
  if (!value) {
    return NotFound("Secret does not exist with scope: ", scope, " and key: ", key,
                    " (set the environment variable ", variable, " or add it to the secrets file ",
                    path, ")");
  }
  NoteSecretValue(*value);
  return *value;
}

}  // namespace sluice::spec
