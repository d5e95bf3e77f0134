#include "spark/hive_format.h"

#include "common/strings.h"

namespace sluice::spark {
namespace {

std::string Text(const std::string& x, const DataType& type, bool nested, int& counter) {
  auto null_as = [&](const std::string& text) {
    return "coalesce(" + text + ", '" + std::string(nested ? "null" : "NULL") + "')";
  };
  switch (type.id) {
    case TypeId::kString:
      return null_as(nested ? "'\"' || " + x + " || '\"'" : x);
    case TypeId::kFloat:
      return null_as("spark_float_to_string(" + x + ")");
    case TypeId::kDouble:
      return null_as("spark_double_to_string(" + x + ")");
    case TypeId::kDecimal:
      return null_as("spark_decimal_to_string(" + x + ")");
    case TypeId::kDate:
      return null_as("strftime(" + x + ", '%Y-%m-%d')");
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return null_as("spark_timestamp_to_string(" + x + ")");
    case TypeId::kBinary:
      return null_as("decode(" + x + ")");
    case TypeId::kYearMonthInterval:
      return null_as("(CASE WHEN spark_interval_months(" + x +
                     ") < 0 THEN '-' ELSE '' END) || "
                     "CAST(abs(spark_interval_months(" +
                     x +
                     ")) // 12 AS VARCHAR) || '-' || "
                     "CAST(abs(spark_interval_months(" +
                     x + ")) % 12 AS VARCHAR)");
    case TypeId::kDayTimeInterval: {
      const std::string us = "spark_interval_micros(" + x + ")";
      return null_as("(CASE WHEN " + us + " < 0 THEN '-' ELSE '' END) || CAST(abs(" + us +
                     ") // 86400000000 AS VARCHAR) || ' ' || spark_pad2((abs(" + us +
                     ") // 3600000000) % 24) || ':' || spark_pad2((abs(" + us +
                     ") // 60000000) % 60) || ':' || spark_pad2((abs(" + us +
                     ") // 1000000) % 60) || '.' || lpad(CAST(abs(" + us +
                     ") % 1000000 AS VARCHAR), 6, '0') || '000'");
    }
    case TypeId::kCalendarInterval:
      return null_as("spark_calendar_interval_to_string(" + x + ")");
    case TypeId::kArray: {
      const std::string v = "__h" + std::to_string(++counter);
      // DuckDB's array_to_string gives NULL for an empty list.
      return null_as("CASE WHEN " + x + " IS NOT NULL THEN '[' || coalesce(array_to_string(" +
                     "list_transform(" + x + ", lambda " + v + ": " +
                     Text(v, *type.element, true, counter) + "), ','), '') || ']' END");
    }
    case TypeId::kMap: {
      const std::string e = "__h" + std::to_string(++counter);
      return null_as("CASE WHEN " + x + " IS NOT NULL THEN '{' || coalesce(array_to_string(" +
                     "list_transform(map_entries(" + x + "), lambda " + e + ": " +
                     Text("struct_extract(" + e + ", 'key')", *type.key, true, counter) +
                     " || ':' || " +
                     Text("struct_extract(" + e + ", 'value')", *type.value, true, counter) +
                     "), ','), '') || '}' END");
    }
    case TypeId::kStruct: {
      std::vector<std::string> parts;
      for (const StructField& field : type.fields) {
        std::string key = "\"" + field.name + "\":";
        parts.push_back(QuoteLiteral(key) + " || " +
                        Text("struct_extract(" + x + ", " + QuoteLiteral(field.name) + ")",
                             *field.type, true, counter));
      }
      if (parts.empty()) return null_as("CASE WHEN " + x + " IS NOT NULL THEN '{}' END");
      return null_as("CASE WHEN " + x + " IS NOT NULL THEN '{' || " + Join(parts, " || ',' || ") +
                     " || '}' END");
    }
    default:
      return null_as("CAST(" + x + " AS VARCHAR)");
  }
}

}  // namespace

std::string HiveStringSql(const std::string& sql, const DataType& type) {
  int counter = 0;
  return Text(sql, type, false, counter);
}

}  // namespace sluice::spark
