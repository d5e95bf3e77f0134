#include "sql/spark_compat.h"

#include <gtest/gtest.h>

namespace sluice::sql {
namespace {

std::string Translate(const std::string& sql) {
  auto out = TranslateSparkSql(sql);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : "";
}

TEST(SparkCompatTest, TypesBecomeDuckDbTypes) {
  EXPECT_EQ(*TranslateSparkType("LONG"), "BIGINT");
  EXPECT_EQ(*TranslateSparkType("string"), "VARCHAR");
  EXPECT_EQ(*TranslateSparkType("DECIMAL(10,2)"), "DECIMAL(10,2)");
  EXPECT_EQ(*TranslateSparkType("ARRAY<STRUCT<a: INT, b STRING>>"),
            "STRUCT(\"a\" INTEGER, \"b\" VARCHAR)[]");
  EXPECT_EQ(*TranslateSparkType("MAP<STRING, LONG>"), "MAP(VARCHAR, BIGINT)");
  EXPECT_FALSE(TranslateSparkType("ARRAY<INT").ok());
}

TEST(SparkCompatTest, PatternsBecomeStrftime) {
  EXPECT_EQ(*SparkPatternToStrftime("yyyy-MM-dd HH:mm:ss"), "%Y-%m-%d %H:%M:%S");
  EXPECT_EQ(*SparkPatternToStrftime("dd/MM/yy"), "%d/%m/%y");
  EXPECT_EQ(*SparkPatternToStrftime("yyyy-MM-dd'T'HH:mm:ss.SSS"), "%Y-%m-%dT%H:%M:%S.%g");
  EXPECT_FALSE(SparkPatternToStrftime("yyyy-MM-dd 'T").ok());
}

TEST(SparkCompatTest, RewritesKeepStringsCommentsAndPlaceholders) {
  EXPECT_EQ(Translate("SELECT nvl(a, 'nvl(x)') -- nvl(\nFROM __sluice_ref_0__"),
            "SELECT coalesce(a, 'nvl(x)') -- nvl(\nFROM __sluice_ref_0__");
  EXPECT_EQ(Translate("SELECT CAST(x AS LONG), CAST(y AS STRING) FROM t"),
            "SELECT TRY_CAST(x AS BIGINT), TRY_CAST(y AS VARCHAR) FROM t");
  EXPECT_EQ(Translate("SELECT * FROM t WHERE name RLIKE '^a' AND b NOT RLIKE 'x'"),
            "SELECT * FROM t WHERE regexp_matches(name, '^a') AND NOT regexp_matches(b, 'x')");
  EXPECT_EQ(Translate("SELECT * EXCEPT (a, b), t.* EXCEPT (c) FROM t EXCEPT SELECT * FROM u"),
            "SELECT * EXCLUDE (a, b), t.* EXCLUDE (c) FROM t EXCEPT SELECT * FROM u");
  EXPECT_EQ(Translate("SELECT details:flow_progress.status FROM e"),
            "SELECT json_extract_string(details, '$.flow_progress.status') FROM e");
  EXPECT_EQ(Translate("SELECT to_date(s, 'dd/MM/yyyy')"),
            "SELECT CAST(try_strptime(CAST(s AS VARCHAR), '%d/%m/%Y') AS DATE)");
}

TEST(SparkCompatTest, StringLiteralsTakeSparkEscapes) {
  EXPECT_EQ(Translate("SELECT '(\\\\w+)', 'it\\'s', 'a''b'"), "SELECT '(\\w+)', 'it''s', 'a''b'");
}

TEST(SparkCompatTest, SlidingWindowsAreRefused) {
  EXPECT_FALSE(TranslateSparkSql("SELECT window(ts, '10 minutes', '5 minutes') FROM t").ok());
  EXPECT_TRUE(TranslateSparkSql("SELECT window(ts, '10 minutes') FROM t").ok());
}

}  // namespace
}  // namespace sluice::sql
