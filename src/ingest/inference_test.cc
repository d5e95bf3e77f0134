// JSON inference and type merging. CSV inference: inference_csv_test.cc.
#include "ingest/inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/json_parser.h"

namespace sluice::ingest {
namespace {

using delta::DataType;
using delta::DataTypePtr;
using ::testing::ElementsAre;

std::string Infer(FieldKind kind, std::string_view text, bool prefers_decimal = false) {
  RawField field;
  field.name = "f";
  field.kind = kind;
  field.text = text;
  InferenceOptions options;
  options.prefers_decimal = prefers_decimal;
  return InferJsonType(field, options)->ToString();
}

std::string Number(std::string_view text) { return Infer(FieldKind::kNumber, text); }
std::string DecimalNumber(std::string_view text) { return Infer(FieldKind::kNumber, text, true); }

// "name:type" for each field of a JSON line, as the parser hands them out.
std::vector<std::string> InferLine(std::string_view line) {
  auto parser = MakeJsonLinesParser(line);
  Record record;
  EXPECT_TRUE(parser->Next(record).value());
  EXPECT_FALSE(record.malformed) << record.error;
  std::vector<std::string> types;
  for (const RawField& field : record.fields) {
    types.push_back(std::string(field.name) + ":" + InferJsonType(field, {})->ToString());
  }
  return types;
}

std::string Merge(const DataTypePtr& a, const DataTypePtr& b) {
  std::string ab = MergeTypes(a, b)->ToString();
  EXPECT_EQ(MergeTypes(b, a)->ToString(), ab) << "not symmetric";
  return ab;
}

DataTypePtr Struct(std::vector<std::pair<std::string, DataTypePtr>> fields) {
  std::vector<delta::StructField> out;
  for (auto& [name, type] : fields) {
    delta::StructField field;
    field.name = name;
    field.type = type;
    out.push_back(std::move(field));
  }
  return DataType::Struct(std::move(out));
}

// ---- InferJsonType ----

TEST(InferJsonTypeTest, IntegralNumbersAreLongsAndBeyondThatDecimals) {
  EXPECT_EQ(Number("0"), "long");
  EXPECT_EQ(Number("-0"), "long");
  EXPECT_EQ(Number("42"), "long");
  EXPECT_EQ(Number("9223372036854775807"), "long");
  EXPECT_EQ(Number("-9223372036854775808"), "long");
  EXPECT_EQ(Number("9223372036854775808"), "decimal(19,0)");
  EXPECT_EQ(Number("-123456789012345678901234567890"), "decimal(30,0)");
  EXPECT_EQ(Number(std::string(38, '9')), "decimal(38,0)");
  EXPECT_EQ(Number(std::string(39, '9')), "double");
}

TEST(InferJsonTypeTest, OtherNumbersAreDoubles) {
  EXPECT_EQ(Number("1.0"), "double");
  EXPECT_EQ(Number("1.50"), "double");
  EXPECT_EQ(Number("1e3"), "double");
  EXPECT_EQ(Number("-2.5E-7"), "double");
}

TEST(InferJsonTypeTest, PrefersDecimalSizesNumbersAsBigDecimalDoes) {
  EXPECT_EQ(DecimalNumber("1.50"), "decimal(3,2)");
  EXPECT_EQ(DecimalNumber("-12.345"), "decimal(5,3)");
  EXPECT_EQ(DecimalNumber("0.001"), "decimal(3,3)");
  EXPECT_EQ(DecimalNumber("1.5e-3"), "decimal(4,4)");
  EXPECT_EQ(DecimalNumber("1e3"), "decimal(4,0)");
  EXPECT_EQ(DecimalNumber("7"), "long");
  EXPECT_EQ(DecimalNumber("0." + std::string(39, '1')), "double");
  EXPECT_EQ(DecimalNumber("1e400"), "double");
}

TEST(InferJsonTypeTest, PrefersDecimalAlsoReadsDecimalStrings) {
  EXPECT_EQ(Infer(FieldKind::kString, "1.5", true), "decimal(2,1)");
  EXPECT_EQ(Infer(FieldKind::kString, "-100", true), "decimal(3,0)");
  // BigDecimal("0.001") has scale 3 > precision 1: Spark keeps it a string.
  EXPECT_EQ(Infer(FieldKind::kString, "0.001", true), "string");
  EXPECT_EQ(Infer(FieldKind::kString, "1e3", true), "string");
  EXPECT_EQ(Infer(FieldKind::kString, "abc", true), "string");
  EXPECT_EQ(Infer(FieldKind::kString, "1.5"), "string");
}

TEST(InferJsonTypeTest, ScalarsAndNull) {
  EXPECT_EQ(Infer(FieldKind::kBool, "true"), "boolean");
  EXPECT_EQ(Infer(FieldKind::kString, "2024-01-31"), "string");
  EXPECT_EQ(Infer(FieldKind::kNull, ""), "void");
  // Spark takes an empty string for null.
  EXPECT_EQ(Infer(FieldKind::kString, ""), "void");
}

TEST(InferJsonTypeTest, ObjectsAreStructsWithFieldsSortedByName) {
  EXPECT_THAT(
      InferLine(R"({"o":{"b":1,"a":"x","c":{"z":null,"y":[1,2.5]},"big":12345678901234567890}})"),
      ElementsAre("o:struct<a:string,b:long,big:decimal(20,0),c:struct<y:array<double>,z:void>>"));
  EXPECT_EQ(Infer(FieldKind::kObject, "{}"), "struct<>");
  // Byte order, as Spark compares names (UTF-16 order agrees below U+E000).
  EXPECT_EQ(Infer(FieldKind::kObject, R"({"\u00e9":1,"z":2,"Z":3,"a":4})"),
            "struct<Z:long,a:long,z:long,\xC3\xA9:long>");
}

TEST(InferJsonTypeTest, ARepeatedKeyKeepsItsFirstValue) {
  EXPECT_EQ(Infer(FieldKind::kObject, R"({"a":1,"a":"x","b":true})"), "struct<a:long,b:boolean>");
}

TEST(InferJsonTypeTest, ArraysMergeTheirElements) {
  EXPECT_EQ(Infer(FieldKind::kArray, "[]"), "array<void>");
  EXPECT_EQ(Infer(FieldKind::kArray, "[null,1]"), "array<long>");
  EXPECT_EQ(Infer(FieldKind::kArray, "[1,2.5]"), "array<double>");
  EXPECT_EQ(Infer(FieldKind::kArray, R"([1,"a"])"), "array<string>");
  EXPECT_EQ(Infer(FieldKind::kArray, "[[1],[null],[]]"), "array<array<long>>");
  EXPECT_EQ(Infer(FieldKind::kArray, R"([{"a":1},{"b":true},{"a":2.5}])"),
            "array<struct<a:double,b:boolean>>");
  EXPECT_EQ(Infer(FieldKind::kArray, R"([{"a":1},[1]])"), "array<string>");
  EXPECT_EQ(Infer(FieldKind::kArray, R"(["",""])"), "array<void>");
}

TEST(InferJsonTypeTest, NestedPrefersDecimal) {
  EXPECT_EQ(Infer(FieldKind::kArray, "[1.5,22.25]", true), "array<decimal(4,2)>");
}

TEST(InferJsonTypeTest, TextThatIsNotJsonStaysString) {
  EXPECT_EQ(Infer(FieldKind::kObject, R"({"a":)"), "string");
  EXPECT_EQ(Infer(FieldKind::kArray, "[01]"), "string");
}

// ---- MergeTypes ----

TEST(MergeTypesTest, VoidGivesWayToAnything) {
  EXPECT_EQ(Merge(DataType::Void(), DataType::Long()), "long");
  EXPECT_EQ(Merge(DataType::Void(), DataType::Void()), "void");
  EXPECT_EQ(Merge(DataType::Void(), Struct({{"a", DataType::Long()}})), "struct<a:long>");
  EXPECT_EQ(MergeTypes(nullptr, DataType::Long())->ToString(), "long");
}

TEST(MergeTypesTest, NumbersWidenInSparksOrder) {
  EXPECT_EQ(Merge(DataType::Integer(), DataType::Long()), "long");
  EXPECT_EQ(Merge(DataType::Byte(), DataType::Short()), "short");
  EXPECT_EQ(Merge(DataType::Long(), DataType::Double()), "double");
  EXPECT_EQ(Merge(DataType::Integer(), DataType::Float()), "float");
  EXPECT_EQ(Merge(DataType::Float(), DataType::Double()), "double");
}

TEST(MergeTypesTest, DecimalsWidenToHoldBoth) {
  EXPECT_EQ(Merge(DataType::Decimal(10, 2), DataType::Decimal(5, 4)), "decimal(12,4)");
  EXPECT_EQ(Merge(DataType::Decimal(38, 0), DataType::Decimal(10, 5)), "double");
  EXPECT_EQ(Merge(DataType::Decimal(10, 2), DataType::Double()), "double");
  EXPECT_EQ(Merge(DataType::Long(), DataType::Decimal(20, 0)), "decimal(20,0)");
  EXPECT_EQ(Merge(DataType::Long(), DataType::Decimal(10, 2)), "decimal(22,2)");
  EXPECT_EQ(Merge(DataType::Integer(), DataType::Decimal(5, 0)), "decimal(10,0)");
  EXPECT_EQ(Merge(DataType::Long(), DataType::Decimal(38, 20)), "double");
  EXPECT_EQ(Merge(DataType::Float(), DataType::Decimal(5, 0)), "string");
}

TEST(MergeTypesTest, DifferentKindsBecomeString) {
  EXPECT_EQ(Merge(DataType::String(), DataType::Long()), "string");
  EXPECT_EQ(Merge(DataType::Boolean(), DataType::Long()), "string");
  EXPECT_EQ(Merge(DataType::Date(), DataType::Timestamp()), "string");
  EXPECT_EQ(Merge(DataType::Array(DataType::Long()), Struct({{"a", DataType::Long()}})), "string");
  EXPECT_EQ(Merge(DataType::Array(DataType::Long()), DataType::Long()), "string");
  EXPECT_EQ(Merge(DataType::Map(DataType::String(), DataType::Long()),
                  DataType::Map(DataType::String(), DataType::Double())),
            "string");
}

TEST(MergeTypesTest, SameTypesAndTimestamps) {
  EXPECT_EQ(Merge(DataType::Date(), DataType::Date()), "date");
  EXPECT_EQ(Merge(DataType::Timestamp(), DataType::TimestampNtz()), "timestamp");
  EXPECT_EQ(Merge(DataType::Map(DataType::String(), DataType::Long()),
                  DataType::Map(DataType::String(), DataType::Long())),
            "map<string,long>");
}

TEST(MergeTypesTest, SortedStructsMergeFieldByFieldAndStaySorted) {
  DataTypePtr a =
      Struct({{"a", DataType::Long()}, {"c", DataType::Void()}, {"d", DataType::Long()}});
  DataTypePtr b =
      Struct({{"b", DataType::Boolean()}, {"c", DataType::String()}, {"d", DataType::Double()}});
  EXPECT_EQ(Merge(a, b), "struct<a:long,b:boolean,c:string,d:double>");
  DataTypePtr conflict = Struct({{"a", Struct({{"x", DataType::Long()}})}});
  EXPECT_EQ(Merge(a, conflict), "struct<a:string,c:void,d:long>");
}

TEST(MergeTypesTest, UnsortedStructsKeepTheFirstOrder) {
  DataTypePtr a = Struct({{"z", DataType::Long()}, {"a", DataType::Long()}});
  DataTypePtr b = Struct({{"b", DataType::Long()}, {"a", DataType::Double()}});
  EXPECT_EQ(MergeTypes(a, b)->ToString(), "struct<z:long,a:double,b:long>");
}

TEST(MergeTypesTest, ArraysMergeElementsAndNullability) {
  EXPECT_EQ(Merge(DataType::Array(DataType::Long()), DataType::Array(DataType::Double())),
            "array<double>");
  EXPECT_EQ(
      Merge(DataType::Array(DataType::Void()), DataType::Array(Struct({{"a", DataType::Long()}}))),
      "array<struct<a:long>>");
  DataTypePtr merged = MergeTypes(DataType::Array(DataType::Long(), /*contains_null=*/false),
                                  DataType::Array(DataType::Integer(), /*contains_null=*/true));
  EXPECT_EQ(merged->ToString(), "array<long>");
  EXPECT_TRUE(merged->contains_null());
  merged = MergeTypes(DataType::Array(DataType::Long(), false),
                      DataType::Array(DataType::Integer(), false));
  EXPECT_FALSE(merged->contains_null());
}

TEST(MergeTypesTest, InferredLinesMergeAsSparkMergesRecords) {
  InferenceOptions options;
  DataTypePtr merged = DataType::Void();
  for (std::string_view line : {R"({"a":1,"n":{"x":1}})", R"({"a":2.5,"n":{"y":"s"},"b":null})",
                                R"({"a":null,"n":{"x":12345678901234567890}})"}) {
    auto parser = MakeJsonLinesParser(line);
    Record record;
    ASSERT_TRUE(parser->Next(record).value());
    RawField whole;
    whole.kind = FieldKind::kObject;
    whole.text = record.raw;
    merged = MergeTypes(merged, InferJsonType(whole, options));
  }
  EXPECT_EQ(merged->ToString(), "struct<a:double,b:void,n:struct<x:decimal(20,0),y:string>>");
}

}  // namespace
}  // namespace sluice::ingest
