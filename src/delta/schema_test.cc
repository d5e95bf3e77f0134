#include "delta/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"
#include "delta/json_tree.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kNestedSchema =
    R"j({"type":"struct","fields":[)j"
    R"j({"name":"id","type":"long","nullable":false,"metadata":{}},)j"
    R"j({"name":"Amount","type":"decimal(38,18)","nullable":true,"metadata":{"comment":"in €"}},)j"
    R"j({"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},)j"
    R"j("nullable":true,"metadata":{}},)j"
    R"j({"name":"attrs","type":{"type":"map","keyType":"string","valueType":{"type":"struct",)j"
    R"j("fields":[{"name":"v","type":"double","nullable":true,"metadata":{}}]},)j"
    R"j("valueContainsNull":true},"nullable":true,"metadata":{}},)j"
    R"j({"name":"s","type":{"type":"struct","fields":[)j"
    R"j({"name":"Inner","type":"timestamp_ntz","nullable":true,"metadata":{}},)j"
    R"j({"name":"deeper","type":{"type":"struct","fields":[)j"
    R"j({"name":"x","type":"binary","nullable":true,"metadata":{}}]},"nullable":true,)j"
    R"j("metadata":{}}]},"nullable":true,"metadata":{"delta.invariants":)j"
    R"j("{\"expression\":{\"expression\":\"s.Inner IS NOT NULL\"}}","x":[1,2.50,{"k":null}]}}]})j";

TEST(SchemaJsonTest, ParsesEveryKindOfType) {
  auto schema = ParseSchema(kNestedSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->size(), 5u);
  EXPECT_EQ(schema->field(0).name, "id");
  EXPECT_EQ(schema->field(0).type->kind(), TypeKind::kLong);
  EXPECT_FALSE(schema->field(0).nullable);
  const DataType& amount = *schema->field(1).type;
  EXPECT_EQ(amount.kind(), TypeKind::kDecimal);
  EXPECT_EQ(amount.precision(), 38);
  EXPECT_EQ(amount.scale(), 18);
  EXPECT_EQ(schema->field(1).metadata.GetString("comment"), "in €");
  const DataType& tags = *schema->field(2).type;
  ASSERT_EQ(tags.kind(), TypeKind::kArray);
  EXPECT_FALSE(tags.contains_null());
  EXPECT_EQ(tags.element_type()->kind(), TypeKind::kString);
  const DataType& attrs = *schema->field(3).type;
  ASSERT_EQ(attrs.kind(), TypeKind::kMap);
  EXPECT_EQ(attrs.key_type()->kind(), TypeKind::kString);
  EXPECT_EQ(attrs.value_type()->ToString(), "struct<v:double>");
  EXPECT_TRUE(attrs.value_contains_null());
  EXPECT_EQ(schema->field(4).type->ToString(),
            "struct<Inner:timestamp_ntz,deeper:struct<x:binary>>");
  EXPECT_EQ(schema->field(4).metadata.GetRaw("delta.invariants"),
            R"j("{\"expression\":{\"expression\":\"s.Inner IS NOT NULL\"}}")j");
  EXPECT_EQ(schema->field(4).metadata.GetRaw("x"), R"j([1,2.50,{"k":null}])j");
}

TEST(SchemaJsonTest, SerializesInSparksExactForm) {
  auto schema = ParseSchema(kNestedSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SerializeSchema(*schema), kNestedSchema);

  Schema built(
      {StructField{"a", DataType::Integer(), true, {}},
       StructField{"b", DataType::Map(DataType::String(), DataType::Long(), false), false, {}}});
  EXPECT_EQ(SerializeSchema(built),
            R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,)j"
            R"j("metadata":{}},{"name":"b","type":{"type":"map","keyType":"string",)j"
            R"j("valueType":"long","valueContainsNull":false},"nullable":false,"metadata":{}}]})j");
  EXPECT_EQ(SerializeSchema(Schema()), R"j({"type":"struct","fields":[]})j");
}

TEST(SchemaJsonTest, ReformatsWhitespaceButKeepsValues) {
  auto schema = ParseSchema(R"j({ "type" : "struct", "fields" : [
      { "metadata" : { "k" : [ 1, "a" ] }, "nullable" : true, "type" : "decimal( 5, 2)",
        "name" : "d" } ] })j");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SerializeSchema(*schema),
            R"j({"type":"struct","fields":[{"name":"d","type":"decimal(5,2)","nullable":true,)j"
            R"j("metadata":{"k":[1,"a"]}}]})j");
}

