// Shared pieces of the datetime function group (functions_datetime*.cc).
//
// A Spark TIMESTAMP is a DuckDB TIMESTAMP WITH TIME ZONE, which DuckDB's ICU splits into
// fields (and casts to and from wall-clock TIMESTAMPs) in the connection's TimeZone: the
// session time zone. Functions given a zone of their own (from_utc_timestamp, make_timestamp
// with a zone, convert_timezone) convert with it explicitly.
#pragma once

#include <string>

#include "spark/functions.h"

namespace sluice::spark::internal {

inline constexpr const char* kDatetimeGroup = "datetime_funcs";

void AddDatetimeConvertFunctions(FunctionMap& map);  // patterns, epochs, zones, current time
void AddDatetimeMakeFunctions(FunctionMap& map);     // make_*, timestampadd/diff, windows

// The session time zone as a SQL string literal.
std::string SessionZoneSql(const Call& call);

// The wall-clock TIMESTAMP of `instant` (a TIMESTAMPTZ) in the zone given by argument
// `zone` (a STRING), and the TIMESTAMPTZ of wall-clock `local` (a TIMESTAMP) in that zone
// (the earlier instant when the clock repeats, as java.time does). A literal zone Spark
// rejects is an error.
Result<std::string> LocalInZone(Call& call, size_t zone, const std::string& instant);
Result<std::string> InstantInZone(Call& call, size_t zone, const std::string& local);

// Checks a literal datetime pattern (argument i) as Spark compiles it; a non-literal
// pattern is checked when it is used.
Status CheckPatternArg(Call& call, size_t i, bool parsing);

}  // namespace sluice::spark::internal
