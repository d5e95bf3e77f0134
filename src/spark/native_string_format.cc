// Native functions of the string group's formatting functions.
#include "spark/java_format.h"
#include "spark/native_groups.h"
#include "spark/number_format.h"

namespace sluice::spark::internal {
namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

}  // namespace

void AddStringFormatNatives(std::vector<NativeFunction>& out) {
  out.push_back(
      {"spark_format_number_double",
       {"DOUBLE", "VARCHAR"},
       "VARCHAR",
       [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
         SLUICE_ASSIGN_OR_RETURN(JavaDecimalFormat format, JavaDecimalFormat::Parse(Text(a[1])));
         SLUICE_ASSIGN_OR_RETURN(std::string text, format.FormatDouble(std::get<double>(a[0])));
         return NativeValue(std::move(text));
       }});
  out.push_back({"spark_format_number_exact",
                 {"VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(JavaDecimalFormat format,
                                           JavaDecimalFormat::Parse(Text(a[1])));
                   return NativeValue(format.FormatExact(Text(a[0])));
                 }});
  out.push_back({"spark_format_string",
                 {"VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(std::vector<FormatArgument> args,
                                           DecodeFormatArguments(Text(a[1])));
                   SLUICE_ASSIGN_OR_RETURN(std::string text, JavaFormatString(Text(a[0]), args));
                   return NativeValue(std::move(text));
                 }});
  out.push_back({"spark_to_char",
                 {"VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(NumberFormat format, NumberFormat::Parse(Text(a[1])));
                   return NativeValue(format.Format(Text(a[0])));
                 }});
  out.push_back({"spark_to_number",
                 {"VARCHAR", "VARCHAR", "BOOLEAN"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(NumberFormat format, NumberFormat::Parse(Text(a[1])));
                   auto parsed = format.ParseNumber(Text(a[0]));
                   if (parsed) return NativeValue(*parsed);
                   if (std::get<bool>(a[2])) {
                     return InvalidArgument("[INVALID_FORMAT.MISMATCH_INPUT] The input '",
                                            Text(a[0]), "' does not match the format '", Text(a[1]),
                                            "'.");
                   }
                   return NativeValue(std::monostate{});
                 }});
}

}  // namespace sluice::spark::internal
