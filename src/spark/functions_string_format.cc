// Formatting functions: format_number, format_string / printf, to_char / to_varchar,
// to_number / try_to_number.
#include "common/strings.h"
#include "spark/functions.h"
#include "spark/java_format.h"
#include "spark/number_format.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "string_funcs";

DataType StringType() { return DataType::Of(TypeId::kString); }

// The format argument of to_char / to_number: a string literal Spark checks when the query
// is analyzed.
Result<NumberFormat> FormatArgument(Call& call, size_t i) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, LiteralString(call, i, "the format"));
  auto format = NumberFormat::Parse(text);
  if (!format.ok()) return call.ArgError(i, format.status().message());
  return format;
}

// to_char(number, format): the number as a decimal, written by the format.
Result<Typed> ToCharFn(Call& call) {
  if (!call.args[0].type.IsNumeric() && !call.args[0].type.is(TypeId::kNull)) {
    return call.ArgError(0, call.name + " of a " + call.args[0].type.Sql() +
                                " is not supported (numbers only, as in Spark 3.5)");
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyOf(Accepts::kDecimal)));
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, String()));
  SLUICE_RETURN_IF_ERROR(FormatArgument(call, 1).status());
  return call.Result(
      "spark_to_char(CAST(" + call.args[0].sql + " AS VARCHAR), " + call.args[1].sql + ")",
      StringType());
}

// to_number(str, format): DECIMAL(precision, scale) of the format; a string that does not
// match is an error (to_number) or NULL (try_to_number).
Result<Typed> ToNumberFn(Call& call, bool try_mode) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  SLUICE_ASSIGN_OR_RETURN(NumberFormat format, FormatArgument(call, 1));
  if (format.precision() > 38) return call.ArgError(1, "the format has more than 38 digits");
  const DataType type = DataType::Decimal(format.precision(), format.scale());
  return call.Result("CAST(spark_to_number(" + call.args[0].sql + ", " + call.args[1].sql + ", " +
                         (try_mode ? "false" : "true") + ") AS " + ToDuckDbType(type) + ")",
                     type);
}

constexpr const char* kDefaultNumberPattern = "#,###,###,###,###,###,##0";

// format_number(x, d): DecimalFormat (Locale.US, HALF_EVEN) with d decimals and grouping,
// or with the pattern d (an empty one is the default pattern); NULL for d < 0.
Result<Typed> FormatNumberFn(Call& call) {
  const Typed& x = call.args[0];
  if (!x.type.IsNumeric() && !x.type.is(TypeId::kNull)) {
    return call.ArgError(
        0, "argument 1 of format_number must be a number, but '" + x.name + "' is " + x.type.Sql());
  }
  std::string pattern;
  if (call.args[1].type.is(TypeId::kString)) {
    const std::string& d = call.args[1].sql;
    if (auto text = call.args[1].StringValue(); text && !text->empty()) {
      auto parsed = JavaDecimalFormat::Parse(*text);
      if (!parsed.ok()) {
        if (parsed.status().code() == StatusCode::kNotSupported) {
          return call.translator.UnsupportedAt(call.raw[1]->span, parsed.status().message());
        }
        return call.ArgError(1, parsed.status().message());
      }
    }
    pattern = "CASE WHEN " + d + " = '' THEN '" + kDefaultNumberPattern + "' ELSE " + d + " END";
  } else {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
    const std::string& d = call.args[1].sql;
    pattern = "CASE WHEN " + d + " >= 0 THEN '" + kDefaultNumberPattern + "' || CASE WHEN " + d +
              " > 0 THEN '.' || repeat('0', " + d + ") ELSE '' END END";
  }
  const std::string sql =
      x.type.IsFractional()
          ? "spark_format_number_double(CAST(" + x.sql + " AS DOUBLE), " + pattern + ")"
          : "spark_format_number_exact(CAST(" + x.sql + " AS VARCHAR), " + pattern + ")";
  return call.Result(sql, StringType());
}

// An argument of format_string as the native function reads it: a type tag, the byte
// length of the text, ':' and the text (java_format.h), as Spark hands Java the value:
// dates as their day numbers, timestamps as microseconds.
Result<std::string> EncodeArgument(Call& call, size_t i) {
  const Typed& arg = call.args[i];
  std::string tag, text;
  switch (arg.type.id) {
    case TypeId::kNull:
      return std::string("'N0:'");
    case TypeId::kString:
      tag = "s";
      text = arg.sql;
      break;
    case TypeId::kByte:
      tag = "b";
      break;
    case TypeId::kShort:
      tag = "h";
      break;
    case TypeId::kInt:
      tag = "i";
      break;
    case TypeId::kLong:
      tag = "l";
      break;
    case TypeId::kFloat:
      tag = "f";
      text = "CAST(CAST(" + arg.sql + " AS DOUBLE) AS VARCHAR)";
      break;
    case TypeId::kDouble:
      tag = "d";
      break;
    case TypeId::kBoolean:
      tag = "z";
      break;
    case TypeId::kDecimal:
      tag = "m";
      break;
    case TypeId::kDate:
      tag = "i";
      text = "CAST(CAST(" + arg.sql + " - DATE '1970-01-01' AS INTEGER) AS VARCHAR)";
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      tag = "l";
      text = "CAST(epoch_us(" + arg.sql + ") AS VARCHAR)";
      break;
    default:
      return call.translator.UnsupportedAt(
          call.raw[i]->span, call.name + " of a " + arg.type.Sql() +
                                 " argument is not supported (Spark passes Java its internal "
                                 "object, whose text sluice does not reproduce)");
  }
  if (text.empty()) text = "CAST(" + arg.sql + " AS VARCHAR)";
  return "CASE WHEN " + arg.sql + " IS NULL THEN 'N0:' ELSE '" + tag + "' || strlen(" + text +
         ") || ':' || " + text + " END";
}

// format_string(format, args...) / printf: java.util.Formatter with Locale.US.
Result<Typed> FormatStringFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  if (auto text = call.args[0].StringValue(); text && text->find("%0$") != std::string::npos) {
    return call.ArgError(0,
                         "[INVALID_PARAMETER_VALUE.ZERO_INDEX] The value of parameter(s) "
                         "`strfmt` in `" +
                             call.name +
                             "` is invalid: expects %1$, %2$ and so "
                             "on, but got %0$.");
  }
  std::vector<std::string> parts;
  for (size_t i = 1; i < call.args.size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(std::string part, EncodeArgument(call, i));
    parts.push_back(part);
  }
  const std::string encoded = parts.empty() ? "''" : Join(parts, " || ");
  return call.Result("spark_format_string(" + call.args[0].sql + ", " + encoded + ")",
                     StringType());
}

}  // namespace

void AddStringFormatFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "format_number", k, 2, 2, FormatNumberFn, kGroup);
  Define(map, "format_string", k, 1, -1, FormatStringFn, kGroup);
  Alias(map, "printf", "format_string");
  Define(map, "to_char", k, 2, 2, ToCharFn, kGroup);
  Alias(map, "to_varchar", "to_char");
  Define(
      map, "to_number", k, 2, 2, [](Call& c) { return ToNumberFn(c, false); }, kGroup);
  Define(
      map, "try_to_number", k, 2, 2, [](Call& c) { return ToNumberFn(c, true); }, kGroup);
}

}  // namespace sluice::spark::internal
