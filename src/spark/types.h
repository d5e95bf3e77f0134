// Spark SQL's data types, how Spark writes them, and the DuckDB types that hold them.
//
// Every value a translated query computes has a Spark type here; the DuckDB type that holds
// it is a function of the Spark type (ToDuckDbType), so that the binder can reason in
// Spark's terms and still know exactly what DuckDB will see.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::spark {

enum class TypeId {
  kNull,  // the type of an untyped NULL (Spark's VOID)
  kBoolean,
  kByte,
  kShort,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,
  kString,
  kBinary,
  kDate,
  kTimestamp,     // TIMESTAMP (with local time zone): an instant; DuckDB TIMESTAMPTZ
  kTimestampNtz,  // TIMESTAMP_NTZ: a wall-clock time; DuckDB TIMESTAMP
  kYearMonthInterval,
  kDayTimeInterval,
  kCalendarInterval,  // the legacy interval of months, days and microseconds
  kArray,
  kMap,
  kStruct,
};

// Interval fields, in Spark's order.
enum class IntervalField { kYear, kMonth, kDay, kHour, kMinute, kSecond };

struct DataType;
using TypePtr = std::shared_ptr<const DataType>;

struct StructField {
  std::string name;
  TypePtr type;
  bool nullable = true;
  std::optional<std::string> comment;
};

// A Spark data type. Values are small and immutable; nested types share their children.
struct DataType {
  TypeId id = TypeId::kNull;
  int precision = 0;                                 // kDecimal
  int scale = 0;                                     // kDecimal
  IntervalField start_field = IntervalField::kYear;  // year-month and day-time intervals
  IntervalField end_field = IntervalField::kYear;
  TypePtr element;                  // kArray
  bool contains_null = true;        // kArray elements, kMap values
  TypePtr key, value;               // kMap
  std::vector<StructField> fields;  // kStruct

  static DataType Null() { return DataType{}; }
  static DataType Of(TypeId id);
  static DataType Decimal(int precision, int scale);
  static DataType Array(DataType element, bool contains_null = true);
  static DataType Map(DataType key, DataType value, bool value_contains_null = true);
  static DataType Struct(std::vector<StructField> fields);
  static DataType YearMonthInterval(IntervalField start, IntervalField end);
  static DataType DayTimeInterval(IntervalField start, IntervalField end);

  bool is(TypeId other) const { return id == other; }
  bool IsNumeric() const;   // byte .. decimal
  bool IsIntegral() const;  // byte, short, int, long
  bool IsFractional() const { return id == TypeId::kFloat || id == TypeId::kDouble; }
  bool IsDatetime() const {
    return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampNtz;
  }
  bool IsTimestamp() const { return id == TypeId::kTimestamp || id == TypeId::kTimestampNtz; }
  bool IsInterval() const {
    return id == TypeId::kYearMonthInterval || id == TypeId::kDayTimeInterval ||
           id == TypeId::kCalendarInterval;
  }
  bool IsAtomic() const {
    return id != TypeId::kArray && id != TypeId::kMap && id != TypeId::kStruct;
  }
  bool IsComplex() const { return !IsAtomic(); }
  const StructField* FindField(std::string_view name) const;  // case-insensitive

  // Spark's names: simpleString ("int", "array<string>", "struct<a:int>",
  // "decimal(10,2)") and the SQL form ("INT", "ARRAY<STRING>", "STRUCT<a: INT>").
  std::string SimpleString() const;
  std::string Sql() const;

  // Equal types, ignoring nullability flags and field comments.
  bool SameType(const DataType& other) const;
  bool operator==(const DataType& other) const;
};

// The DuckDB type holding values of `type`, as DuckDB SQL ("INTEGER", "DECIMAL(10,2)",
// "STRUCT(\"a\" INTEGER)", "TIMESTAMP WITH TIME ZONE", ...).
std::string ToDuckDbType(const DataType& type);

// The Spark type of a DuckDB type name, as DuckDB describes columns (e.g. "BIGINT",
// "DECIMAL(18,3)", "STRUCT(a INTEGER, \"b c\" VARCHAR[])", "MAP(VARCHAR, INTEGER)",
// "TIMESTAMP WITH TIME ZONE"). Types Spark lacks are mapped to the nearest one that holds
// their values exactly (unsigned integers widen, HUGEINT becomes DECIMAL(38,0), UUID and
// JSON become STRING); a type no Spark type holds is NotSupported. `*exact` (when given)
// tells whether DuckDB holds values of the result in exactly this type, so that readers
// know when to cast a column to ToDuckDbType of its Spark type.
Result<DataType> FromDuckDbType(std::string_view duckdb_type, bool* exact = nullptr);

// The default decimal of an integral type (BYTE -> DECIMAL(3,0), INT -> (10,0), LONG -> (20,0)),
// and of FLOAT / DOUBLE (DECIMAL(14,7) / (30,15)), as Spark's DecimalType.forType.
DataType DecimalForType(const DataType& type);

inline constexpr int kMaxDecimalPrecision = 38;

}  // namespace sluice::spark
