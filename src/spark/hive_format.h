// Spark's text of result values, as spark-sql and Spark's documented examples print them
// (HiveResult.toHiveString): top-level strings as they are and NULL as "NULL"; inside
// arrays, maps and structs strings in double quotes and null as "null"; arrays [a,b],
// structs {"f":v}, maps {k:v}; doubles as Java prints them; year-month intervals "y-m" and
// day-time intervals "d hh:mm:ss.nnnnnnnnn".
#pragma once

#include <string>

#include "spark/types.h"

namespace sluice::spark {

// DuckDB SQL giving the text of `sql`, a value of Spark type `type`.
std::string HiveStringSql(const std::string& sql, const DataType& type);

}  // namespace sluice::spark
