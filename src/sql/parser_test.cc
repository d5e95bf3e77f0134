#include "sql/parser.h"

#include <gtest/gtest.h>

#include "sql/diagnostics.h"
#include "sql/substitution.h"

namespace sluice::sql {
namespace {

Script MustParse(const std::string& text) {
  auto script = ParseScript(text, "f.sql");
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  return script.ok() ? *script : Script{};
}

const DatasetStatement& DatasetAt(const Script& script, size_t i) {
  return std::get<DatasetStatement>(script.statements.at(i));
}

std::string RefText(const Query& query, size_t i) {
  const Reference& r = query.references.at(i);
  return query.text.substr(r.begin, r.end - r.begin);
}

TEST(ParserTest, StatementKinds) {
  Script script = MustParse(
      "CREATE OR REFRESH STREAMING TABLE a AS SELECT * FROM STREAM(x);\n"
      "CREATE MATERIALIZED VIEW b AS SELECT 1;\n"
      "CREATE TEMPORARY VIEW c AS SELECT 1;\n"
      "CREATE VIEW d AS SELECT 1;\n"
      "CREATE OR REFRESH LIVE TABLE e AS SELECT 1;\n"
      "CREATE STREAMING LIVE TABLE f AS SELECT * FROM STREAM(LIVE.x);\n"
      "CREATE INCREMENTAL LIVE TABLE g AS SELECT * FROM STREAM x;\n"
      "CREATE PRIVATE MATERIALIZED VIEW h AS SELECT 1;\n"
      "CREATE TEMPORARY STREAMING TABLE i AS SELECT * FROM STREAM(x);\n"
      "CREATE STREAMING TABLE j\n");
  ASSERT_EQ(script.statements.size(), 10u);
  EXPECT_EQ(DatasetAt(script, 0).kind, DatasetKind::kStreamingTable);
  EXPECT_EQ(DatasetAt(script, 1).kind, DatasetKind::kMaterializedView);
  EXPECT_EQ(DatasetAt(script, 2).kind, DatasetKind::kTemporaryView);
  EXPECT_EQ(DatasetAt(script, 3).kind, DatasetKind::kView);
  EXPECT_EQ(DatasetAt(script, 4).kind, DatasetKind::kMaterializedView);
  EXPECT_TRUE(DatasetAt(script, 4).legacy_syntax);
  EXPECT_EQ(DatasetAt(script, 5).kind, DatasetKind::kStreamingTable);
  EXPECT_EQ(DatasetAt(script, 6).kind, DatasetKind::kStreamingTable);
  EXPECT_TRUE(DatasetAt(script, 7).is_private);
  EXPECT_TRUE(DatasetAt(script, 8).is_private);
  EXPECT_FALSE(DatasetAt(script, 9).query.has_value());
}

TEST(ParserTest, ColumnsConstraintsAndClauses) {
  Script script = MustParse(
      "CREATE OR REFRESH STREAMING TABLE cat.sch.orders (\n"
      "  id BIGINT NOT NULL COMMENT 'the id',\n"
      "  tags ARRAY<STRUCT<a: INT, b: STRING>>,\n"
      "  price DECIMAL(10, 2),\n"
      "  CONSTRAINT valid_id EXPECT (id IS NOT NULL AND id > 0) ON VIOLATION FAIL UPDATE,\n"
      "  CONSTRAINT valid_price EXPECT (price > 0) ON VIOLATION DROP ROW,\n"
      "  CONSTRAINT has_tags EXPECT (size(tags) > 0),\n"
      "  CONSTRAINT pk PRIMARY KEY (id)\n"
      ")\n"
      "USING DELTA PARTITIONED BY (region) CLUSTER BY (id, price)\n"
      "COMMENT 'Orders' TBLPROPERTIES ('quality' = 'silver', pipelines.reset.allowed = false)\n"
      "AS SELECT * FROM STREAM(bronze)");
  const DatasetStatement& d = DatasetAt(script, 0);
  EXPECT_EQ(d.name, "orders");
  ASSERT_EQ(d.columns.size(), 3u);
  EXPECT_EQ(d.columns[0].type, "BIGINT");
  EXPECT_TRUE(d.columns[0].not_null);
  EXPECT_EQ(d.columns[0].comment, "the id");
  EXPECT_EQ(d.columns[1].type, "ARRAY<STRUCT<a: INT, b: STRING>>");
  EXPECT_EQ(d.columns[2].type, "DECIMAL(10, 2)");
  ASSERT_EQ(d.expectations.size(), 3u);
  EXPECT_EQ(d.expectations[0].condition, "id IS NOT NULL AND id > 0");
  EXPECT_EQ(d.expectations[0].action, ViolationAction::kFail);
  EXPECT_EQ(d.expectations[1].action, ViolationAction::kDrop);
  EXPECT_EQ(d.expectations[2].action, ViolationAction::kWarn);
  EXPECT_EQ(d.expectations[2].location.line, 7);
  EXPECT_EQ(d.partition_by, (std::vector<std::string>{"region"}));
  EXPECT_EQ(d.cluster_by, (std::vector<std::string>{"id", "price"}));
  EXPECT_EQ(d.comment, "Orders");
  EXPECT_EQ(d.properties.at("quality"), "silver");
  EXPECT_EQ(d.properties.at("pipelines.reset.allowed"), "false");
  ASSERT_TRUE(d.query);
  EXPECT_EQ(d.query->text, "SELECT * FROM STREAM(bronze)");
}

TEST(ParserTest, FlowsAndSet) {
  Script script = MustParse(
      "SET pipelines.trigger.interval = '10 seconds';\n"
      "CREATE FLOW backfill COMMENT 'old data' AS INSERT INTO ONCE orders BY NAME\n"
      "  SELECT * FROM read_files('/old', format => 'csv');\n"
      "CREATE FLOW live AS INSERT INTO orders BY NAME SELECT * FROM STREAM(x);\n"
      "USE SCHEMA sales;");
  ASSERT_EQ(script.statements.size(), 4u);
  const auto& set = std::get<SetStatement>(script.statements[0]);
  EXPECT_EQ(set.key, "pipelines.trigger.interval");
  EXPECT_EQ(set.value, "10 seconds");
  const auto& backfill = std::get<FlowStatement>(script.statements[1]);
  EXPECT_TRUE(backfill.once);
  EXPECT_EQ(backfill.target, "orders");
  EXPECT_EQ(backfill.comment, "old data");
  ASSERT_EQ(backfill.query.references.size(), 1u);
  EXPECT_EQ(backfill.query.references[0].kind, ReferenceKind::kReadFiles);
  EXPECT_FALSE(std::get<FlowStatement>(script.statements[2]).once);
  EXPECT_EQ(std::get<SetStatement>(script.statements[3]).key, "schema");
}

TEST(ParserTest, ReferencesOfEveryForm) {
  Script script = MustParse(
      "CREATE MATERIALIZED VIEW m AS\n"
      "WITH recent AS (SELECT * FROM LIVE.orders WHERE ts > 0)\n"
      "SELECT * FROM recent r JOIN cat.sch.customers c ON r.id = c.id,\n"
      "  delta.`/data/ext` AS e, range(10) t(i)\n"
      "WHERE r.id IN (SELECT id FROM `weird name`)\n"
      "UNION ALL SELECT * FROM (SELECT * FROM inner_t) sub");
  const Query& q = *DatasetAt(script, 0).query;
  ASSERT_EQ(q.references.size(), 5u) << q.text;
  EXPECT_EQ(q.references[0].name, "orders");
  EXPECT_EQ(q.references[0].qualifier, "LIVE");
  EXPECT_EQ(RefText(q, 0), "LIVE.orders");
  EXPECT_EQ(q.references[1].name, "customers");
  EXPECT_EQ(RefText(q, 1), "cat.sch.customers");
  EXPECT_EQ(q.references[2].kind, ReferenceKind::kDeltaPath);
  EXPECT_EQ(q.references[2].name, "/data/ext");
  EXPECT_EQ(q.references[3].name, "weird name");
  EXPECT_EQ(q.references[4].name, "inner_t");
}

TEST(ParserTest, StreamingReferencesAndOptions) {
  Script script = MustParse(
      "CREATE STREAMING TABLE s AS\n"
      "SELECT * FROM STREAM(a) WITH (skipChangeCommits = true)\n"
      "UNION ALL SELECT * FROM STREAM b\n"
      "UNION ALL SELECT * FROM STREAM read_files('data/x', format => 'csv', header => true)\n"
      "UNION ALL SELECT * FROM STREAM(read_files('data/y', format := 'json'))");
  const Query& q = *DatasetAt(script, 0).query;
  ASSERT_EQ(q.references.size(), 4u);
  EXPECT_EQ(RefText(q, 0), "STREAM(a) WITH (skipChangeCommits = true)");
  EXPECT_TRUE(q.references[0].streaming);
  EXPECT_EQ(q.references[0].options.at("skipChangeCommits"), "true");
  EXPECT_EQ(RefText(q, 1), "STREAM b");
  EXPECT_EQ(q.references[2].kind, ReferenceKind::kReadFiles);
  EXPECT_EQ(q.references[2].name, "data/x");
  EXPECT_EQ(q.references[2].options.at("format"), "csv");
  EXPECT_EQ(q.references[2].options.at("header"), "true");
  EXPECT_EQ(RefText(q, 2), "STREAM read_files('data/x', format => 'csv', header => true)");
  EXPECT_EQ(q.references[3].options.at("format"), "json");
  EXPECT_TRUE(q.references[3].streaming);
}

TEST(ParserTest, StringsAndCommentsHideKeywords) {
  Script script = MustParse(
      "-- FROM fake; CREATE\n"
      "CREATE MATERIALIZED VIEW m /* FROM nope; */ AS SELECT 'FROM x; y' AS s, \"FROM\" FROM "
      "real_t;");
  ASSERT_EQ(script.statements.size(), 1u);
  const Query& q = *DatasetAt(script, 0).query;
  ASSERT_EQ(q.references.size(), 1u);
  EXPECT_EQ(q.references[0].name, "real_t");
}

TEST(ParserTest, IsDistinctFromReadsNoTable) {
  Script script = MustParse(
      "CREATE MATERIALIZED VIEW m AS SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM c "
      "FROM t JOIN u ON t.k IS NOT DISTINCT FROM u.k;");
  const Query& q = *DatasetAt(script, 0).query;
  ASSERT_EQ(q.references.size(), 2u) << q.text;
  EXPECT_EQ(q.references[0].name, "t");
  EXPECT_EQ(q.references[1].name, "u");
}

TEST(ParserTest, ErrorsNameFileLineColumnWithCaret) {
  auto script =
      ParseScript("CREATE MATERIALIZED VIEW m AS SELECT 1;\nCREATE TABLE t AS SELECT 1;", "p.sql");
  ASSERT_FALSE(script.ok());
  EXPECT_NE(script.status().message().find("p.sql:2:1: CREATE TABLE is not a pipeline dataset"),
            std::string::npos)
      << script.status().message();
  EXPECT_NE(script.status().message().find("\n  CREATE TABLE t AS SELECT 1;\n  ^"),
            std::string::npos)
      << script.status().message();

  auto bad = ParseScript(
      "CREATE STREAMING TABLE t (\n  CONSTRAINT c EXPECT (x > 0) ON VIOLATION STOP\n)", "p.sql");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(
      bad.status().message().find("p.sql:2:44: expected FAIL UPDATE or DROP ROW but found 'STOP'"),
      std::string::npos)
      << bad.status().message();

  auto duplicate = ParseScript(
      "CREATE MATERIALIZED VIEW t (CONSTRAINT c EXPECT (a), CONSTRAINT C EXPECT (b)) AS SELECT 1",
      "p.sql");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("defined twice"), std::string::npos);

