// CSV type inference after Spark's CSVInferSchema, with the value parsers of values.h so
// that every inferred type is one the values convert to. Spark tries the types in this
// order and the first that fits wins: integer, long, decimal (integral values beyond long),
// double, date, timestamp, boolean, string.
#include <string_view>

#include "ingest/inference.h"
#include "ingest/json_text.h"

namespace sluice::ingest {
namespace {

using delta::DataType;

// Whether the text carries a time of day, which an ISO date parse would drop: Spark 3.4+
// infers a date only from values that are dates and nothing more.
// Surrounding spaces do not count: the value parsers ignore them, as Java's trim does.
bool HasTimePart(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text.find_first_of("Tt :") != std::string_view::npos;
}

}  // namespace

delta::DataTypePtr InferCsvType(const RawField& field, const InferenceOptions& options) {
  // Empty values (and the null value) leave the column's type as it is.
  if (field.kind == FieldKind::kNull || field.text.empty()) return DataType::Void();
  const std::string_view text = field.text;

  int64_t integer = 0;
  if (ParseInteger(text, 32, &integer)) return DataType::Integer();
  if (ParseInteger(text, 64, &integer)) return DataType::Long();
  // Spark's tryParseDecimal keeps only decimals of scale 0 (Java's BigDecimal rejects a
  // negative one): integers too large for a long, up to 38 digits.
  int precision = 0;
  int scale = 0;
  if (DecimalShape(text, &precision, &scale) && scale == 0 && precision <= 38) {
    std::string canonical;
    if (ParseDecimal(text, precision, 0, &canonical)) return DataType::Decimal(precision, 0);
  }
  double real = 0;
  if (ParseDouble(text, &real)) return DataType::Double();

  int32_t days = 0;
  if (ParseDate(text, options.date_format, &days) &&
      (options.date_format != nullptr || !HasTimePart(text))) {
    return DataType::Date();
  }
  int64_t micros = 0;
  if (ParseTimestamp(text, options.timestamp_format, &micros)) return DataType::Timestamp();
  bool flag = false;
  if (ParseBoolean(text, &flag)) return DataType::Boolean();
  return DataType::String();
}

}  // namespace sluice::ingest
