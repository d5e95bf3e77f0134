#include "runtime/jdbc_pushdown.h"

#include <gtest/gtest.h>

#include "spark/parser.h"
#include "spark/references.h"

namespace sluice::runtime {
namespace {

using sources::PostgresCondition;

struct Parsed {
  spark::ParsedQuery query;
  spark::Relation* relation = nullptr;
};

Parsed Parse(const std::string& sql) {
  auto parsed = spark::ParseQueryText(sql, "q.sql");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  Parsed out{std::move(*parsed), nullptr};
  for (spark::Relation* relation : spark::AnnotateReferences(*out.query.query)) {
    if (relation->kind == spark::RelationKind::kFunction) out.relation = relation;
  }
  return out;
}

std::string Describe(const PostgresCondition& c) {
  std::string out = c.column + " ";
  switch (c.kind) {
    case PostgresCondition::Kind::kCompare:
      return out + c.op + " " + c.values[0];
    case PostgresCondition::Kind::kIn:
      out += "IN";
      for (const std::string& v : c.values) out += " " + v;
      return out;
    case PostgresCondition::Kind::kIsNull:
      return out + "IS NULL";
    case PostgresCondition::Kind::kIsNotNull:
      return out + "IS NOT NULL";
  }
  return out;
}

std::vector<std::string> Conditions(const std::string& sql) {
  Parsed parsed = Parse(sql);
  std::vector<std::string> out;
  for (const PostgresCondition& c : PushableConditions(*parsed.query.query, *parsed.relation)) {
    out.push_back(Describe(c));
  }
  return out;
}

TEST(JdbcPushdownTest, ConjunctsComparingAColumnWithLiteralsArePushed) {
  EXPECT_EQ(Conditions("SELECT a FROM read_jdbc(dbtable => 't') AS x WHERE x.a > 5 AND 10 >= b "
                       "AND c IN ('p', 'q') AND d IS NOT NULL AND e BETWEEN -1 AND 2.5 "
                       "AND f = true AND g IS NULL AND h != 'z'"),
            (std::vector<std::string>{"a > 5", "b <= 10", "c IN p q", "d IS NOT NULL", "e >= -1",
                                      "e <= 2.5", "f = true", "g IS NULL", "h <> z"}));
}

TEST(JdbcPushdownTest, OtherConditionsAreLeftToTheQuery) {
  EXPECT_EQ(Conditions("SELECT a FROM read_jdbc(dbtable => 't') WHERE a > 1 OR b = 2"),
            std::vector<std::string>{});
  EXPECT_EQ(Conditions("SELECT a FROM read_jdbc(dbtable => 't') WHERE a + 1 > 2 AND "
                       "upper(b) = 'X' AND c NOT IN (1) AND d = e AND y.f = 1"),
            std::vector<std::string>{});
  // A join: the conditions may be about the other side.
  EXPECT_EQ(Conditions("SELECT * FROM read_jdbc(dbtable => 't') JOIN u ON true WHERE a = 1"),
            std::vector<std::string>{});
}

TEST(JdbcPushdownTest, ColumnsUsedAreEveryNameTheQueryMentions) {
  Parsed parsed = Parse(
      "SELECT a, count(*) AS n, sum(b) FILTER (WHERE c > 0) OVER (PARTITION BY d) FROM "
      "read_jdbc(dbtable => 't') WHERE e = 1 GROUP BY a HAVING max(f) > 0");
  auto used = ColumnsUsed(*parsed.query.query, *parsed.relation);
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(*used, (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  for (const char* all : {"SELECT * FROM read_jdbc(dbtable => 't')",
                          "SELECT struct(*) FROM read_jdbc(dbtable => 't')",
                          "SELECT a FROM read_jdbc(dbtable => 't') AS x (a, b)"}) {
    Parsed star = Parse(all);
    EXPECT_FALSE(ColumnsUsed(*star.query.query, *star.relation).has_value()) << all;
  }
}

}  // namespace
}  // namespace sluice::runtime