TEST(SchemaJsonTest, AcceptsSparkLegacyNames) {
  auto schema =
      ParseSchema(R"j({"type":"struct","fields":[{"name":"d","type":"decimal","nullable":true},)j"
                  R"j({"name":"n","type":"null","nullable":true,"metadata":{}}]})j");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->field(0).type->ToString(), "decimal(10,0)");
  EXPECT_TRUE(schema->field(0).metadata.empty());
  EXPECT_EQ(schema->field(1).type->kind(), TypeKind::kVoid);
}

TEST(SchemaJsonTest, ErrorsSayWhatAndWhere) {
  auto unknown = ParseSchema(
      R"j({"type":"struct","fields":[{"name":"a","type":{"type":"struct","fields":[)j"
      R"j({"name":"b","type":"foo","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})j");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr(R"j(unknown type "foo" for field "a.b")j"));

  auto in_array = ParseSchema(
      R"j({"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"int",)j"
      R"j("containsNull":true},"nullable":true,"metadata":{}}]})j");
  ASSERT_FALSE(in_array.ok());
  EXPECT_THAT(in_array.status().message(),
              HasSubstr(R"j(unknown type "int" for field "a.element")j"));

  auto bad_decimal = ParseSchema(
      R"j({"type":"struct","fields":[{"name":"d","type":"decimal(39,2)","nullable":true}]})j");
  ASSERT_FALSE(bad_decimal.ok());
  EXPECT_THAT(bad_decimal.status().message(), HasSubstr("decimal(39,2)"));

  auto duplicate =
      ParseSchema(R"j({"type":"struct","fields":[{"name":"a","type":"long","nullable":true},)j"
                  R"j({"name":"A","type":"long","nullable":true}]})j");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.status().message(), HasSubstr(R"j(duplicate field name "A")j"));

  auto no_name = ParseSchema(R"j({"type":"struct","fields":[{"type":"long","nullable":true}]})j");
  ASSERT_FALSE(no_name.ok());
  EXPECT_THAT(no_name.status().message(), HasSubstr("field #1"));

  auto not_json = ParseSchema(R"j({"type":"struct","fields":[)j");
  ASSERT_FALSE(not_json.ok());
  EXPECT_THAT(not_json.status().message(), HasSubstr("invalid JSON"));

  auto not_struct = ParseSchema(R"j({"type":"array","elementType":"long","containsNull":true})j");
  ASSERT_FALSE(not_struct.ok());

  auto variant = ParseSchema(R"j({"type":"struct","fields":[{"name":"v","type":"variant",)j"
                             R"j("nullable":true,"metadata":{}}]})j");
  ASSERT_FALSE(variant.ok());
  EXPECT_EQ(variant.status().code(), StatusCode::kNotSupported);
}

TEST(SchemaJsonTest, DataTypeJson) {
  auto type =
      ParseDataType(R"j({"type":"array","elementType":"decimal(10,2)","containsNull":true})j");
  ASSERT_TRUE(type.ok()) << type.status().ToString();
  EXPECT_EQ((*type)->ToString(), "array<decimal(10,2)>");
  EXPECT_EQ(SerializeDataType(**type),
            R"j({"type":"array","elementType":"decimal(10,2)","containsNull":true})j");
  EXPECT_EQ(SerializeDataType(*DataType::TimestampNtz()), R"j("timestamp_ntz")j");
}

