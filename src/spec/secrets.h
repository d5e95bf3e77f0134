// Secrets of pipelines (docs/secrets.md): dbutils.secrets.get(scope, key) in Python and
// secret(scope, key) in SQL read them from a local provider, in this order:
//  1. the environment variable SLUICE_SECRET_<SCOPE>_<KEY> (upper case, every character
//     other than a letter or digit as `_`);
//  2. the secrets file: $SLUICE_SECRETS_FILE, else ~/.config/sluice/secrets.json, a JSON
//     object {"scope": {"key": "value"}} that only its owner may read (a file other users
//     can read, or that belongs to another user, is refused).
// Every value found is noted for redaction (common/strings.h, RedactSecrets).
#pragma once

#include <string>

#include "common/status.h"

namespace sluice::spec {

std::string SecretEnvironmentName(const std::string& scope, const std::string& key);

// The secrets file's path (it may not exist).
std::string SecretsFilePath();

// The secret's value; NotFound names where it was looked for, never a value.
Result<std::string> LookUpSecret(const std::string& scope, const std::string& key);

}  // namespace sluice::spec
