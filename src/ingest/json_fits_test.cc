#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ingest/inference.h"

namespace sluice::ingest {
namespace {

using delta::DataType;
using delta::DataTypePtr;

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

// Whether {"v": <value>} fits struct<v: type>.
bool FieldFits(std::string_view value, const DataTypePtr& type) {
  return JsonFitsType("{\"v\":" + std::string(value) + "}", *Struct({{"v", type}}));
}

TEST(JsonFitsTypeTest, StructsTakeObjectsWhoseKnownFieldsFit) {
  DataTypePtr type = Struct({{"a", DataType::Long()}, {"b", DataType::String()}});
  EXPECT_TRUE(JsonFitsType(R"({"a":1,"b":"x"})", *type));
  EXPECT_TRUE(JsonFitsType(R"({"b":"x"})", *type));
  EXPECT_TRUE(JsonFitsType("{}", *type));
  EXPECT_TRUE(JsonFitsType(R"({"a":null,"b":null})", *type));
  // Fields the struct does not have are not its concern.
  EXPECT_TRUE(JsonFitsType(R"({"a":1,"c":[1,2]})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"a":"1"})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"a":1.5})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"A":1,"a":[]})", *type));
  EXPECT_FALSE(JsonFitsType("[1]", *type));
  EXPECT_FALSE(JsonFitsType("1", *type));
}

TEST(JsonFitsTypeTest, ARepeatedKeyCountsOnlyOnce) {
  DataTypePtr type = Struct({{"a", DataType::Long()}});
  EXPECT_TRUE(JsonFitsType(R"({"a":1,"a":"x"})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"a":"x","a":1})", *type));
}

TEST(JsonFitsTypeTest, NamesAreMatchedAfterDecoding) {
  DataTypePtr type = Struct({{"\xC3\xA9", DataType::Long()}});
  EXPECT_FALSE(JsonFitsType(R"({"\u00e9":"x"})", *type));
  EXPECT_TRUE(JsonFitsType(R"({"\u00e9":1})", *type));
}

TEST(JsonFitsTypeTest, IntegralTypesTakeIntegersInRange) {
  EXPECT_TRUE(FieldFits("-2147483648", DataType::Integer()));
  EXPECT_FALSE(FieldFits("2147483648", DataType::Integer()));
  EXPECT_TRUE(FieldFits("2147483648", DataType::Long()));
  EXPECT_FALSE(FieldFits("9223372036854775808", DataType::Long()));
  EXPECT_TRUE(FieldFits("127", DataType::Byte()));
  EXPECT_FALSE(FieldFits("128", DataType::Byte()));
  EXPECT_FALSE(FieldFits("-32769", DataType::Short()));
  EXPECT_FALSE(FieldFits("1.0", DataType::Long()));
  EXPECT_FALSE(FieldFits("1e2", DataType::Long()));
  EXPECT_FALSE(FieldFits("true", DataType::Long()));
}

TEST(JsonFitsTypeTest, FloatingTypesTakeNumbersAndNonFiniteSpellings) {
  EXPECT_TRUE(FieldFits("1", DataType::Double()));
  EXPECT_TRUE(FieldFits("1e308", DataType::Double()));
  EXPECT_TRUE(FieldFits("\"NaN\"", DataType::Double()));
  EXPECT_TRUE(FieldFits("\"-Infinity\"", DataType::Double()));
  EXPECT_FALSE(FieldFits("\"1.5\"", DataType::Double()));
  EXPECT_TRUE(FieldFits("3.4e38", DataType::Float()));
  EXPECT_FALSE(FieldFits("1e39", DataType::Float()));
}

TEST(JsonFitsTypeTest, DecimalsTakeNumbersAndStringsThatFitAfterRounding) {
  DataTypePtr decimal = DataType::Decimal(4, 2);
  EXPECT_TRUE(FieldFits("12.345", decimal));
  EXPECT_TRUE(FieldFits("-99.99", decimal));
  EXPECT_FALSE(FieldFits("99.995", decimal));
  EXPECT_FALSE(FieldFits("100", decimal));
  EXPECT_TRUE(FieldFits("\"1.5\"", decimal));
  EXPECT_FALSE(FieldFits("true", decimal));
}

TEST(JsonFitsTypeTest, DatesAndTimestampsTakeStringsThatParse) {
  EXPECT_TRUE(FieldFits("\"2024-01-31\"", DataType::Date()));
  EXPECT_FALSE(FieldFits("\"not a date\"", DataType::Date()));
  EXPECT_FALSE(FieldFits("20240131", DataType::Date()));
  EXPECT_TRUE(FieldFits("\"2024-01-31T10:00:00Z\"", DataType::Timestamp()));
  EXPECT_TRUE(FieldFits("\"2024-01-31 10:00:00\"", DataType::TimestampNtz()));
  EXPECT_FALSE(FieldFits("\"yesterday\"", DataType::Timestamp()));
  EXPECT_FALSE(FieldFits("1700000000", DataType::Timestamp()));
}

TEST(JsonFitsTypeTest, BooleansBinaryAndVoid) {
  EXPECT_TRUE(FieldFits("false", DataType::Boolean()));
  EXPECT_FALSE(FieldFits("\"true\"", DataType::Boolean()));
  EXPECT_FALSE(FieldFits("1", DataType::Boolean()));
  EXPECT_TRUE(FieldFits("\"AQID\"", DataType::Binary()));
  EXPECT_FALSE(FieldFits("1", DataType::Binary()));
  EXPECT_TRUE(FieldFits("null", DataType::Void()));
  EXPECT_FALSE(FieldFits("1", DataType::Void()));
}

TEST(JsonFitsTypeTest, StringsTakeAnyValue) {
  for (std::string_view value : {"\"x\"", "1.50", "true", "null", R"({"a":[1]})", "[1,{}]"}) {
    EXPECT_TRUE(FieldFits(value, DataType::String())) << value;
  }
  EXPECT_TRUE(JsonFitsType(R"({"a":[1]})", *DataType::String()));
}

TEST(JsonFitsTypeTest, ArraysTakeArraysWhoseElementsAllFit) {
  DataTypePtr longs = DataType::Array(DataType::Long());
  EXPECT_TRUE(JsonFitsType("[]", *longs));
  EXPECT_TRUE(JsonFitsType("[1,2,null]", *longs));
  EXPECT_FALSE(JsonFitsType(R"([1,"x"])", *longs));
  EXPECT_FALSE(JsonFitsType("{}", *longs));
  DataTypePtr structs = DataType::Array(Struct({{"a", DataType::Boolean()}}));
  EXPECT_TRUE(JsonFitsType(R"([{"a":true},{},null])", *structs));
  EXPECT_FALSE(JsonFitsType(R"([{"a":true},{"a":1}])", *structs));
}

TEST(JsonFitsTypeTest, MapsTakeObjectsWhoseKeysAndValuesFit) {
  DataTypePtr by_name = DataType::Map(DataType::String(), DataType::Long());
  EXPECT_TRUE(JsonFitsType(R"({"x":1,"y":null})", *by_name));
  EXPECT_FALSE(JsonFitsType(R"({"x":"a"})", *by_name));
  EXPECT_FALSE(JsonFitsType("[]", *by_name));
  DataTypePtr by_number = DataType::Map(DataType::Integer(), DataType::String());
  EXPECT_TRUE(JsonFitsType(R"({"1":"a","-2":"b"})", *by_number));
  EXPECT_FALSE(JsonFitsType(R"({"x":"a"})", *by_number));
}

TEST(JsonFitsTypeTest, NestedTypesAreCheckedAllTheWayDown) {
  DataTypePtr type = Struct({{"o", Struct({{"p", DataType::Array(DataType::Integer())}})}});
  EXPECT_TRUE(JsonFitsType(R"({"o":{"p":[1,2]}})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"o":{"p":[1,"2"]}})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"o":{"p":{}}})", *type));
  EXPECT_FALSE(JsonFitsType(R"({"o":[]})", *type));
  EXPECT_TRUE(JsonFitsType(R"({ "o" : { "p" : [ 1 ] } })", *type));
}

TEST(JsonFitsTypeTest, ScalarTextAndJunk) {
  EXPECT_TRUE(JsonFitsType("5", *DataType::Long()));
  EXPECT_TRUE(JsonFitsType("\"x\"", *DataType::String()));
  EXPECT_TRUE(JsonFitsType(" \"2024-01-31\" ", *DataType::Date()));
  EXPECT_FALSE(JsonFitsType("\"x\"", *DataType::Date()));
  EXPECT_TRUE(JsonFitsType("null", *DataType::Date()));
  EXPECT_FALSE(JsonFitsType("", *DataType::String()));
  EXPECT_FALSE(JsonFitsType(R"({"v":1} x)", *Struct({{"v", DataType::Long()}})));
  EXPECT_FALSE(JsonFitsType("\"a\" \"b\"", *DataType::String()));
  EXPECT_FALSE(JsonFitsType("tru", *DataType::Boolean()));
}

}  // namespace
}  // namespace sluice::ingest
