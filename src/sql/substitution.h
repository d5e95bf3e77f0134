// ${key} substitution of pipeline configuration values into SQL source text.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::sql {

// Replaces every `${key}` (anywhere, strings included, as Databricks does) by its value.
// An unknown key is InvalidArgument at its line and column, naming the keys there are.
Result<std::string> SubstituteVariables(std::string_view text, std::string_view file,
                                        const std::map<std::string, std::string>& values);

}  // namespace sluice::sql
