// User-facing messages about places in source files (spark/diagnostics.h), under the names
// the pipeline dialect's users know.
#pragma once

#include "common/strings.h"
#include "spark/diagnostics.h"

namespace sluice::sql {

using ::sluice::NearestName;  // common/strings.h
using ::sluice::spark::FormatDiagnostic;
using ::sluice::spark::LocationAt;
using ::sluice::spark::SourceLocation;

}  // namespace sluice::sql
