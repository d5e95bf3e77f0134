#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "delta/schema.h"
#include "engine/engine.h"

namespace sluice::delta {
namespace {

using ::testing::HasSubstr;

DataTypePtr NestedType() {
  return DataType::Struct({
      StructField{"a b", DataType::Array(DataType::Decimal(18, 3)), true, {}},
      StructField{"m", DataType::Map(DataType::String(), DataType::Timestamp()), true, {}},
      StructField{
          "q\"uote", DataType::Struct({StructField{"x", DataType::Binary(), true, {}}}), true, {}},
  });
}

TEST(DuckDbTypeTest, ToDuckDbTypeNamesEveryType) {
  EXPECT_EQ(ToDuckDbType(*DataType::String()), "VARCHAR");
  EXPECT_EQ(ToDuckDbType(*DataType::Long()), "BIGINT");
  EXPECT_EQ(ToDuckDbType(*DataType::Integer()), "INTEGER");
  EXPECT_EQ(ToDuckDbType(*DataType::Short()), "SMALLINT");
  EXPECT_EQ(ToDuckDbType(*DataType::Byte()), "TINYINT");
  EXPECT_EQ(ToDuckDbType(*DataType::Float()), "FLOAT");
  EXPECT_EQ(ToDuckDbType(*DataType::Double()), "DOUBLE");
  EXPECT_EQ(ToDuckDbType(*DataType::Boolean()), "BOOLEAN");
  EXPECT_EQ(ToDuckDbType(*DataType::Binary()), "BLOB");
  EXPECT_EQ(ToDuckDbType(*DataType::Date()), "DATE");
  EXPECT_EQ(ToDuckDbType(*DataType::Timestamp()), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(ToDuckDbType(*DataType::TimestampNtz()), "TIMESTAMP");
  EXPECT_EQ(ToDuckDbType(*DataType::Decimal(38, 18)), "DECIMAL(38,18)");
  EXPECT_EQ(ToDuckDbType(*DataType::Void()), "INTEGER");
  EXPECT_EQ(ToDuckDbType(*DataType::Array(DataType::Array(DataType::Integer()))), "INTEGER[][]");
  EXPECT_EQ(ToDuckDbType(*NestedType()),
            "STRUCT(\"a b\" DECIMAL(18,3)[], \"m\" MAP(VARCHAR, TIMESTAMP WITH TIME ZONE), "
            "\"q\"\"uote\" STRUCT(\"x\" BLOB))");
}

TEST(DuckDbTypeTest, FromDuckDbTypeParsesPrintedNames) {
  struct Case {
    const char* duckdb;
    const char* delta;
  };
  const Case cases[] = {
      {"VARCHAR", "string"},
      {"BIGINT", "long"},
      {"INTEGER", "integer"},
      {"SMALLINT", "short"},
      {"TINYINT", "byte"},
      {"FLOAT", "float"},
      {"DOUBLE", "double"},
      {"BOOLEAN", "boolean"},
      {"BLOB", "binary"},
      {"DATE", "date"},
      {"TIMESTAMP WITH TIME ZONE", "timestamp"},
      {"TIMESTAMPTZ", "timestamp"},
      {"TIMESTAMP", "timestamp_ntz"},
      {"TIMESTAMP_NS", "timestamp_ntz"},
      {"TIMESTAMP_MS", "timestamp_ntz"},
      {"TIMESTAMP_S", "timestamp_ntz"},
      {"DECIMAL(18,3)", "decimal(18,3)"},
      {"DECIMAL(4)", "decimal(4,0)"},
      {"HUGEINT", "decimal(38,0)"},
      {"UBIGINT", "decimal(20,0)"},
      {"UINTEGER", "long"},
      {"USMALLINT", "integer"},
      {"UTINYINT", "short"},
      {"UUID", "string"},
      {"JSON", "string"},
      {"ENUM('a', 'it''s')", "string"},
      {"\"NULL\"", "void"},
      {"INTEGER[]", "array<integer>"},
      {"INTEGER[3]", "array<integer>"},
      {"VARCHAR[][]", "array<array<string>>"},
      {"MAP(VARCHAR, BIGINT)", "map<string,long>"},
      {"STRUCT(a INTEGER, \"b c\" VARCHAR[])", "struct<a:integer,b c:array<string>>"},
      {"STRUCT(\"select\" INTEGER, \"a\"\"b\" MAP(INTEGER, STRUCT(x DOUBLE)))[]",
       "array<struct<select:integer,a\"b:map<integer,struct<x:double>>>>"},
      {"integer", "integer"},
  };
  for (const Case& c : cases) {
    auto type = FromDuckDbType(c.duckdb);
    ASSERT_TRUE(type.ok()) << c.duckdb << ": " << type.status().ToString();
    EXPECT_EQ((*type)->ToString(), c.delta) << c.duckdb;
  }
}

TEST(DuckDbTypeTest, FromDuckDbTypeRefusesTypesDeltaCannotStore) {
  for (const char* name : {"INTERVAL", "TIME", "TIME WITH TIME ZONE", "UHUGEINT", "BIT",
                           "UNION(a INTEGER, b VARCHAR)", "STRUCT(a INTERVAL)"}) {
    auto type = FromDuckDbType(name);
    ASSERT_FALSE(type.ok()) << name;
    EXPECT_EQ(type.status().code(), StatusCode::kNotSupported) << name;
  }
  auto interval = FromDuckDbType("INTERVAL");
  EXPECT_THAT(interval.status().message(), HasSubstr("INTERVAL"));
  for (const char* bad : {"", "FOO", "STRUCT(a INTEGER", "MAP(VARCHAR)", "DECIMAL(40,2)",
                          "INTEGER]", "STRUCT(\"a INTEGER)"}) {
    auto type = FromDuckDbType(bad);
    ASSERT_FALSE(type.ok()) << bad;
    EXPECT_EQ(type.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

// ToDuckDbType's text is valid DuckDB, and what DuckDB reports for it maps back to the same
// Delta type (void excepted: DuckDB has no storable null type).
TEST(DuckDbTypeTest, RoundTripsThroughDuckDb) {
  auto db = engine::Database::Open();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto connection = (*db)->Connect();
  ASSERT_TRUE(connection.ok()) << connection.status().ToString();
  std::vector<DataTypePtr> types = {
      DataType::String(),
      DataType::Long(),
      DataType::Integer(),
      DataType::Short(),
      DataType::Byte(),
      DataType::Float(),
      DataType::Double(),
      DataType::Boolean(),
      DataType::Binary(),
      DataType::Date(),
      DataType::Timestamp(),
      DataType::TimestampNtz(),
      DataType::Decimal(38, 18),
      DataType::Array(DataType::Long()),
      NestedType(),
      DataType::Map(DataType::Integer(), DataType::Array(DataType::String())),
  };
  std::string sql = "SELECT ";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += "NULL::" + ToDuckDbType(*types[i]) + " AS c" + std::to_string(i);
  }
  auto result = (*connection)->Query(sql);
  ASSERT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
  ASSERT_EQ(result->column_count(), types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    auto back = FromDuckDbType(result->column_type(i));
    ASSERT_TRUE(back.ok()) << result->column_type(i) << ": " << back.status().ToString();
    EXPECT_EQ(**back, *types[i]) << result->column_type(i);
  }
}

}  // namespace
}  // namespace sluice::delta
