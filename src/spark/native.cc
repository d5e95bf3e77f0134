#include "spark/native.h"

#include "spark/native_groups.h"
#include "spark/text_format.h"

namespace sluice::spark {
namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

double Number(const NativeValue& value) {
  if (auto* d = std::get_if<double>(&value)) return *d;
  if (auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  return 0;
}

NativeValue Optional(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

}  // namespace

const std::vector<NativeFunction>& NativeFunctions() {
  static const auto* functions = [] {
    auto* out = new std::vector<NativeFunction>{
        {"spark_double_to_string",
         {"DOUBLE"},
         "VARCHAR",
         [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
           return NativeValue(JavaDoubleString(Number(a[0])));
         }},
        {"spark_double_plain_text",
         {"DOUBLE"},
         "VARCHAR",
         [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
           return NativeValue(JavaDoublePlainString(Number(a[0])));
         }},
        {"spark_float_to_string",
         {"FLOAT"},
         "VARCHAR",
         [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
           return NativeValue(JavaFloatString(static_cast<float>(Number(a[0]))));
         }},
        {"spark_date_text",
         {"VARCHAR"},
         "VARCHAR",
         [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
           return Optional(NormalizeDateText(Text(a[0])));
         }},
        {"spark_timestamp_text",
         {"VARCHAR"},
         "VARCHAR",
         [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
           return Optional(NormalizeTimestampText(Text(a[0])));
         }},
    };
    internal::AddStringNatives(*out);
    internal::AddMathNatives(*out);
    internal::AddDatetimeNatives(*out);
    internal::AddHashNatives(*out);
    internal::AddJsonNatives(*out);
    internal::AddMiscNatives(*out);
    return out;
  }();
  return *functions;
}

const std::vector<NativeAggregate>& NativeAggregates() {
  static const auto* aggregates = [] {
    auto* out = new std::vector<NativeAggregate>;
    internal::AddAggregateNatives(*out);
    return out;
  }();
  return *aggregates;
}

}  // namespace sluice::spark