// Every schema in the conformance logs parses, and the Spark-written ones re-serialize to the
// exact text in the log.
TEST(SchemaJsonTest, ConformanceSchemasRoundTrip) {
  namespace fs = std::filesystem;
  int parsed = 0;
  int exact = 0;
  for (const auto& entry : fs::recursive_directory_iterator(sluice::testing::ConformancePath(""))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json" ||
        entry.path().parent_path().filename() != "_delta_log") {
      continue;
    }
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("\"metaData\"") == std::string::npos) continue;
      auto action = json_tree::Parse(line);
      ASSERT_TRUE(action.ok()) << entry.path() << ": " << action.status().ToString();
      const json_tree::Node* metadata = action->Find("metaData");
      if (metadata == nullptr) continue;
      const json_tree::Node* schema_string = metadata->Find("schemaString");
      if (schema_string == nullptr) continue;  // the DLT placeholder metaData
      auto schema = ParseSchema(schema_string->text);
      ASSERT_TRUE(schema.ok()) << entry.path() << ": " << schema.status().ToString();
      ++parsed;
      if (line.find("Apache-Spark") != std::string::npos ||
          entry.path().string().find("golden_data") != std::string::npos) {
        EXPECT_EQ(SerializeSchema(*schema), schema_string->text) << entry.path();
        ++exact;
      }
    }
  }
  EXPECT_GT(parsed, 100);
  EXPECT_GT(exact, 50);
}

TEST(SchemaTest, LookupsIgnoreCase) {
  auto schema = ParseSchema(kNestedSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->IndexOf("AMOUNT"), 1u);
  EXPECT_FALSE(schema->IndexOf("nope").has_value());
  ASSERT_NE(schema->Find("amount"), nullptr);
  EXPECT_EQ(schema->Find("amount")->name, "Amount");
  const StructField* inner = schema->FindPath({"S", "inner"});
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->name, "Inner");
  ASSERT_NE(schema->FindPath({"s", "deeper", "X"}), nullptr);
  EXPECT_EQ(schema->FindPath({"s", "missing"}), nullptr);
  EXPECT_EQ(schema->FindPath({"id", "x"}), nullptr);

  auto missing = schema->ResolvePath({"s", "deeper", "y"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("s.deeper.y does not exist"));
  auto through_leaf = schema->ResolvePath({"tags", "x"});
  ASSERT_FALSE(through_leaf.ok());
  EXPECT_THAT(through_leaf.status().message(), HasSubstr("tags is not a struct"));
}

TEST(SchemaTest, ColumnPathToStringQuotesSpecialNames) {
  EXPECT_EQ(ColumnPathToString({"a", "b"}), "a.b");
  EXPECT_EQ(ColumnPathToString({"a.b", "c`d"}), "`a.b`.`c``d`");
}

TEST(SchemaTest, EqualityIsDeep) {
  auto a = ParseSchema(kNestedSchema);
  auto b = ParseSchema(kNestedSchema);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  Schema changed = *a;
  std::vector<StructField> fields = changed.fields();
  fields[4].metadata.SetString("comment", "x");
  EXPECT_FALSE(Schema(fields) == *a);
  EXPECT_FALSE(*DataType::Decimal(10, 2) == *DataType::Decimal(10, 3));
  EXPECT_TRUE(*DataType::Array(DataType::Long()) == *DataType::Array(DataType::Long()));
  EXPECT_FALSE(*DataType::Array(DataType::Long(), false) == *DataType::Array(DataType::Long()));
}

TEST(FieldMetadataTest, TypedAccessAndUpdates) {
  FieldMetadata metadata;
  metadata.SetInt(kColumnMappingIdKey, 7);
  metadata.SetString(kPhysicalNameKey, "col-\"x\"");
  metadata.SetRaw("flag", "true");
  EXPECT_EQ(metadata.GetInt(kColumnMappingIdKey), 7);
  EXPECT_EQ(metadata.GetString(kPhysicalNameKey), "col-\"x\"");
  EXPECT_EQ(metadata.GetRaw(kPhysicalNameKey), R"j("col-\"x\"")j");
  EXPECT_EQ(metadata.GetBool("flag"), true);
  EXPECT_FALSE(metadata.GetString(kColumnMappingIdKey).has_value());
  EXPECT_FALSE(metadata.GetInt("missing").has_value());
  metadata.SetInt(kColumnMappingIdKey, 8);  // replaced in place
  EXPECT_EQ(metadata.entries().front().first, kColumnMappingIdKey);
  EXPECT_EQ(metadata.GetInt(kColumnMappingIdKey), 8);
  metadata.Erase("flag");
  EXPECT_FALSE(metadata.Contains("flag"));
  EXPECT_EQ(metadata.entries().size(), 2u);
}

