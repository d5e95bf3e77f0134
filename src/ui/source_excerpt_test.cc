// The definition text the dataset page shows, cut from the source file at the line the
// graph gives: SQL statements end at ';', Python definitions take their decorators and
// body, or the call's brackets.
#include "ui/source_excerpt.h"

#include <gtest/gtest.h>

namespace sluice::ui {
namespace {

const char* kSql =
    "-- orders\n"
    "CREATE STREAMING TABLE orders\n"
    "AS SELECT * FROM STREAM read_files('data'); -- raw\n"
    "\n"
    "CREATE MATERIALIZED VIEW revenue AS\n"
    "SELECT sum(amount) AS total\n"
    "FROM orders;\n";

TEST(DefinitionExcerptTest, SqlStatementEndsAtItsSemicolon) {
  EXPECT_EQ(DefinitionExcerpt(kSql, 2, false),
            "CREATE STREAMING TABLE orders\nAS SELECT * FROM STREAM read_files('data'); -- raw");
  EXPECT_EQ(DefinitionExcerpt(kSql, 5, false),
            "CREATE MATERIALIZED VIEW revenue AS\nSELECT sum(amount) AS total\nFROM orders;");
  EXPECT_EQ(DefinitionExcerpt(kSql, 9, false), std::nullopt);
  EXPECT_EQ(DefinitionExcerpt(kSql, 0, false), std::nullopt);
}

const char* kPython =
    "import dlt\n"
    "\n"
    "@dlt.table(\n"
    "    comment=\"raw (orders)\")\n"
    "@dlt.expect(\"ok\", \"id > 0\")\n"
    "def orders():\n"
    "    df = spark.readStream.table(\"src\")\n"
    "\n"
    "    return df.where(\"x\")\n"
    "\n"
    "dlt.create_streaming_table(\n"
    "    name=\"target\",\n"
    "    comment=\"t\")\n"
    "\n"
    "@dlt.view\n"
    "def v(): return spark.range(3)\n"
    "x = 1\n";

TEST(DefinitionExcerptTest, PythonFunctionWithItsDecorators) {
  const std::string orders =
      "@dlt.table(\n    comment=\"raw (orders)\")\n@dlt.expect(\"ok\", \"id > 0\")\ndef "
      "orders():\n    df = spark.readStream.table(\"src\")\n\n    return df.where(\"x\")";
  EXPECT_EQ(DefinitionExcerpt(kPython, 3, true), orders);  // at the first decorator
  EXPECT_EQ(DefinitionExcerpt(kPython, 6, true), orders);  // at the def
  EXPECT_EQ(DefinitionExcerpt(kPython, 11, true),
            "dlt.create_streaming_table(\n    name=\"target\",\n    comment=\"t\")");
  // A one-line body after the colon: the definition is that line (and its decorator).
  EXPECT_EQ(DefinitionExcerpt(kPython, 15, true), "@dlt.view\ndef v(): return spark.range(3)");
}

TEST(DefinitionExcerptTest, LongDefinitionsAreCut) {
  std::string sql = "SELECT\n";
  for (int i = 0; i < 500; ++i) sql += "  " + std::to_string(i) + ",\n";
  sql += "  1;\n";
  const auto excerpt = DefinitionExcerpt(sql, 1, false, 10);
  ASSERT_TRUE(excerpt.has_value());
  EXPECT_EQ(std::count(excerpt->begin(), excerpt->end(), '\n'), 9);
}

}  // namespace
}  // namespace sluice::ui
