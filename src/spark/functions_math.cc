// Math and bitwise functions. Floating-point functions behave as java.lang.Math does
// (NaN and infinities, never an error; logarithms NULL at and below their asymptote);
// rounding follows java.math.BigDecimal; integer arithmetic wraps around in Spark's
// default mode (arithmetic.h).
#include "common/strings.h"
#include "spark/arithmetic.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "math_funcs";
constexpr const char* kBitwise = "bitwise_funcs";

const DataType kDoubleType = DataType::Of(TypeId::kDouble);
const DataType kLongType = DataType::Of(TypeId::kLong);

// A function of doubles computed by a native of the same arguments, giving a DOUBLE.
ScalarFn DoubleNative(std::string native) {
  return [native = std::move(native)](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Double()}));
    std::vector<std::string> args;
    for (const Typed& arg : call.args) args.push_back(arg.sql);
    return call.Result(native + "(" + Join(args, ", ") + ")", kDoubleType);
  };
}

// Numbers and intervals (Spark's NumericAndInterval); strings and NULL become DOUBLE.
Status ExpectNumberOrInterval(Call& call, size_t i) {
  if (call.args[i].type.IsInterval() && !call.args[i].type.is(TypeId::kCalendarInterval)) {
    return Status::OK();
  }
  return Expect(call, i, AnyNumeric());
}

Result<Typed> AbsFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectNumberOrInterval(call, 0));
  return call.Result(AbsSql(call.args[0], ModeOf(call.translator)), call.args[0].type);
}

Result<Typed> SignFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectNumberOrInterval(call, 0));
  const Typed& x = call.args[0];
  std::string value = "CAST(" + x.sql + " AS DOUBLE)";
  if (x.type.is(TypeId::kYearMonthInterval)) {
    value = "CAST(spark_interval_months(" + x.sql + ") AS DOUBLE)";
  } else if (x.type.is(TypeId::kDayTimeInterval)) {
    value = "CAST(spark_interval_micros(" + x.sql + ") AS DOUBLE)";
  }
  return call.Result("spark_signum(" + value + ")", kDoubleType);
}

Result<Typed> PositiveFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectNumberOrInterval(call, 0));
  Typed out = call.Result(call.args[0].sql, call.args[0].type);
  out.name = "(+ " + call.args[0].name + ")";
  return out;
}

Result<Typed> NegativeFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectNumberOrInterval(call, 0));
  Typed out = call.Result(NegateSql(call.args[0], ModeOf(call.translator)), call.args[0].type);
  out.name = "(- " + call.args[0].name + ")";
  return out;
}

// ---- Rounding ----------------------------------------------------------------------------

enum RoundMode { kHalfUp = 0, kHalfEven = 1, kCeiling = 2, kFloor = 3 };

// The type of round-like functions on DECIMAL(p, s) to `scale` digits (RoundBase): one
// more integral digit for a carry; a negative scale gives a scale of 0.
DataType RoundedDecimalType(const DataType& type, int64_t scale) {
  const int64_t integral = type.precision - type.scale + 1;
  if (scale < 0) {
    const int64_t precision = std::max<int64_t>(integral, 1 - scale);
    return DataType::Decimal(static_cast<int>(std::min<int64_t>(precision, kMaxDecimalPrecision)),
                             0);
  }
  const int64_t new_scale = std::min<int64_t>(type.scale, scale);
  return DataType::Decimal(
      static_cast<int>(std::min<int64_t>(integral + new_scale, kMaxDecimalPrecision)),
      static_cast<int>(new_scale));
}

std::string RoundDecimalSql(Call& call, const Typed& x, int64_t scale, RoundMode mode,
                            const DataType& result) {
  const std::string cast = call.options().ansi ? "CAST(" : "TRY_CAST(";
  if (scale >= x.type.scale) return cast + x.sql + " AS " + ToDuckDbType(result) + ")";
  return cast + "spark_round_decimal(CAST(" + x.sql + " AS VARCHAR), " + std::to_string(scale) +
         ", " + std::to_string(mode) + ") AS " + ToDuckDbType(result) + ")";
}

int IntegralBits(const DataType& type) {
  switch (type.id) {
    case TypeId::kByte:
      return 8;
    case TypeId::kShort:
      return 16;
    case TypeId::kInt:
      return 32;
    default:
      return 64;
  }
}