constexpr std::string_view kMappedSchema =
    R"j({"type":"struct","fields":[)j"
    R"j({"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":1,)j"
    R"j("delta.columnMapping.physicalName":"col-a"}},)j"
    R"j({"name":"s","type":{"type":"struct","fields":[{"name":"b","type":"string",)j"
    R"j("nullable":true,"metadata":{"delta.columnMapping.id":3,)j"
    R"j("delta.columnMapping.physicalName":"col-b"}}]},"nullable":true,)j"
    R"j("metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-s"}},)j"
    R"j({"name":"m","type":{"type":"array","elementType":{"type":"struct","fields":[)j"
    R"j({"name":"c","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":9,)j"
    R"j("delta.columnMapping.physicalName":"col-c"}}]},"containsNull":true},"nullable":true,)j"
    R"j("metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-m"}}]})j";

TEST(ColumnMappingTest, ModeFromConfiguration) {
  EXPECT_EQ(*ColumnMappingModeFromConfig({}), ColumnMappingMode::kNone);
  EXPECT_EQ(*ColumnMappingModeFromConfig({{"delta.columnMapping.mode", "name"}}),
            ColumnMappingMode::kName);
  EXPECT_EQ(*ColumnMappingModeFromConfig({{"delta.columnMapping.mode", "id"}}),
            ColumnMappingMode::kId);
  EXPECT_EQ(*ColumnMappingModeFromConfig({{"delta.columnMapping.mode", "none"}}),
            ColumnMappingMode::kNone);
  auto bad = ColumnMappingModeFromConfig({{"delta.columnMapping.mode", "fancy"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("fancy"));
}

TEST(ColumnMappingTest, PhysicalNamesIdsAndMaxId) {
  auto schema = ParseSchema(kMappedSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(PhysicalName(schema->field(0), ColumnMappingMode::kName), "col-a");
  EXPECT_EQ(PhysicalName(schema->field(0), ColumnMappingMode::kId), "col-a");
  EXPECT_EQ(PhysicalName(schema->field(0), ColumnMappingMode::kNone), "a");
  EXPECT_EQ(ColumnMappingId(schema->field(1)), 2);
  EXPECT_EQ(MaxColumnId(*schema), 9);  // found inside the array's element struct
  EXPECT_EQ(MaxColumnId(Schema()), 0);

  Schema physical = ToPhysicalSchema(*schema, ColumnMappingMode::kName);
  EXPECT_EQ(physical.field(1).name, "col-s");
  EXPECT_EQ(physical.field(1).type->fields()[0].name, "col-b");
  EXPECT_EQ(physical.field(2).type->element_type()->fields()[0].name, "col-c");
  EXPECT_EQ(ToPhysicalSchema(*schema, ColumnMappingMode::kNone), *schema);

  auto path = ToPhysicalPath(*schema, {"S", "B"}, ColumnMappingMode::kName);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, (ColumnPath{"col-s", "col-b"}));
  EXPECT_FALSE(ToPhysicalPath(*schema, {"s", "zz"}, ColumnMappingMode::kName).ok());
}

TEST(ColumnMappingTest, AssignsNewIdsAndKeepsExistingOnes) {
  auto schema = ParseSchema(kMappedSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<StructField> fields = schema->fields();
  fields.push_back(
      StructField{"n", DataType::Struct({StructField{"x", DataType::Long(), true, {}}}), true, {}});
  int64_t max_id = 5;  // stale configuration value: the schema already has id 9
  Schema assigned = AssignColumnMapping(Schema(fields), &max_id);
  EXPECT_EQ(max_id, 11);
  EXPECT_EQ(assigned.field(0), schema->field(0));
  EXPECT_EQ(assigned.field(2), schema->field(2));
  const StructField& added = assigned.field(3);
  EXPECT_EQ(ColumnMappingId(added), 10);
  EXPECT_EQ(ColumnMappingId(added.type->fields()[0]), 11);
  auto physical = added.metadata.GetString(kPhysicalNameKey);
  ASSERT_TRUE(physical.has_value());
  EXPECT_TRUE(StartsWith(*physical, "col-"));
  EXPECT_EQ(physical->size(), 40u);
  EXPECT_NE(*physical, *added.type->fields()[0].metadata.GetString(kPhysicalNameKey));
  EXPECT_EQ(MaxColumnId(assigned), 11);
}

}  // namespace
}  // namespace sluice::delta
