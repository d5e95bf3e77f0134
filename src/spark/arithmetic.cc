#include "spark/arithmetic.h"

#include <algorithm>

#include "spark/coercion.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

// The operand types and the result type of arithmetic on two numbers (non-decimal: the
// wider type; decimals: Spark's DecimalPrecision rules).
struct Arithmetic {
  DataType operand_left, operand_right, result;
};

std::optional<Arithmetic> NumericArithmetic(const std::string& op, const Typed& a, const Typed& b) {
  DataType left = a.type, right = b.type;
  // A string operand is a DOUBLE; in ANSI mode, a BIGINT next to an integral one.
  auto promoted = [](const DataType& other) {
    if (AnsiCoercion() && other.IsIntegral()) return DataType::Of(TypeId::kLong);
    return DataType::Of(TypeId::kDouble);
  };
  if (left.is(TypeId::kString)) left = promoted(right);
  if (right.is(TypeId::kString)) right = promoted(a.type);
  if (left.is(TypeId::kNull)) left = right.is(TypeId::kNull) ? DataType::Of(TypeId::kInt) : right;
  if (right.is(TypeId::kNull)) right = left;
  if (!left.IsNumeric() || !right.IsNumeric()) return std::nullopt;
  const bool decimal = left.is(TypeId::kDecimal) || right.is(TypeId::kDecimal);
  if (op == "/" && !decimal) {
    const DataType d = DataType::Of(TypeId::kDouble);
    return Arithmetic{d, d, d};
  }
  if (decimal && !left.IsFractional() && !right.IsFractional()) {
    // Integral operands become decimals (an integral literal only as wide as its value).
    if (left.IsIntegral()) {
      left = a.literal && a.literal->type.IsIntegral() ? DecimalOfIntegralLiteral(a.literal->text)
                                                       : DecimalForType(left);
    }
    if (right.IsIntegral()) {
      right = b.literal && b.literal->type.IsIntegral() ? DecimalOfIntegralLiteral(b.literal->text)
                                                        : DecimalForType(right);
    }
    const int p1 = left.precision, s1 = left.scale, p2 = right.precision, s2 = right.scale;
    DataType result;
    if (op == "+" || op == "-") {
      const int scale = std::max(s1, s2);
      result = AdjustedDecimal(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
    } else if (op == "*") {
      result = AdjustedDecimal(p1 + p2 + 1, s1 + s2);
    } else if (op == "/") {
      const int scale = std::max(6, s1 + p2 + 1);
      result = AdjustedDecimal(p1 - s1 + s2 + scale, scale);
    } else {  // % and pmod
      const int scale = std::max(s1, s2);
      result = AdjustedDecimal(std::min(p1 - s1, p2 - s2) + scale, scale);
    }
    return Arithmetic{left, right, result};
  }
  auto wider = WiderType(left, right);
  if (!wider) return std::nullopt;
  return Arithmetic{*wider, *wider, *wider};
}

const char* WideType(const DataType& type) { return type.is(TypeId::kLong) ? "HUGEINT" : "BIGINT"; }

std::string Wide(const std::string& sql, const DataType& type) {
  return std::string("CAST(") + sql + " AS " + WideType(type) + ")";
}

// The low bits of a wide integer as a signed integer of `type` (Java's narrowing), with the
// value written once.
std::string WrapSql(const std::string& wide, const DataType& type) {
  const char* half;
  const char* mask;
  switch (type.id) {
    case TypeId::kByte:
      half = "128";
      mask = "255";
      break;
    case TypeId::kShort:
      half = "32768";
      mask = "65535";
      break;
    case TypeId::kInt:
      half = "2147483648";
      mask = "4294967295";
      break;
    default:
      half = "CAST(9223372036854775808 AS HUGEINT)";
      mask = "CAST(18446744073709551615 AS HUGEINT)";
  }
  return "CAST(((" + wide + " + " + half + ") & " + mask + ") - " + half + " AS " +
         ToDuckDbType(type) + ")";
}

std::string DecimalResult(const std::string& sql, const DataType& type, OverflowMode mode) {
  return std::string(mode == OverflowMode::kAnsi ? "CAST(" : "TRY_CAST(") + sql + " AS " +
         ToDuckDbType(type) + ")";
}

// Decimal + - * / % done by the exact native when DuckDB's own decimal arithmetic could
// overflow its 38 digits before the result is rounded to Spark's type.
std::string NativeDecimal(const std::string& op, const std::string& l, const std::string& r,
                          const DataType& type, OverflowMode mode) {
  return "CAST(spark_decimal_arith(CAST(" + l + " AS VARCHAR), CAST(" + r + " AS VARCHAR), '" + op +
         "', " + std::to_string(type.precision) + ", " + std::to_string(type.scale) + ", " +
         (mode == OverflowMode::kAnsi ? "true" : "false") + ") AS " + ToDuckDbType(type) + ")";
}

std::string Pow10(int n) { return "CAST('1" + std::string(n, '0') + "' AS HUGEINT)"; }

std::string DecimalSql(const std::string& op, const std::string& l, const std::string& r,
                       const Arithmetic& arithmetic, OverflowMode mode) {
  const DataType& lt = arithmetic.operand_left;
  const DataType& rt = arithmetic.operand_right;
  const DataType& type = arithmetic.result;
  const int p1 = lt.precision, s1 = lt.scale, p2 = rt.precision, s2 = rt.scale;
  const std::string divisor = mode == OverflowMode::kAnsi ? "spark_nonzero(" + r + ")" : r;
  if (op == "+" || op == "-") {
    if (std::max(p1 - s1, p2 - s2) + std::max(s1, s2) + 1 > kMaxDecimalPrecision) {
      return NativeDecimal(op, l, r, type, mode);
    }
    return DecimalResult("(" + l + " " + op + " " + r + ")", type, mode);
  }
  if (op == "*") {
    if (p1 + p2 > kMaxDecimalPrecision) return NativeDecimal(op, l, r, type, mode);
    return DecimalResult("(" + l + " * " + r + ")", type, mode);
  }
  if (op == "%" || op == "pmod") {
    if (std::max(p1 - s1, p2 - s2) + std::max(s1, s2) > kMaxDecimalPrecision) {
      if (op == "pmod") return "";
      return NativeDecimal(op, l, r, type, mode);
    }
    const std::string nonzero = "NULLIF(" + divisor + ", 0)";
    if (op == "%") return DecimalResult("(" + l + " % " + nonzero + ")", type, mode);
    return DecimalResult("spark_pmod_decimal(" + l + ", " + nonzero + ")", type, mode);
  }
  // Division: the unscaled quotient at the result's scale, rounded half up, on 128-bit
  // integers when both sides fit them (DuckDB divides decimals as doubles).
  const int shift = s2 + type.scale - s1;
  if (p1 + std::max(shift, 0) > kMaxDecimalPrecision ||
      p2 + std::max(-shift, 0) > kMaxDecimalPrecision) {
    return NativeDecimal(op, l, divisor, type, mode);
  }
  const std::string ua = "spark_unscaled(" + l + ")";
  const std::string ub = "spark_unscaled(" + divisor + ")";
  const std::string num = shift > 0 ? "(" + ua + " * " + Pow10(shift) + ")" : ua;
  const std::string den = shift < 0 ? "(" + ub + " * " + Pow10(-shift) + ")" : ub;
  return DecimalResult("spark_decimal_text(spark_div_half_up(" + num + ", " + den + "), " +
                           Pow10(type.scale) + ", " + std::to_string(type.scale) + ")",
                       type, mode);
}

Result<Typed> NumericBinary(Translator& translator, const std::string& op, const Typed& a,
                            const Typed& b, OverflowMode mode, const Span& at, Typed out) {
  auto arithmetic = NumericArithmetic(op == "pmod" ? "%" : op, a, b);
  if (!arithmetic) {
    return translator.ErrorAt(at, "'" + op + "' needs numbers: '" + a.name + "' is " +
                                      a.type.Sql() + " and '" + b.name + "' is " + b.type.Sql());
  }
  const std::string l = translator.Coerce(a, arithmetic->operand_left).sql;
  const std::string r = translator.Coerce(b, arithmetic->operand_right).sql;
  const DataType& type = arithmetic->result;
  out.type = type;
  const bool ansi = mode == OverflowMode::kAnsi;
  // Division by zero gives NULL (ANSI mode: an error).
  auto nonzero = [&](const std::string& divisor) {
    return ansi ? "spark_nonzero(" + divisor + ")" : "NULLIF(" + divisor + ", 0)";
  };
  if (type.is(TypeId::kDecimal)) {
    out.sql = DecimalSql(op, l, r, *arithmetic, mode);
    if (out.sql.empty()) {
      return translator.UnsupportedAt(at, "pmod of decimals wider than 38 digits");
    }
    return out;
  }
  if (type.IsIntegral()) {
    if (op == "%") {
      // Computed wider, so that MIN_VALUE % -1 is 0 as in Java.
      out.sql = "CAST(" + Wide(l, type) + " % " + nonzero(Wide(r, type)) + " AS " +
                ToDuckDbType(type) + ")";
    } else if (op == "pmod") {
      const bool is_long = type.is(TypeId::kLong);
      const std::string native = is_long ? "spark_pmod_long" : "spark_pmod_int";
      out.sql = As(native + "(" + l + ", " + nonzero(r) + ")", type);
    } else {
      out.sql =
          IntegralResult("(" + Wide(l, type) + " " + op + " " + Wide(r, type) + ")", type, mode);
    }
    return out;
  }
  // Floating point: IEEE arithmetic, as in Java; only the divisor zero is special.
  if (op == "/" || op == "%") {
    out.sql = "(" + l + " " + op + " " + nonzero(r) + ")";
  } else if (op == "pmod") {
    out.sql = std::string(type.is(TypeId::kFloat) ? "spark_pmod_float(" : "spark_pmod_double(") +
              l + ", " + nonzero(r) + ")";
  } else {
    out.sql = "(" + l + " " + op + " " + r + ")";
  }
  return out;
}

// a div b: the quotient truncated toward zero, as a BIGINT.
Result<Typed> IntegralDivide(Translator& translator, const Typed& a, const Typed& b,
                             OverflowMode mode, const Span& at, Typed out) {
  out.name = "(" + a.name + " div " + b.name + ")";
  out.type = DataType::Of(TypeId::kLong);
  const DataType& ta = a.type;
  const DataType& tb = b.type;
  const bool ansi = mode == OverflowMode::kAnsi;
  auto nonzero = [&](const std::string& divisor) {
    return ansi ? "spark_nonzero(" + divisor + ")" : "NULLIF(" + divisor + ", 0)";
  };
  const DataType long_type = DataType::Of(TypeId::kLong);
  if (ta.IsInterval() || tb.IsInterval()) {
    const bool year_month = ta.is(TypeId::kYearMonthInterval) && tb.is(TypeId::kYearMonthInterval);
    const bool day_time = ta.is(TypeId::kDayTimeInterval) && tb.is(TypeId::kDayTimeInterval);
    if (!year_month && !day_time) {
      return translator.ErrorAt(at, "div needs two intervals of the same kind: '" + a.name +
                                        "' is " + ta.Sql() + " and '" + b.name + "' is " +
                                        tb.Sql());
    }
    const char* units = year_month ? "spark_interval_months" : "spark_interval_micros";
    out.sql = IntegralResult(
        std::string("(CAST(") + units + "(" + a.sql + ") AS HUGEINT) // " +
            nonzero(std::string("CAST(") + units + "(" + b.sql + ") AS HUGEINT)") + ")",
        long_type, mode);
    return out;
  }
  auto accepted = [](const DataType& t) {
    return t.IsIntegral() || t.is(TypeId::kDecimal) || t.is(TypeId::kNull);
  };
  if (!accepted(ta) || !accepted(tb)) {
    return translator.ErrorAt(at, "div needs integral or decimal numbers: '" + a.name + "' is " +
                                      ta.Sql() + " and '" + b.name + "' is " + tb.Sql());
  }
  if (ta.is(TypeId::kDecimal) || tb.is(TypeId::kDecimal)) {
    // Both sides at their wider decimal type; the quotient of the unscaled values.
    const DataType left = ta.is(TypeId::kDecimal) ? ta : ta.IsIntegral() ? DecimalForType(ta) : tb;
    const DataType right = tb.is(TypeId::kDecimal) ? tb : tb.IsIntegral() ? DecimalForType(tb) : ta;
    const DataType wider = WiderDecimal(left, right);
    const std::string ua = "spark_unscaled(" + translator.Coerce(a, wider).sql + ")";
    const std::string ub = "spark_unscaled(" + translator.Coerce(b, wider).sql + ")";
    out.sql = IntegralResult("(" + ua + " // " + nonzero(ub) + ")", long_type, mode);
    return out;
  }
  const std::string l = translator.Coerce(a, long_type).sql;
  const std::string r = translator.Coerce(b, long_type).sql;
  out.sql = IntegralResult("(" + Wide(l, long_type) + " // " + nonzero(Wide(r, long_type)) + ")",
                           long_type, mode);
  return out;
}

}  // namespace