// round(x, d) and bround(x, d): d a constant INT; the result keeps x's type (a decimal's
// scale becomes at most d).
Result<Typed> RoundFn(Call& call, RoundMode mode) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  if (call.args.size() == 2) SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  std::optional<int64_t> scale = 0;
  if (call.args.size() == 2) {
    if (call.args[1].IsNullLiteral()) {
      scale.reset();
    } else if (!call.args[1].literal) {
      return call.ArgError(1, "the scale of " + call.name + " must be a constant integer");
    } else {
      SLUICE_ASSIGN_OR_RETURN(scale, LiteralInt(call, 1, "the scale"));
    }
  }
  const Typed& x = call.args[0];
  DataType type = x.type;
  if (type.is(TypeId::kDecimal)) type = RoundedDecimalType(type, scale.value_or(0));
  if (!scale) return call.Result("CAST(NULL AS " + ToDuckDbType(type) + ")", type);
  const std::string d = std::to_string(*scale), m = std::to_string(mode);
  std::string sql;
  switch (x.type.id) {
    case TypeId::kDecimal:
      sql = RoundDecimalSql(call, x, *scale, mode, type);
      break;
    case TypeId::kFloat:
      sql = "spark_round_float(" + x.sql + ", " + d + ", " + m + ")";
      break;
    case TypeId::kDouble:
      sql = "spark_round_double(" + x.sql + ", " + d + ", " + m + ")";
      break;
    default:  // integral: only a negative scale changes the value (wrapping as Java)
      sql = *scale >= 0 ? x.sql
                        : As("spark_round_integral(CAST(" + x.sql + " AS BIGINT), " + d + ", " + m +
                                 ", " + std::to_string(IntegralBits(type)) + ")",
                             type);
  }
  return call.Result(sql, type);
}

// ceil(x) / floor(x): BIGINT, or a decimal of scale 0; with a scale, x is a decimal rounded
// toward +/- infinity at that scale.
Result<Typed> CeilFloorFn(Call& call, bool ceil) {
  const char* function = ceil ? "ceil" : "floor";
  if (call.args.size() == 2) {
    const Typed& scale_arg = call.args[1];
    if (!scale_arg.type.is(TypeId::kInt) || !scale_arg.literal) {
      return call.ArgError(1, "the scale of " + call.name + " must be a constant INT");
    }
    SLUICE_ASSIGN_OR_RETURN(int64_t scale, LiteralInt(call, 1, "the scale"));
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyOf(Accepts::kDecimal)));
    const DataType type = RoundedDecimalType(call.args[0].type, scale);
    return call.Result(RoundDecimalSql(call, call.args[0], scale, ceil ? kCeiling : kFloor, type),
                       type);
  }
  const Typed& x = call.args[0];
  if (x.type.is(TypeId::kDecimal)) {
    if (x.type.scale == 0) return call.Result(x.sql, x.type);
    const DataType type = BoundedDecimal(x.type.precision - x.type.scale + 1, 0);
    return call.Result(As(std::string(function) + "(" + x.sql + ")", type), type);
  }
  if (x.type.IsIntegral()) return call.Result(As(x.sql, kLongType), kLongType);
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Double()));
  return call.Result(
      "spark_double_to_long(" + std::string(function) + "(" + call.args[0].sql + "))", kLongType);
}

// ---- Arithmetic as functions -------------------------------------------------------------

ScalarFn ArithmeticFn(std::string op, bool try_mode) {
  return [op = std::move(op), try_mode](Call& call) -> Result<Typed> {
    Typed out = call.Result("", DataType::Null());
    const OverflowMode mode = try_mode ? OverflowMode::kTry : ModeOf(call.translator);
    return BinaryArithmetic(call.translator, op, call.args[0], call.args[1], mode, call.node.span,
                            out);
  };
}

// rand([seed]) / randn([seed]): uniform in [0, 1) / standard normal. A seed must be a
// constant INT or BIGINT (or NULL); Spark's sequence for a seed depends on its partitions
// and is not reproduced.
Result<Typed> RandomFn(Call& call, bool gaussian) {
  if (call.args.size() == 1) {
    const Typed& seed = call.args[0];
    const bool constant = seed.literal && (seed.type.is(TypeId::kInt) ||
                                           seed.type.is(TypeId::kLong) || seed.IsNullLiteral());
    if (!constant) {
      return call.ArgError(0, "the seed of " + call.name + " must be a constant INT or BIGINT");
    }
  }
  // Box-Muller on two uniform values; 1 - random() is in (0, 1].
  const std::string sql =
      gaussian ? "(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))" : "random()";
  return call.Result(sql, kDoubleType, false);
}

// ---- Number formats ----------------------------------------------------------------------

