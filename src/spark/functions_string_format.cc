// Formatting functions: format_number, format_string / printf, to_char / to_varchar,
// to_number / try_to_number.
#include "common/strings.h"
#include "spark/functions.h"
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
  return call.Result("spark_to_char(CAST(" + call.args[0].sql + " AS VARCHAR), " +
                         call.args[1].sql + ")",
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

}  // namespace

void AddStringFormatFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "to_char", k, 2, 2, ToCharFn, kGroup);
  Alias(map, "to_varchar", "to_char");
  Define(
      map, "to_number", k, 2, 2, [](Call& c) { return ToNumberFn(c, false); }, kGroup);
  Define(
      map, "try_to_number", k, 2, 2, [](Call& c) { return ToNumberFn(c, true); }, kGroup);
}

}  // namespace sluice::spark::internal
