#include "engine/engine.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/temp_dir.h"

namespace sluice::engine {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(Database::Open()).value();
    connection_ = std::move(db_->Connect()).value();
  }
  QueryResult Query(const std::string& sql) {
    Result<QueryResult> result = connection_->Query(sql);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::move(result).value() : QueryResult();
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(EngineTest, PrimitiveValuesComeBackTyped) {
  QueryResult result = Query(
      "SELECT 42::BIGINT AS n, 1.5::DOUBLE AS d, true AS b, 'héllo' AS s, '\\x00\\xFF'::BLOB AS "
      "bytes, NULL::INTEGER AS missing");
  ASSERT_EQ(result.row_count(), 1u);
  EXPECT_EQ(result.column_name(0), "n");
  EXPECT_EQ(result.column_type(0), "BIGINT");
  EXPECT_EQ(result.at(0, 0), Value::Int(42));
  EXPECT_EQ(result.at(0, 1), Value::Double(1.5));
  EXPECT_EQ(result.at(0, 2), Value::Bool(true));
  EXPECT_EQ(result.at(0, 3), Value::Text("héllo"));
  EXPECT_EQ(result.at(0, 4), Value::Bytes(std::string("\0\xFF", 2)));
  EXPECT_TRUE(result.at(0, 5).is_null());
}

TEST_F(EngineTest, OtherTypesComeBackAsDuckDbText) {
  QueryResult result = Query(
      "SELECT 12.50::DECIMAL(10,2) AS dec, DATE '2024-02-29' AS day, "
      "{'a': 1, 'b': [1, 2]} AS nested, MAP {'k': 1} AS m");
  EXPECT_EQ(result.column_type(0), "DECIMAL(10,2)");
  EXPECT_EQ(result.at(0, 0).ToString(), "12.50");
  EXPECT_EQ(result.at(0, 1).ToString(), "2024-02-29");
  EXPECT_EQ(result.column_type(2), "STRUCT(\"a\" INTEGER, \"b\" INTEGER[])");
  EXPECT_EQ(result.at(0, 2).ToString(), "{'a': 1, 'b': [1, 2]}");
  EXPECT_EQ(result.column_type(3), "MAP(VARCHAR, INTEGER)");
  // Strings inside nested values are always quoted (DuckDB's own cast quotes them only
  // where needed), so that the text is unambiguous.
  EXPECT_EQ(result.at(0, 3).ToString(), "{'k'=1}");
}

TEST_F(EngineTest, NestedValuesAsJson) {
  auto result = connection_->Query(
      "SELECT {'a': 1, 'b': [1.5, NULL], 'c': 'x\"y'} AS s, MAP {'k': {'n': 2}} AS m, "
      "[DATE '2020-01-02'] AS d, 3 AS plain",
      /*nested_as_json=*/true);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->at(0, 0).ToString(), R"({"a":1,"b":[1.5,null],"c":"x\"y"})");
  EXPECT_EQ(result->at(0, 1).ToString(), R"({"k":{"n":2}})");
  EXPECT_EQ(result->at(0, 2).ToString(), R"(["2020-01-02"])");
  EXPECT_EQ(result->at(0, 3), Value::Int(3));
}

TEST_F(EngineTest, TimestampsRenderInUtc) {
  QueryResult result = Query(
      "SELECT TIMESTAMPTZ '2024-01-01 10:00:00.5+02' AS tz, TIMESTAMP '1969-12-31 23:59:59' AS "
      "ntz, current_setting('TimeZone') AS zone");
  EXPECT_EQ(result.at(0, 0).ToString(), "2024-01-01 08:00:00.5+00");
  EXPECT_EQ(result.at(0, 1).ToString(), "1969-12-31 23:59:59");
  EXPECT_EQ(result.at(0, 2).ToString(), "UTC");
}

TEST_F(EngineTest, ErrorsCarryDuckDbMessage) {
  Result<QueryResult> result = connection_->Query("SELECT * FROM no_such_table");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotFound()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("no_such_table"), std::string::npos);

  Status syntax = connection_->Execute("SELEC 1");
  EXPECT_EQ(syntax.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(syntax.message().find("syntax error"), std::string::npos) << syntax.message();
}

TEST_F(EngineTest, PreparedStatementsBindParameters) {
  ASSERT_TRUE(connection_->Execute("CREATE TABLE t (id BIGINT, name VARCHAR)").ok());
  auto insert = std::move(connection_->Prepare("INSERT INTO t VALUES (?, ?)")).value();
  EXPECT_EQ(insert->parameter_count(), 2u);
  for (int64_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(insert->Bind(1, Value::Int(i)).ok());
    ASSERT_TRUE(
        insert->Bind(2, i == 1 ? Value::Null() : Value::Text("n" + std::to_string(i))).ok());
    ASSERT_TRUE(insert->Execute().ok());
  }
  QueryResult result = Query("SELECT count(*), count(name) FROM t");
  EXPECT_EQ(result.at(0, 0), Value::Int(3));
  EXPECT_EQ(result.at(0, 1), Value::Int(2));
}

TEST_F(EngineTest, AppenderConvertsToColumnTypes) {
  ASSERT_TRUE(connection_->Execute("CREATE TABLE t (id INTEGER, d DATE, b BLOB)").ok());
  auto appender = std::move(connection_->MakeAppender("t")).value();
  ASSERT_TRUE(appender->Append(Value::Int(7)).ok());
  ASSERT_TRUE(appender->Append(Value::Text("2020-01-02")).ok());
  ASSERT_TRUE(appender->Append(Value::Bytes("ab")).ok());
  ASSERT_TRUE(appender->EndRow().ok());
  ASSERT_TRUE(appender->Close().ok());
  QueryResult result = Query("SELECT id, d::VARCHAR, b FROM t");
  ASSERT_EQ(result.row_count(), 1u);
  EXPECT_EQ(result.at(0, 0), Value::Int(7));
  EXPECT_EQ(result.at(0, 1), Value::Text("2020-01-02"));
  EXPECT_EQ(result.at(0, 2), Value::Bytes("ab"));
}

TEST_F(EngineTest, InterruptStopsLongQuery) {
  std::thread interrupter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    connection_->Interrupt();
  });
  Result<QueryResult> result = connection_->Query("SELECT count(*) FROM range(10000000000) a");
  interrupter.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kAborted) << result.status().ToString();
}

TEST(EngineFileTest, PersistentDatabaseKeepsData) {
  testing::TempDir dir;
  Database::Options options;
  options.path = dir.Child("db.duckdb");
  {
    auto db = std::move(Database::Open(options)).value();
    auto connection = std::move(db->Connect()).value();
    ASSERT_TRUE(connection->Execute("CREATE TABLE t AS SELECT 1 AS x").ok());
  }
  auto db = std::move(Database::Open(options)).value();
  auto connection = std::move(db->Connect()).value();
  EXPECT_EQ(*std::move(connection->Query("SELECT x FROM t")).value().Scalar(), Value::Int(1));
}

TEST(EngineVersionTest, IsPinnedRelease) { EXPECT_EQ(EngineVersion(), "v1.4.4"); }

}  // namespace
}  // namespace sluice::engine
