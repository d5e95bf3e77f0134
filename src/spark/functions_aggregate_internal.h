// Shared by the aggregate function files (functions_aggregate*.cc).
#pragma once

#include <string>

#include "spark/functions.h"

namespace sluice::spark::internal {

// sum(decimal(p, s)): decimal(min(38, p + 10), s); an overflow is NULL (or an error).
DataType DecimalSumType(const DataType& in);
std::string DecimalSumSql(const Call& call, const Typed& x, bool null_on_overflow);

// avg(decimal(p, s)): decimal(p + 4, s + 4) (bounded), the quotient computed exactly as
// Spark's Decimal division (38 significant digits, then the result scale, half up).
DataType DecimalAverageType(const DataType& in);
std::string DecimalAverageSql(const Call& call, const Typed& x, bool null_on_overflow);

// A call of a native aggregate (native.h): call.Aggregate, except that over a window whose
// frame is the whole partition the frame is spelled as a bounded ROWS frame covering it,
// because DuckDB's whole-partition window path hands C API aggregates one state for all
// rows in a form they cannot read.
std::string NativeAggregateSql(const Call& call, std::string_view function,
                               const std::vector<std::string>& args,
                               std::string_view extra_filter = "");

// avg / try_avg of the call's first argument.
Result<Typed> AverageFn(Call& call, bool try_mode);

// The statistical and percentile aggregates (functions_aggregate_stats.cc).
void AddStatisticalAggregates(FunctionMap& map);

// Macros of the aggregate functions (collected through AddMiscMacros).
void AddAggregateMacros(std::vector<MacroDef>& out);

}  // namespace sluice::spark::internal
