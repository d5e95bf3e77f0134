// Source options written as secret('scope', 'key') (read_kafka's and read_jdbc's, as on
// Databricks): sql/ keeps them as markers so that values never reach the graph, the event
// log or validate's output; they are read when a flow opens its source.
#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace sluice::runtime {

// `options` with every secret marker (sql::SecretOptionMarker) replaced by the secret's
// value (spec/secrets.h); an error names the option.
Result<std::map<std::string, std::string>> ResolveSecretOptions(
    const std::map<std::string, std::string>& options);

}  // namespace sluice::runtime
