#include <gtest/gtest.h>

#include <string>

#include "ingest/inference.h"

namespace sluice::ingest {
namespace {

using delta::DataType;
using delta::DataTypePtr;

DataTypePtr CsvType(std::string_view text, const InferenceOptions& options = {}) {
  RawField field;
  field.name = "_c0";
  field.kind = FieldKind::kString;
  field.text = text;
  return InferCsvType(field, options);
}

std::string Csv(std::string_view text, const InferenceOptions& options = {}) {
  return CsvType(text, options)->ToString();
}

// The type of a column holding these values, as schema inference merges it.
std::string Column(std::initializer_list<std::string_view> values) {
  DataTypePtr merged = DataType::Void();
  for (std::string_view value : values) merged = MergeTypes(merged, CsvType(value));
  return merged->ToString();
}

TEST(InferCsvTypeTest, IntegersAreIntegerThenLongThenDecimal) {
  EXPECT_EQ(Csv("1"), "integer");
  EXPECT_EQ(Csv("-2147483648"), "integer");
  EXPECT_EQ(Csv("+5"), "integer");
  EXPECT_EQ(Csv("007"), "integer");
  EXPECT_EQ(Csv("2147483648"), "long");
  EXPECT_EQ(Csv("-9223372036854775808"), "long");
  EXPECT_EQ(Csv("9223372036854775808"), "decimal(19,0)");
  EXPECT_EQ(Csv(std::string(38, '9')), "decimal(38,0)");
  EXPECT_EQ(Csv(std::string(39, '9')), "double");
  // BigDecimal("1.0e1") is 10 with scale 0.
  EXPECT_EQ(Csv("1.0e1"), "decimal(2,0)");
}

TEST(InferCsvTypeTest, OtherNumbersAreDoubles) {
  EXPECT_EQ(Csv("1.5"), "double");
  EXPECT_EQ(Csv("-0.25"), "double");
  EXPECT_EQ(Csv("1e3"), "double");
  EXPECT_EQ(Csv("NaN"), "double");
  EXPECT_EQ(Csv("Inf"), "double");
  EXPECT_EQ(Csv("-Infinity"), "double");
}

TEST(InferCsvTypeTest, DatesOnlyWithoutATimeOfDay) {
  EXPECT_EQ(Csv("2024-01-31"), "date");
  EXPECT_EQ(Csv("2024-1-5"), "date");
  EXPECT_EQ(Csv("2024-01-31T10:00:00"), "timestamp");
  EXPECT_EQ(Csv("2024-01-31 10:00:00.123456"), "timestamp");
  EXPECT_EQ(Csv("2024-01-31T10:00:00Z"), "timestamp");
  EXPECT_EQ(Csv("2024-01-31T10:00:00+01:00"), "timestamp");
  EXPECT_EQ(Csv("2024-13-01"), "string");
}

TEST(InferCsvTypeTest, PatternsFromOptions) {
  Result<DateTimePattern> date = DateTimePattern::Compile("dd/MM/yyyy");
  Result<DateTimePattern> timestamp = DateTimePattern::Compile("yyyy/MM/dd HH:mm");
  ASSERT_TRUE(date.ok()) << date.status().ToString();
  ASSERT_TRUE(timestamp.ok()) << timestamp.status().ToString();
  InferenceOptions options;
  options.date_format = &*date;
  options.timestamp_format = &*timestamp;
  EXPECT_EQ(Csv("31/01/2024", options), "date");
  EXPECT_EQ(Csv("2024/01/31 10:30", options), "timestamp");
  EXPECT_EQ(Csv("2024-01-31", options), "string");
  EXPECT_EQ(Csv("12", options), "integer");
}

TEST(InferCsvTypeTest, BooleansIgnoringCaseAndEverythingElseIsString) {
  EXPECT_EQ(Csv("true"), "boolean");
  EXPECT_EQ(Csv("FALSE"), "boolean");
  EXPECT_EQ(Csv("yes"), "string");
  EXPECT_EQ(Csv("1,000"), "string");
  EXPECT_EQ(Csv("12abc"), "string");
}

TEST(InferCsvTypeTest, EmptyAndNullValuesHaveNoType) {
  EXPECT_EQ(Csv(""), "void");
  RawField null_field;
  null_field.kind = FieldKind::kNull;
  EXPECT_EQ(InferCsvType(null_field, {})->ToString(), "void");
}

TEST(InferCsvTypeTest, ColumnsMergeAcrossRows) {
  EXPECT_EQ(Column({"1", "", "2"}), "integer");
  EXPECT_EQ(Column({"1", "3000000000"}), "long");
  EXPECT_EQ(Column({"1", "2.5"}), "double");
  EXPECT_EQ(Column({"1", "99999999999999999999"}), "decimal(20,0)");
  EXPECT_EQ(Column({"99999999999999999999", "0.5"}), "double");
  EXPECT_EQ(Column({"1", "x"}), "string");
  EXPECT_EQ(Column({"true", "1"}), "string");
  EXPECT_EQ(Column({"2024-01-31", "2024-02-01"}), "date");
  EXPECT_EQ(Column({"2024-01-31", "2024-01-31T10:00:00"}), "string");
  EXPECT_EQ(Column({"", ""}), "void");
}

}  // namespace
}  // namespace sluice::ingest