  auto other = ParseScript("DROP TABLE x", "p.sql");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("unsupported statement"), std::string::npos);

  auto unterminated = ParseScript("CREATE MATERIALIZED VIEW t AS SELECT 'abc", "p.sql");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("p.sql:1:38: unterminated string"),
            std::string::npos)
      << unterminated.status().message();
}

TEST(SubstitutionTest, ReplacesKeysAndReportsUnknownOnes) {
  auto text = SubstituteVariables("SELECT '${a}' FROM read_files('${path}/x')", "f.sql",
                                  {{"a", "1"}, {"path", "/data"}});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "SELECT '1' FROM read_files('/data/x')");
  auto unknown = SubstituteVariables("SELECT 1;\nSELECT ${pth}", "f.sql", {{"path", "/d"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("f.sql:2:8: unknown configuration key 'pth'"),
            std::string::npos)
      << unknown.status().message();
  EXPECT_NE(unknown.status().message().find("did you mean 'path'"), std::string::npos);
}

TEST(DiagnosticsTest, NearestName) {
  EXPECT_EQ(NearestName("ordrs", {"orders", "customers"}), "orders");
  EXPECT_EQ(NearestName("ORDERS", {"orders"}), "orders");
  EXPECT_EQ(NearestName("zzzzzz", {"orders", "customers"}), "");
}

TEST(ParserTest, RandomInputNeverCrashes) {
  const std::string alphabet = "CREATE STREAM(),;'\"`-/* \nASFROMSELECTx.=>";
  uint64_t state = 12345;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int length = static_cast<int>(state % 80);
    for (int k = 0; k < length; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      text += alphabet[(state >> 33) % alphabet.size()];
    }
    (void)ParseScript("CREATE MATERIALIZED VIEW m AS SELECT * FROM " + text, "fuzz.sql");
    (void)ParseScript(text, "fuzz.sql");
  }
}

}  // namespace
}  // namespace sluice::sql
