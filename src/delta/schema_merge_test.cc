#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "delta/schema.h"

namespace sluice::delta {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

StructField Field(std::string name, DataTypePtr type, bool nullable = true) {
  return StructField{std::move(name), std::move(type), nullable, {}};
}

Schema TableSchema() {
  StructField id = Field("id", DataType::Long(), /*nullable=*/false);
  id.metadata.SetString("comment", "primary key");
  id.metadata.SetInt(kColumnMappingIdKey, 1);
  return Schema({
      id,
      Field("Name", DataType::String()),
      Field("price", DataType::Decimal(10, 2)),
      Field("info",
            DataType::Struct({Field("a", DataType::Integer()), Field("b", DataType::Double())})),
      Field("items", DataType::Array(DataType::Struct({Field("x", DataType::Integer())}))),
  });
}

TEST(MergeSchemaTest, SameColumnsInAnotherCaseAndOrderKeepTheTable) {
  Schema incoming({
      Field("ITEMS", DataType::Array(DataType::Struct({Field("X", DataType::Integer())}))),
      Field("name", DataType::String()),
      Field("Id", DataType::Long()),
      Field("price", DataType::Decimal(10, 2)),
      Field("info",
            DataType::Struct({Field("b", DataType::Double()), Field("a", DataType::Integer())})),
  });
  auto merged = MergeSchemaForWrite(TableSchema(), incoming, /*allow_add_columns=*/false);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(*merged, TableSchema());
}

TEST(MergeSchemaTest, AppendsNewColumnsAndNestedFieldsWhenAllowed) {
  Schema incoming({
      Field("id", DataType::Long()),
      Field("info", DataType::Struct({Field("a", DataType::Integer()),
                                      Field("c", DataType::String(), /*nullable=*/false)})),
      Field("items", DataType::Array(DataType::Struct(
                         {Field("x", DataType::Integer()), Field("y", DataType::Date())}))),
      Field("extra", DataType::Boolean(), /*nullable=*/false),
  });
  auto merged = MergeSchemaForWrite(TableSchema(), incoming, /*allow_add_columns=*/true);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  ASSERT_EQ(merged->size(), 6u);
  EXPECT_EQ(merged->field(0), TableSchema().field(0));  // metadata and NOT NULL kept
  EXPECT_EQ(merged->field(1), TableSchema().field(1));  // missing but nullable: kept
  EXPECT_EQ(merged->field(3).type->ToString(), "struct<a:integer,b:double,c:string>");
  EXPECT_TRUE(merged->field(3).type->fields()[2].nullable);
  EXPECT_EQ(merged->field(4).type->ToString(), "array<struct<x:integer,y:date>>");
  EXPECT_EQ(merged->field(5).name, "extra");
  EXPECT_TRUE(merged->field(5).nullable);

  auto refused = MergeSchemaForWrite(TableSchema(), incoming, /*allow_add_columns=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("\"info.c\""));
}

TEST(MergeSchemaTest, AcceptsLosslessWideningsAndKeepsTheTableType) {
  Schema table({Field("l", DataType::Long()), Field("i", DataType::Integer()),
                Field("d", DataType::Double()), Field("dec", DataType::Decimal(12, 4)),
                Field("v", DataType::String())});
  Schema incoming({Field("l", DataType::Byte()), Field("i", DataType::Short()),
                   Field("d", DataType::Float()), Field("dec", DataType::Decimal(10, 2)),
                   Field("v", DataType::Void())});
  auto merged = MergeSchemaForWrite(table, incoming, false);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(*merged, table);

  EXPECT_TRUE(MergeSchemaForWrite(Schema({Field("d", DataType::Double())}),
                                  Schema({Field("d", DataType::Integer())}), false)
                  .ok());
  EXPECT_TRUE(MergeSchemaForWrite(Schema({Field("d", DataType::Decimal(20, 0))}),
                                  Schema({Field("d", DataType::Long())}), false)
                  .ok());
}

TEST(MergeSchemaTest, RefusesOtherTypeChangesNamingColumnAndTypes) {
  struct Case {
    DataTypePtr table;
    DataTypePtr incoming;
  };
  const Case cases[] = {
      {DataType::Integer(), DataType::Long()},  // narrowing
      {DataType::Long(), DataType::String()},   // different family
      {DataType::Double(), DataType::Long()},   // long -> double loses precision
      {DataType::Float(), DataType::Double()},  // narrowing
      {DataType::Decimal(10, 2), DataType::Decimal(10, 3)},
      {DataType::Decimal(10, 2), DataType::Decimal(12, 2)},
      {DataType::Decimal(5, 0), DataType::Integer()},
      {DataType::Timestamp(), DataType::TimestampNtz()},
      {DataType::Array(DataType::Integer()), DataType::Integer()},
  };
  for (const Case& c : cases) {
    auto merged = MergeSchemaForWrite(Schema({Field("col", c.table)}),
                                      Schema({Field("col", c.incoming)}), true);
    ASSERT_FALSE(merged.ok()) << c.table->ToString() << " <- " << c.incoming->ToString();
    EXPECT_EQ(merged.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(merged.status().message(),
                AllOf(HasSubstr("\"col\""), HasSubstr(c.table->ToString()),
                      HasSubstr(c.incoming->ToString())));
  }
  auto nested = MergeSchemaForWrite(
      TableSchema(),
      Schema({Field("id", DataType::Long()),
              Field("items", DataType::Array(DataType::Struct({Field("x", DataType::String())})))}),
      true);
  ASSERT_FALSE(nested.ok());
  EXPECT_THAT(nested.status().message(), HasSubstr("\"items.element.x\""));
}

TEST(MergeSchemaTest, NotNullColumnsMustBeWritten) {
  auto missing =
      MergeSchemaForWrite(TableSchema(), Schema({Field("name", DataType::String())}), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), AllOf(HasSubstr("\"id\""), HasSubstr("NOT NULL")));

  auto all_null = MergeSchemaForWrite(TableSchema(), Schema({Field("id", DataType::Void())}), true);
  ASSERT_FALSE(all_null.ok());
  EXPECT_THAT(all_null.status().message(), HasSubstr("\"id\""));
}

TEST(MergeSchemaTest, RefusesDuplicateIncomingColumns) {
  auto merged = MergeSchemaForWrite(
      TableSchema(), Schema({Field("id", DataType::Long()), Field("ID", DataType::Long())}), true);
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(merged.status().message(), HasSubstr("two columns"));
}

TEST(MergeSchemaTest, NewTableFromEmptySchema) {
  Schema incoming({Field("a", DataType::Integer(), false), Field("b", DataType::String())});
  auto merged = MergeSchemaForWrite(Schema(), incoming, true);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->size(), 2u);
  EXPECT_TRUE(merged->field(0).nullable);
}

}  // namespace
}  // namespace sluice::delta
