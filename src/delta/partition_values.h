// Partition values (PROTOCOL.md "Partition Value Serialization"; ../shared/reference/
// delta-protocol.md, section 4): from add.partitionValues to typed SQL literals for the scan,
// from engine values to the strings a writer records, and the Hive-style directory names Spark
// puts data files in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "delta/schema.h"

namespace sluice::delta {

// A DuckDB SQL expression of type ToDuckDbType(type) for a value read from add.partitionValues.
//
// JSON null, and "" for every type (the spec reads an empty partition value as null), give
// CAST(NULL AS T). Accepted text: integers in the type's range; floats in Java or DuckDB form
// ("1.0E20", "NaN", "Infinity", "inf"); "true"/"false"; dates "YYYY-MM-DD"; decimals with at
// most `scale` fraction digits (full-scale "12.000000000000000000" as Spark writes them);
// timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]" (taken as UTC) or ISO-8601 with "Z" or an offset;
// timestamp_ntz "YYYY-MM-DD[ |T]HH:MM:SS[.ffffff]"; binary as the bytes of the string. Other
// text is InvalidArgument naming the column and the value; nested types are InvalidArgument.
Result<std::string> PartitionValueToSql(const std::optional<std::string>& value,
                                        const DataType& type, std::string_view column_name = "");

// The SQL literal for one non-null value in the text form Delta uses for partition values and
// statistics. Unlike PartitionValueToSql, "" is an empty string (or an error for non-strings).
// `what` names the value in errors, e.g. "partition value" or "statistics value".
Result<std::string> DeltaTextToSql(std::string_view text, const DataType& type,
                                   std::string_view column_name, std::string_view what);

// The string to record in add.partitionValues for a value of `type`, given as the engine prints
// it when casting to VARCHAR (DuckDB's text; nullopt for SQL NULL). Null and "" stay null.
// Numbers are written in decimal (floats as Java prints them, decimals at full scale), dates
// "YYYY-MM-DD", timestamps as ISO-8601 UTC with microseconds ("1970-01-01T00:00:00.123456Z",
// whatever zone DuckDB printed them in), timestamp_ntz "YYYY-MM-DD HH:MM:SS[.ffffff]" without
// trailing zeros, binary as its bytes (which must be valid UTF-8). Malformed engine text is
// InvalidArgument naming the column.
Result<std::optional<std::string>> SerializePartitionValue(
    const std::optional<std::string>& engine_text, const DataType& type,
    std::string_view column_name = "");

// Spark's directory name for a null (or empty) partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Hive/Spark path escaping of a partition column name or value (ExternalCatalogUtils
// .escapePathName): control characters 0x01-0x1F, 0x7F and " # % ' * / : = ? \ { [ ] ^ become
// %XX (uppercase hex); everything else, spaces and non-ASCII included, is kept.
std::string EscapePartitionPathName(std::string_view text);
// The reverse: every %XX with two hex digits becomes that byte; other text is kept.
std::string UnescapePartitionPathName(std::string_view text);

// "col=value" with both parts escaped, and kHiveDefaultPartition for a null or empty value.
std::string PartitionPathSegment(std::string_view column, const std::optional<std::string>& value);
// The partition directory for values in partition-column order: "a=1/b=__HIVE_DEFAULT_PARTITION__".
// Empty for an unpartitioned table.
std::string PartitionDirectory(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& values);

}  // namespace sluice::delta
