// Spark's CAST in DuckDB SQL. Spark's default mode (ANSI off) gives NULL where a value
// cannot be cast, wraps integers that do not fit a narrower integer, truncates fractions
// toward zero and saturates doubles at the integer's range; TRY_CAST gives NULL for every
// failure; ANSI mode fails the query instead.
#include "common/strings.h"
#include "spark/coercion.h"
#include "spark/translator_internal.h"

namespace sluice::spark::internal {
namespace {

enum class Mode { kLegacy, kTry, kAnsi };

std::string Cast(const std::string& sql, const DataType& to) {
  return "CAST(" + sql + " AS " + ToDuckDbType(to) + ")";
}
std::string TryCast(const std::string& sql, const DataType& to) {
  return "TRY_CAST(" + sql + " AS " + ToDuckDbType(to) + ")";
}

const char* IntegralSuffix(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return "byte";
    case TypeId::kShort:
      return "short";
    case TypeId::kInt:
      return "int";
    default:
      return "long";
  }
}

}  // namespace

std::string FixedDatetimeSql(const std::string& x, const std::vector<std::string>& forms) {
  std::vector<std::string> reads;
  for (const std::string& form : forms) {
    reads.push_back("spark_fixed_datetime(" + x + ", " + QuoteLiteral(form) + ")");
  }
  return "make_timestamp(coalesce(" + Join(reads, ", ") + "))";
}