Result<Typed> HexFn(Call& call) {
  const DataType& type = call.args[0].type;
  if (!type.is(TypeId::kBinary) && !type.is(TypeId::kString)) {
    if (!type.IsNumeric() && !type.is(TypeId::kNull)) {
      return call.ArgError(0, "hex needs a number, a string or a binary, but '" +
                                  call.args[0].name + "' is " + type.Sql());
    }
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, Long()));
  }
  return call.Result("hex(" + call.args[0].sql + ")", DataType::Of(TypeId::kString));
}

// width_bucket(value, min, max, n): numbers as DOUBLE; intervals of one kind as their
// months or microseconds.
Result<Typed> WidthBucketFn(Call& call) {
  bool year_month = true, day_time = true;
  for (size_t i = 0; i < 3; ++i) {
    year_month = year_month && call.args[i].type.is(TypeId::kYearMonthInterval);
    day_time = day_time && call.args[i].type.is(TypeId::kDayTimeInterval);
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < 3; ++i) {
    if (year_month) {
      values.push_back("CAST(spark_interval_months(" + call.args[i].sql + ") AS DOUBLE)");
    } else if (day_time) {
      values.push_back("CAST(spark_interval_micros(" + call.args[i].sql + ") AS DOUBLE)");
    } else {
      SLUICE_RETURN_IF_ERROR(Expect(call, i, Double()));
      values.push_back(call.args[i].sql);
    }
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 3, Long()));
  return call.Result("spark_width_bucket(" + Join(values, ", ") + ", " + call.args[3].sql + ")",
                     kLongType);
}

// ---- Bitwise -----------------------------------------------------------------------------

Result<Typed> BitCountFn(Call& call) {
  const DataType integer = DataType::Of(TypeId::kInt);
  if (call.args[0].type.is(TypeId::kBoolean))
    return call.Result(As(call.args[0].sql, integer), integer);
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyIntegral()));
  // Java's Long.bitCount of the value widened to a long (negative values count 64 bits).
  return call.Result(As("bit_count(CAST(" + call.args[0].sql + " AS BIGINT))", integer), integer);
}

Result<Typed> BitGetFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyIntegral()));
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  const std::string bits = std::to_string(IntegralBits(call.args[0].type));
  const std::string& pos = call.args[1].sql;
  return call.Result(
      "CASE WHEN " + pos + " < 0 OR " + pos + " >= " + bits +
          " THEN CAST(error('[INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE] The value of "
          "parameter(s) `pos` in `" +
          call.name + "` is invalid: expects an integer value in [0, " + bits + "), but got ' || " +
          pos + " || '.') AS TINYINT) ELSE CAST((CAST(" + call.args[0].sql + " AS BIGINT) >> " +
          pos + ") & 1 AS TINYINT) END",
      DataType::Of(TypeId::kByte));
}

ScalarFn ShiftFn(std::string function) {
  return [function = std::move(function)](Call& call) -> Result<Typed> {
    const bool is_long = call.args[0].type.is(TypeId::kLong);
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, is_long ? Long() : Int()));
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
    return call.Result("spark_" + function + (is_long ? "_long(" : "_int(") + call.args[0].sql +
                           ", " + call.args[1].sql + ")",
                       call.args[0].type);
  };
}

void AddDoubleFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  for (const char* name :
       {"sin",   "cos",     "tan",     "asin", "acos", "atan",  "sinh", "cosh",  "tanh",
        "asinh", "acosh",   "atanh",   "cot",  "csc",  "sec",   "exp",  "expm1", "sqrt",
        "cbrt",  "degrees", "radians", "rint", "ln",   "log10", "log2", "log1p"}) {
    Define(map, name, k, 1, 1, DoubleNative(std::string("spark_") + name), kGroup);
  }
  Define(map, "atan2", k, 2, 2, DoubleNative("spark_atan2"), kGroup);
  Define(map, "pow", k, 2, 2, DoubleNative("spark_pow"), kGroup);
  Alias(map, "power", "pow");
  Define(map, "hypot", k, 2, 2, DoubleNative("spark_hypot"), kGroup);
  Define(
      map, "log", k, 1, 2,
      [](Call& call) -> Result<Typed> {
        return DoubleNative(call.args.size() == 1 ? "spark_ln" : "spark_log")(call);
      },
      kGroup);
  Define(
      map, "e", k, 0, 0,
      [](Call& call) -> Result<Typed> {
        Typed out = call.Result("CAST('2.718281828459045' AS DOUBLE)", kDoubleType, false);
        out.name = "E()";
        return out;
      },
      kGroup);
  Define(
      map, "pi", k, 0, 0,
      [](Call& call) -> Result<Typed> {
        Typed out = call.Result("CAST('3.141592653589793' AS DOUBLE)", kDoubleType, false);
        out.name = "PI()";
        return out;
      },
      kGroup);
}

}  // namespace

void AddMathFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const DataType string = DataType::Of(TypeId::kString);
  AddDoubleFunctions(map);
  Define(map, "abs", k, 1, 1, AbsFn, kGroup);
  Define(map, "sign", k, 1, 1, SignFn, kGroup);
  Alias(map, "signum", "sign");
  Define(map, "positive", k, 1, 1, PositiveFn, kGroup);
  Define(map, "negative", k, 1, 1, NegativeFn, kGroup);
  Define(
      map, "round", k, 1, 2, [](Call& call) { return RoundFn(call, kHalfUp); }, kGroup);
  Define(
      map, "bround", k, 1, 2, [](Call& call) { return RoundFn(call, kHalfEven); }, kGroup);
  Define(
      map, "ceil", k, 1, 2, [](Call& call) { return CeilFloorFn(call, true); }, kGroup);
  Alias(map, "ceiling", "ceil");
  Define(
      map, "floor", k, 1, 2, [](Call& call) { return CeilFloorFn(call, false); }, kGroup);
  Define(map, "mod", k, 2, 2, ArithmeticFn("%", false), kGroup);
  Define(map, "pmod", k, 2, 2, ArithmeticFn("pmod", false), kGroup);
  Define(map, "div", k, 2, 2, ArithmeticFn("DIV", false), kGroup);
  Define(map, "try_add", k, 2, 2, ArithmeticFn("+", true), kGroup);
  Define(map, "try_subtract", k, 2, 2, ArithmeticFn("-", true), kGroup);
  Define(map, "try_multiply", k, 2, 2, ArithmeticFn("*", true), kGroup);
  Define(map, "try_divide", k, 2, 2, ArithmeticFn("/", true), kGroup);
  Define(
      map, "rand", k, 0, 1, [](Call& call) { return RandomFn(call, false); }, kGroup);
  Alias(map, "random", "rand");
  Define(
      map, "randn", k, 0, 1, [](Call& call) { return RandomFn(call, true); }, kGroup);
  Define(map, "factorial", k, 1, 1,
         Template({Int()},
                  "CASE WHEN {0} BETWEEN 0 AND 20 THEN [1, 1, 2, 6, 24, 120, 720, 5040, 40320, "
                  "362880, 3628800, 39916800, 479001600, 6227020800, 87178291200, 1307674368000, "
                  "20922789888000, 355687428096000, 6402373705728000, 121645100408832000, "
                  "2432902008176640000][{0} + 1] END",
                  kLongType),
         kGroup);
  Define(
      map, "conv", k, 3, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int(), Int()}));
        return call.Result("spark_conv(" + call.args[0].sql + ", " + call.args[1].sql + ", " +
                               call.args[2].sql + ", " + (call.options().ansi ? "true" : "false") +
                               ")",
                           DataType::Of(TypeId::kString));
      },
      kGroup);
  Define(map, "hex", k, 1, 1, HexFn, kGroup);
  Define(map, "unhex", k, 1, 1,
         Template({String()}, "spark_unhex({0})", DataType::Of(TypeId::kBinary)), kGroup);
  Define(map, "bin", k, 1, 1, Template({Long()}, "spark_bin({0})", string), kGroup);
  Define(map, "width_bucket", k, 4, 4, WidthBucketFn, kGroup);
  // Bitwise functions.
  Define(map, "bit_count", k, 1, 1, BitCountFn, kBitwise);
  Define(map, "bit_get", k, 2, 2, BitGetFn, kBitwise);
  Alias(map, "getbit", "bit_get");
  Define(map, "shiftleft", k, 2, 2, ShiftFn("shiftleft"), kBitwise);
  Define(map, "shiftright", k, 2, 2, ShiftFn("shiftright"), kBitwise);
  Define(map, "shiftrightunsigned", k, 2, 2, ShiftFn("shiftrightunsigned"), kBitwise);
}

void AddMathMacros(std::vector<MacroDef>& out) {
  // pmod of decimals: the remainder made non-negative for a positive divisor.
  out.push_back(
      {"spark_pmod_decimal(a, n)", "CASE WHEN a % n < 0 THEN ((a % n) + n) % n ELSE a % n END"});
}

}  // namespace sluice::spark::internal