OverflowMode ModeOf(const Translator& translator) {
  return translator.options().ansi ? OverflowMode::kAnsi : OverflowMode::kDefault;
}

std::string IntegralResult(const std::string& wide_sql, const DataType& type, OverflowMode mode) {
  switch (mode) {
    case OverflowMode::kDefault:
      return WrapSql(wide_sql, type);
    case OverflowMode::kTry:
      return "TRY_CAST(" + wide_sql + " AS " + ToDuckDbType(type) + ")";
    case OverflowMode::kAnsi:
      break;
  }
  return "CAST(" + wide_sql + " AS " + ToDuckDbType(type) + ")";
}

std::string NegateSql(const Typed& operand, OverflowMode mode) {
  if (operand.type.IsIntegral()) {
    return IntegralResult("(-" + Wide(operand.sql, operand.type) + ")", operand.type, mode);
  }
  return "(-" + operand.sql + ")";
}

std::string AbsSql(const Typed& operand, OverflowMode mode) {
  const DataType& type = operand.type;
  const std::string& x = operand.sql;
  if (type.IsIntegral()) {
    return IntegralResult("abs(" + Wide(x, type) + ")", type, mode);
  }
  if (type.is(TypeId::kYearMonthInterval)) {
    return "CASE WHEN spark_interval_months(" + x + ") < 0 THEN -" + x + " ELSE " + x + " END";
  }
  if (type.is(TypeId::kDayTimeInterval)) {
    return "CASE WHEN spark_interval_micros(" + x + ") < 0 THEN -" + x + " ELSE " + x + " END";
  }
  return "abs(" + x + ")";
}