Result<std::string> Translator::CastSql(const Typed& value, const DataType& to, bool try_cast,
                                        const Span& at) {
  const DataType& from = value.type;
  const std::string& x = value.sql;
  const Mode mode = try_cast ? Mode::kTry : options_.ansi ? Mode::kAnsi : Mode::kLegacy;
  auto strict = [&](const std::string& sql, const DataType& target) {
    return mode == Mode::kAnsi ? Cast(sql, target) : TryCast(sql, target);
  };
  auto refuse = [&]() -> Status {
    return ErrorAt(at, "cannot cast " + from.Sql() + " to " + to.Sql());
  };
  if (from.SameType(to)) return x;
  if (from.is(TypeId::kNull)) return Cast("NULL", to);

  switch (to.id) {
    case TypeId::kString: {
      if (from.IsComplex() || from.IsInterval() || from.is(TypeId::kFloat) ||
          from.is(TypeId::kDouble) || from.IsDatetime()) {
        return ToStringSql(value);
      }
      if (from.is(TypeId::kBinary)) return "decode(" + x + ")";
      if (from.IsAtomic()) return Cast(x, to);
      return refuse();
    }
    case TypeId::kBoolean: {
      if (from.is(TypeId::kString)) {
        if (mode == Mode::kAnsi) return "spark_str_to_boolean_strict(" + x + ")";
        return "spark_str_to_boolean(" + x + ")";
      }
      if (from.IsNumeric()) return "(" + x + " <> 0)";
      if (from.is(TypeId::kTimestamp) || from.is(TypeId::kTimestampNtz)) {
        return "(epoch_us(" + x + ") <> 0)";
      }
      if (from.is(TypeId::kDate)) return std::string("CAST(NULL AS BOOLEAN)");
      return refuse();
    }
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong: {
      const std::string suffix = IntegralSuffix(to.id);
      if (from.is(TypeId::kString)) {
        if (mode == Mode::kAnsi) return "spark_str_to_" + suffix + "_strict(" + x + ")";
        return "spark_str_to_" + suffix + "(" + x + ")";
      }
      if (from.is(TypeId::kBoolean)) return Cast(x, to);
      if (from.IsIntegral()) {
        if (NumericRank(from.id) <= NumericRank(to.id) || mode == Mode::kAnsi) return Cast(x, to);
        if (mode == Mode::kTry) return TryCast(x, to);
        return "spark_wrap_" + suffix + "(" + x + ")";
      }
      if (from.IsFractional()) {
        if (mode == Mode::kAnsi) return Cast("trunc(" + x + ")", to);
        if (mode == Mode::kTry) return TryCast("trunc(" + x + ")", to);
        // Java's (long) / (int) of a double: truncate, saturate, NaN is 0; narrower types
        // wrap the int.
        if (to.is(TypeId::kLong)) return "spark_double_to_long(" + x + ")";
        if (to.is(TypeId::kInt)) return "spark_double_to_int(" + x + ")";
        return "spark_wrap_" + suffix + "(spark_double_to_int(" + x + "))";
      }
      if (from.is(TypeId::kDecimal)) {
        if (mode != Mode::kLegacy) return strict("trunc(" + x + ")", to);
        return "spark_wrap_" + suffix + "(TRY_CAST(trunc(" + x + ") AS HUGEINT))";
      }
      if (from.is(TypeId::kTimestamp) || from.is(TypeId::kTimestampNtz)) {
        // Seconds since the epoch, rounded down.
        const std::string seconds = "spark_floor_div(epoch_us(" + x + "), 1000000)";
        if (to.is(TypeId::kLong)) return seconds;
        return mode == Mode::kLegacy ? "spark_wrap_" + suffix + "(" + seconds + ")"
                                     : strict(seconds, to);
      }
      if (from.is(TypeId::kDate)) {
        if (mode == Mode::kAnsi) return refuse();
        return Cast("NULL", to);
      }
      if (from.is(TypeId::kDayTimeInterval) || from.is(TypeId::kYearMonthInterval)) {
        return strict("spark_interval_units(" + x + ", '" + from.SimpleString() + "')", to);
      }
      return refuse();
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      if (from.is(TypeId::kString)) {
        const std::string parsed = mode == Mode::kAnsi ? "spark_str_to_double_strict(" + x + ")"
                                                       : "spark_str_to_double(" + x + ")";
        return to.is(TypeId::kDouble) ? parsed : Cast(parsed, to);
      }
      if (from.IsNumeric() || from.is(TypeId::kBoolean)) return Cast(x, to);
      if (from.is(TypeId::kTimestamp) || from.is(TypeId::kTimestampNtz)) {
        return Cast("epoch_us(" + x + ") / 1000000.0", to);
      }
      if (from.is(TypeId::kDate)) {
        if (mode == Mode::kAnsi) return refuse();
        return Cast("NULL", to);
      }
      return refuse();
    }
    case TypeId::kDecimal: {
      if (from.is(TypeId::kString)) {
        return strict("spark_trim_all(" + x + ")", to);
      }
      if (from.IsFractional()) {
        // Spark goes through the double's shortest decimal text (BigDecimal(d.toString)),
        // then rounds half up; NaN and infinities give NULL.
        const std::string text = strict("spark_double_decimal_text(" + x + ")", to);
        if (to.precision > 18) return text;
        // Up to 18 digits the unscaled value is computed in place; the text takes the rest
        // (NaN, infinities, overflows).
        std::string exact = "CAST(spark_double_unscaled(" + x + ", " + std::to_string(to.scale) +
                            ") AS DECIMAL(18,0))";
        if (to.scale > 0) {
          exact += " * CAST('0." + std::string(to.scale - 1, '0') + "1' AS DECIMAL(" +
                   std::to_string(to.scale + 1) + ", " + std::to_string(to.scale) + "))";
        }
        return "coalesce(" + TryCast(exact, to) + ", " + text + ")";
      }
      if (from.IsNumeric() || from.is(TypeId::kBoolean)) return strict(x, to);
      if (from.is(TypeId::kTimestamp) || from.is(TypeId::kTimestampNtz)) {
        return strict("epoch_us(" + x + ") / 1000000", to);
      }
      if (from.is(TypeId::kDate)) return Cast("NULL", to);
      return refuse();
    }
    case TypeId::kBinary: {
      if (from.is(TypeId::kString)) return "encode(" + x + ")";
      if (from.IsIntegral()) {
        // Spark writes the integer's bytes, big-endian, in the width of its type.
        const int bytes = from.is(TypeId::kByte)    ? 1
                          : from.is(TypeId::kShort) ? 2
                          : from.is(TypeId::kInt)   ? 4
                                                    : 8;
        return "unhex(lpad(printf('%X', CAST(" + x + " AS BIGINT) & " +
               (bytes == 8 ? std::string("-1") : std::to_string((1LL << (bytes * 8)) - 1)) + "), " +
               std::to_string(bytes * 2) + ", '0'))";
      }
      return refuse();
    }
    case TypeId::kDate: {
      if (from.is(TypeId::kString)) {
        // yyyy-MM-dd, alone or with a time, is read in place; the full reader takes every
        // other text.
        return "coalesce(CAST(" + FixedDatetimeSql(x, {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S"}) +
               " AS DATE), " +
               (mode == Mode::kAnsi ? "spark_str_to_date_strict(" : "spark_str_to_date(") + x +
               "))";
      }
      if (from.is(TypeId::kTimestamp)) return "spark_instant_to_date(" + x + ")";
      if (from.is(TypeId::kTimestampNtz)) return Cast(x, to);
      return refuse();
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      const bool ltz = to.is(TypeId::kTimestamp);
      if (from.is(TypeId::kString)) {
        std::string parsed = std::string("spark_str_to_") + (ltz ? "timestamp" : "timestamp_ntz") +
                             (mode == Mode::kAnsi ? "_strict(" : "(") + x + ")";
        // yyyy-MM-dd HH:mm:ss (with a space or a T) is read in place, a wall-clock time in
        // the session zone as the full reader has it; that reader takes every other text.
        std::string fixed = FixedDatetimeSql(x, {"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"});
        if (ltz) fixed = "spark_local_to_instant(" + fixed + ")";
        return "coalesce(" + fixed + ", " + parsed + ")";
      }
      // Between instants and wall-clock times in the session zone.
      if (ltz && (from.is(TypeId::kDate) || from.is(TypeId::kTimestampNtz))) {
        return "spark_local_to_instant(CAST(" + x + " AS TIMESTAMP))";
      }
      if (!ltz && from.is(TypeId::kTimestamp)) return "spark_instant_to_local(" + x + ")";
      if (from.is(TypeId::kDate) || from.is(to.id)) return Cast(x, to);
      if (ltz && from.IsIntegral()) {
        // Seconds since the epoch.
        return strict("make_timestamptz(CAST(" + x + " AS BIGINT) * 1000000)", to);
      }
      if (ltz && (from.IsFractional() || from.is(TypeId::kDecimal))) {
        return "CASE WHEN isfinite(CAST(" + x +
               " AS DOUBLE)) THEN make_timestamptz(CAST(trunc(CAST(" + x +
               " AS DOUBLE) * 1000000) AS BIGINT)) END";
      }
      if (ltz && from.is(TypeId::kBoolean)) return "make_timestamptz(CAST(" + x + " AS BIGINT))";
      return refuse();
    }
    case TypeId::kArray: {
      if (!from.is(TypeId::kArray)) return refuse();
      const std::string v = NewLambdaVariable();
      Typed element{v, *from.element};
      SLUICE_ASSIGN_OR_RETURN(std::string inner, CastSql(element, *to.element, try_cast, at));
      return "list_transform(" + x + ", lambda " + v + ": " + inner + ")";
    }
    case TypeId::kMap: {
      if (!from.is(TypeId::kMap)) return refuse();
      const std::string e = NewLambdaVariable();
      Typed key{"struct_extract(" + e + ", 'key')", *from.key};
      Typed value_field{"struct_extract(" + e + ", 'value')", *from.value};
      SLUICE_ASSIGN_OR_RETURN(std::string k, CastSql(key, *to.key, try_cast, at));
      SLUICE_ASSIGN_OR_RETURN(std::string v, CastSql(value_field, *to.value, try_cast, at));
      return "map_from_entries(list_transform(map_entries(" + x + "), lambda " + e +
             ": struct_pack(\"key\" := " + k + ", \"value\" := " + v + ")))";
    }
    case TypeId::kStruct: {
      if (!from.is(TypeId::kStruct) || from.fields.size() != to.fields.size()) return refuse();
      std::vector<std::string> fields;
      for (size_t i = 0; i < to.fields.size(); ++i) {
        Typed field{"struct_extract(" + x + ", " + QuoteLiteral(from.fields[i].name) + ")",
                    *from.fields[i].type};
        SLUICE_ASSIGN_OR_RETURN(std::string cast, CastSql(field, *to.fields[i].type, try_cast, at));
        fields.push_back(QuoteIdentifier(to.fields[i].name) + " := " + cast);
      }
      // A NULL struct stays NULL.
      return "CASE WHEN " + x + " IS NOT NULL THEN struct_pack(" + Join(fields, ", ") + ") END";
    }
    case TypeId::kDayTimeInterval:
    case TypeId::kYearMonthInterval:
    case TypeId::kCalendarInterval: {
      if (from.IsInterval()) return x;
      if (from.is(TypeId::kString)) {
        return strict("spark_trim_all(" + x + ")", DataType::Of(TypeId::kCalendarInterval));
      }
      if (from.IsIntegral() && to.start_field == to.end_field) {
        static const char* kUnits[] = {"to_years", "to_months",  "to_days",
                                       "to_hours", "to_minutes", "to_seconds"};
        return std::string(kUnits[static_cast<int>(to.start_field)]) + "(CAST(" + x +
               " AS BIGINT))";
      }
      return refuse();
    }
    case TypeId::kNull:
      return refuse();
  }
  return refuse();
}

Typed Translator::Coerce(const Typed& value, const DataType& to) {
  if (value.type.SameType(to)) return value;
  Typed out = value;
  out.type = to;
  out.literal.reset();
  auto sql = CastSql(value, to, /*try_cast=*/false, Span{});
  // Implicit casts Spark allows are always writable; a refusal here is a translator bug,
  // so fall back to DuckDB's own cast rather than losing the value.
  out.sql = sql.ok() ? *sql : "CAST(" + value.sql + " AS " + ToDuckDbType(to) + ")";
  return out;
}

std::string Translator::ToStringSql(const Typed& value) {
  const DataType& type = value.type;
  const std::string& x = value.sql;
  switch (type.id) {
    case TypeId::kString:
      return x;
    case TypeId::kNull:
      return "CAST(NULL AS VARCHAR)";
    case TypeId::kFloat:
      return "spark_float_to_string(" + x + ")";
    case TypeId::kDouble:
      return "spark_double_to_string(" + x + ")";
    case TypeId::kDecimal:
      return "spark_decimal_to_string(" + x + ")";
    case TypeId::kDate:
      return "strftime(" + x + ", '%Y-%m-%d')";
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return "spark_timestamp_to_string(" + x + ")";
    case TypeId::kBinary:
      return "decode(" + x + ")";
    case TypeId::kDayTimeInterval:
    case TypeId::kYearMonthInterval:
      return "spark_ansi_interval_to_string(" + x + ", '" + type.SimpleString() + "')";
    case TypeId::kCalendarInterval:
      return "spark_calendar_interval_to_string(" + x + ")";
    case TypeId::kArray: {
      const std::string v = NewLambdaVariable();
      const std::string element = ToStringSql(Typed{v, *type.element});
      // DuckDB's array_to_string gives NULL for an empty list.
      return "CASE WHEN " + x +
             " IS NOT NULL THEN '[' || coalesce(array_to_string(list_transform(" + x + ", lambda " +
             v + ": coalesce(" + element + ", 'null')), ', '), '') || ']' END";
    }
    case TypeId::kMap: {
      const std::string e = NewLambdaVariable();
      const std::string key = ToStringSql(Typed{"struct_extract(" + e + ", 'key')", *type.key});
      const std::string value_text =
          ToStringSql(Typed{"struct_extract(" + e + ", 'value')", *type.value});
      return "CASE WHEN " + x +
             " IS NOT NULL THEN '{' || coalesce(array_to_string(list_transform(" + "map_entries(" +
             x + "), lambda " + e + ": " + key + " || ' -> ' || coalesce(" + value_text +
             ", 'null')), ', '), '') || '}' END";
    }
    case TypeId::kStruct: {
      std::vector<std::string> parts;
      for (const StructField& field : type.fields) {
        parts.push_back(
            "coalesce(" +
            ToStringSql(
                Typed{"struct_extract(" + x + ", " + QuoteLiteral(field.name) + ")", *field.type}) +
            ", 'null')");
      }
      if (parts.empty()) return "CASE WHEN " + x + " IS NOT NULL THEN '{}' END";
      return "CASE WHEN " + x + " IS NOT NULL THEN '{' || " + Join(parts, " || ', ' || ") +
             " || '}' END";
    }
    default:
      return "CAST(" + x + " AS VARCHAR)";
  }
}

}  // namespace sluice::spark::internal
