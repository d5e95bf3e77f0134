#include "ingest/ddl.h"

#include <gtest/gtest.h>

namespace sluice::ingest {
namespace {

TEST(Ddl, ParsesSparkTypes) {
  auto schema = SchemaFromDdl(
      "id BIGINT NOT NULL, name STRING COMMENT 'who', price DECIMAL(10, 2), n int, "
      "tags ARRAY<STRING>, address STRUCT<city: STRING, zip INT>, attrs MAP<STRING, BIGINT>, "
      "`odd name` date, at TIMESTAMP, f FLOAT, b BOOLEAN, v VARCHAR(20)",
      "schema");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<std::string> types;
  for (const delta::StructField& field : schema->fields()) {
    types.push_back(field.name + " " + field.type->ToString());
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{
                "id long", "name string", "price decimal(10,2)", "n integer", "tags array<string>",
                "address struct<city:string,zip:integer>", "attrs map<string,long>",
                "odd name date", "at timestamp", "f float", "b boolean", "v string"}));
  EXPECT_FALSE(schema->field(0).nullable);
}

TEST(Ddl, ErrorsNameTheOptionAndPlace) {
  auto bad = SchemaFromDdl("id BIGNUM", "schema");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "schema: expected a type at 'BIGNUM' in 'id BIGNUM'");
  EXPECT_FALSE(SchemaFromDdl("a INT b INT", "schema").ok());
  EXPECT_FALSE(SchemaFromDdl("a DECIMAL(40,2)", "schema").ok());
  EXPECT_FALSE(SchemaFromDdl("a INT, A STRING", "schema").ok());
  EXPECT_FALSE(SchemaFromDdl("a.b INT", "schema").ok());
}

TEST(Ddl, HintsSetTypesAddColumnsAndNestedFields) {
  auto schema = SchemaFromDdl("id STRING, address STRUCT<city: STRING, zip: STRING>", "schema");
  ASSERT_TRUE(schema.ok());
  auto hints = ParseDdlColumns("ID BIGINT, address.zip INT, address.country STRING, extra DATE",
                               "schemaHints");
  ASSERT_TRUE(hints.ok()) << hints.status().ToString();
  auto hinted = ApplyHints(*schema, *hints);
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(hinted->AsStruct()->ToString(),
            "struct<id:long,address:struct<city:string,zip:integer,country:string>,extra:date>");
  auto not_struct = ParseDdlColumns("id.x INT", "schemaHints");
  ASSERT_TRUE(not_struct.ok());
  EXPECT_FALSE(ApplyHints(*schema, *not_struct).ok());
}

}  // namespace
}  // namespace sluice::ingest