Result<Typed> BinaryArithmetic(Translator& translator, const std::string& op, const Typed& a,
                               const Typed& b, OverflowMode mode, const Span& at, Typed out) {
  auto mismatch = [&](std::string_view what) -> Status {
    return translator.ErrorAt(at, std::string(what) + ": '" + a.name + "' is " + a.type.Sql() +
                                      " and '" + b.name + "' is " + b.type.Sql());
  };
  // Datetimes and intervals first.
  const DataType& ta = a.type;
  const DataType& tb = b.type;
  const bool a_date = ta.is(TypeId::kDate), b_date = tb.is(TypeId::kDate);
  const bool a_ts = ta.is(TypeId::kTimestamp) || ta.is(TypeId::kTimestampNtz);
  const bool b_ts = tb.is(TypeId::kTimestamp) || tb.is(TypeId::kTimestampNtz);
  if ((op == "+" || op == "-") &&
      (a_date || b_date || a_ts || b_ts || ta.IsInterval() || tb.IsInterval())) {
    if ((a_date && tb.IsIntegral()) || (op == "+" && ta.IsIntegral() && b_date)) {
      const Typed& date = a_date ? a : b;
      const Typed& days = a_date ? b : a;
      out.sql = "CAST(" + date.sql + " " + op + " CAST(" + days.sql + " AS INTEGER) AS DATE)";
      out.type = DataType::Of(TypeId::kDate);
      out.name =
          std::string(op == "+" ? "date_add(" : "date_sub(") + date.name + ", " + days.name + ")";
      return out;
    }
    if (op == "-" && a_date && b_date) {
      out.sql = "to_days(CAST(" + a.sql + " - " + b.sql + " AS BIGINT))";
      out.type = DataType::DayTimeInterval(IntervalField::kDay, IntervalField::kDay);
      return out;
    }
    if (op == "-" && (a_ts || a_date) && (b_ts || b_date)) {
      const DataType ts = ta.is(TypeId::kTimestampNtz) && tb.is(TypeId::kTimestampNtz)
                              ? DataType::Of(TypeId::kTimestampNtz)
                              : DataType::Of(TypeId::kTimestamp);
      out.sql = "spark_timestamp_diff(" + translator.Coerce(a, ts).sql + ", " +
                translator.Coerce(b, ts).sql + ")";
      out.type = DataType::DayTimeInterval(IntervalField::kDay, IntervalField::kSecond);
      return out;
    }
    const Typed* time = a_date || a_ts ? &a : b_date || b_ts ? &b : nullptr;
    const Typed* interval = ta.IsInterval() ? &a : tb.IsInterval() ? &b : nullptr;
    if (time != nullptr && interval != nullptr && !(op == "-" && time == &b)) {
      const DataType& it = interval->type;
      if (time->type.is(TypeId::kDate) &&
          (it.is(TypeId::kYearMonthInterval) ||
           (it.is(TypeId::kDayTimeInterval) && it.end_field == IntervalField::kDay))) {
        out.sql = "CAST(" + time->sql + " " + op + " " + interval->sql + " AS DATE)";
        out.type = DataType::Of(TypeId::kDate);
        return out;
      }
      const DataType ts = time->type.is(TypeId::kTimestampNtz) ? DataType::Of(TypeId::kTimestampNtz)
                                                               : DataType::Of(TypeId::kTimestamp);
      out.sql = "(" + translator.Coerce(*time, ts).sql + " " + op + " " + interval->sql + ")";
      out.type = ts;
      return out;
    }
    if (ta.IsInterval() && tb.IsInterval()) {
      out.sql = "(" + a.sql + " " + op + " " + b.sql + ")";
      auto common = TightestCommonType(ta, tb);
      out.type = common ? *common : DataType::Of(TypeId::kCalendarInterval);
      return out;
    }
    return mismatch("cannot " + std::string(op == "+" ? "add" : "subtract") + " these types");
  }
  if ((op == "*" || op == "/") && (ta.IsInterval() || tb.IsInterval())) {
    const Typed& interval = ta.IsInterval() ? a : b;
    const Typed& number = ta.IsInterval() ? b : a;
    if (!number.type.IsNumeric() || (op == "/" && &interval != &a)) {
      return mismatch("an interval can be multiplied or divided by a number");
    }
    const std::string factor = "CAST(" + number.sql + " AS DOUBLE)";
    out.sql = "spark_interval_scale(" + interval.sql + ", " +
              (op == "*" ? factor : "1.0 / " + factor) + ")";
    // A zero divisor is an error in every mode but try_divide's.
    if (op == "/" && mode == OverflowMode::kTry) {
      out.sql = "CASE WHEN " + factor + " <> 0 THEN " + out.sql + " END";
    }
    out.type = interval.type;
    return out;
  }
  if (op == "DIV") return IntegralDivide(translator, a, b, mode, at, std::move(out));
  return NumericBinary(translator, op, a, b, mode, at, std::move(out));
}

}  // namespace sluice::spark::internal
