#include "delta/predicate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::delta {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ExpressionPtr Parse(std::string_view sql) {
  Result<ExpressionPtr> parsed = ParsePredicate(sql);
  EXPECT_TRUE(parsed.ok()) << sql << ": " << parsed.status().ToString();
  if (!parsed.ok()) return MakeExpression(LiteralExpr{});
  return std::move(parsed).value();
}

std::string RoundTrip(std::string_view sql) { return Parse(sql)->ToSql(); }

std::string ErrorOf(std::string_view sql) {
  Result<ExpressionPtr> parsed = ParsePredicate(sql);
  EXPECT_FALSE(parsed.ok()) << sql << " parsed as " << (parsed.ok() ? (*parsed)->ToSql() : "");
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

struct RoundTripCase {
  std::string input;
  std::string expected;
};

class RoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTripTest, PrintsDuckDbSqlThatParsesBackToItself) {
  const RoundTripCase& test = GetParam();
  std::string printed = RoundTrip(test.input);
  EXPECT_EQ(printed, test.expected) << "input: " << test.input;
  EXPECT_EQ(RoundTrip(printed), printed) << "printed: " << printed;
  EXPECT_EQ(Parse(test.input)->Clone()->ToSql(), printed);
}

INSTANTIATE_TEST_SUITE_P(
    Predicates, RoundTripTest,
    ::testing::Values(
        RoundTripCase{"id > 5", "id > 5"},
        RoundTripCase{"id > 5 AND letter = 'a'", "id > 5 AND letter = 'a'"},
        RoundTripCase{"a OR b AND c", "a OR (b AND c)"},
        RoundTripCase{"(a OR b) AND c", "(a OR b) AND c"},
        RoundTripCase{"a AND b OR c AND NOT d", "(a AND b) OR (c AND NOT d)"},
        RoundTripCase{"not a = 1", "NOT (a = 1)"}, RoundTripCase{"NOT NOT flag", "NOT (NOT flag)"},
        RoundTripCase{"x == 1 and y != 2 or z <> 3", "(x = 1 AND y <> 2) OR z <> 3"},
        RoundTripCase{"a<=b AND a>=c AND a<d AND a>e", "a <= b AND a >= c AND a < d AND a > e"},
        RoundTripCase{"a <=> 5", "a IS NOT DISTINCT FROM 5"},
        RoundTripCase{"a is not distinct from null", "a IS NOT DISTINCT FROM NULL"},
        RoundTripCase{"a is distinct from 1", "a IS DISTINCT FROM 1"},
        RoundTripCase{"x is null or y IS NOT NULL", "x IS NULL OR y IS NOT NULL"},
        RoundTripCase{"x ISNULL AND y NOTNULL", "x IS NULL AND y IS NOT NULL"},
        RoundTripCase{"x in (1,2,3)", "x IN (1, 2, 3)"},
        RoundTripCase{"x not in ('a','b')", "x NOT IN ('a', 'b')"},
        RoundTripCase{"x between 1 and 10 and y = 2", "x BETWEEN 1 AND 10 AND y = 2"},
        RoundTripCase{"x NOT BETWEEN -1.5 AND 2e3", "x NOT BETWEEN -1.5 AND 2e3"},
        RoundTripCase{"s like 'ab%'", "s LIKE 'ab%'"},
        RoundTripCase{"s not ilike '%x!%' escape '!'", "s NOT ILIKE '%x!%' ESCAPE '!'"},
        RoundTripCase{"s glob 'a*'", "s GLOB 'a*'"}, RoundTripCase{"a.b.c = 1", "a.b.c = 1"},
        RoundTripCase{"\"odd name\" = 1", "\"odd name\" = 1"},
        RoundTripCase{"`odd name` = 1", "\"odd name\" = 1"},
        RoundTripCase{"\"select\" = 1 AND \"Mixed\".\"a\"\"b\" = 2",
                      "\"select\" = 1 AND Mixed.\"a\"\"b\" = 2"},
        RoundTripCase{"date = DATE '2024-01-01'", "date = DATE '2024-01-01'"},
        RoundTripCase{"ts > timestamp_ntz '2024-01-01 00:00:00'",
                      "ts > TIMESTAMP '2024-01-01 00:00:00'"},
        RoundTripCase{"ts > TIMESTAMP '2024-01-01 00:00:00.5'",
                      "ts > TIMESTAMP '2024-01-01 00:00:00.5'"},
        RoundTripCase{"ts > timestamp_ltz '2024-01-01'", "ts > TIMESTAMPTZ '2024-01-01'"},
        RoundTripCase{"s = 'it''s'", "s = 'it''s'"},
        RoundTripCase{"b = true OR b = FALSE OR b = null", "b = TRUE OR b = FALSE OR b = NULL"},
        RoundTripCase{"CAST('5' AS INT) = id", "CAST('5' AS INT) = id"},
        RoundTripCase{"x = '1.5'::DECIMAL(10, 2)", "x = CAST('1.5' AS DECIMAL(10, 2))"},
        RoundTripCase{"x = try_cast(y as bigint)", "x = TRY_CAST(y AS bigint)"},
        RoundTripCase{"lower(name) = 'x'", "lower(name) = 'x'"},
        RoundTripCase{"length(s) + 1 > 5", "length(s) + 1 > 5"},
        RoundTripCase{"a + b * c = 1", "a + (b * c) = 1"},
        RoundTripCase{"(a + b) * c = 1", "(a + b) * c = 1"},
        RoundTripCase{"a - b - c = 1", "a - b - c = 1"}, RoundTripCase{"-x > 1", "-x > 1"},
        RoundTripCase{"s || 'x' = 'ax'", "s || 'x' = 'ax'"},
        RoundTripCase{"count(*) > 1", "count(*) > 1"},
        RoundTripCase{"extract(year FROM d) = 2024", "extract(year FROM d) = 2024"},
        RoundTripCase{"CASE WHEN a > 1 THEN 'x' ELSE 'y' END = 'x'",
                      "CASE WHEN a > 1 THEN 'x' ELSE 'y' END = 'x'"},
        RoundTripCase{"case a when 1 then true end", "CASE a WHEN 1 THEN TRUE END"},
        RoundTripCase{"id IN (SELECT id FROM other)", "id IN (SELECT id FROM other)"},
        RoundTripCase{"list_contains([1, 2], x)", "list_contains([1, 2], x)"},
        RoundTripCase{"m['k'] = 1", "m['k'] = 1"},
        RoundTripCase{"ts > now() - INTERVAL 1 DAY", "ts > now() - INTERVAL 1 day"},
        RoundTripCase{"d > DATE '2024-01-01' + INTERVAL '3' DAY",
                      "d > DATE '2024-01-01' + INTERVAL '3' day"},
        RoundTripCase{"id > 5 -- the rest is a comment", "id > 5"},
        RoundTripCase{"id /* inline */ > 5", "id > 5"},
        RoundTripCase{"a = 1 IS NULL", "(a = 1) IS NULL"},
        RoundTripCase{"x IS TRUE AND y is not false", "x IS TRUE AND y IS NOT FALSE"},
        RoundTripCase{"(a, b) = (1, 2)", "(a, b) = (1, 2)"}, RoundTripCase{"flag", "flag"},
        RoundTripCase{"true", "TRUE"}, RoundTripCase{"5 < c", "5 < c"},
        RoundTripCase{"x BETWEEN 1 AND 2 = true", "(x BETWEEN 1 AND 2) = TRUE"},
        RoundTripCase{"名前 = 'x'", "\"名前\" = 'x'"}));

TEST(ParsePredicateTest, OrBindsLooserThanAnd) {
  ExpressionPtr expr = Parse("a OR b AND c");
  const auto* disjunction = expr->As<OrExpr>();
  ASSERT_NE(disjunction, nullptr);
  ASSERT_EQ(disjunction->operands.size(), 2u);
  EXPECT_NE(disjunction->operands[0]->As<ColumnExpr>(), nullptr);
  const auto* conjunction = disjunction->operands[1]->As<AndExpr>();
  ASSERT_NE(conjunction, nullptr);
  EXPECT_EQ(conjunction->operands.size(), 2u);
}

TEST(ParsePredicateTest, ChainsOfOneConnectiveAreOneNode) {
  ExpressionPtr expr = Parse("a AND b AND c AND d");
  const auto* conjunction = expr->As<AndExpr>();
  ASSERT_NE(conjunction, nullptr);
  EXPECT_EQ(conjunction->operands.size(), 4u);
}

TEST(ParsePredicateTest, NotAppliesToTheWholeComparison) {
  ExpressionPtr expr = Parse("NOT a = 1");
  const auto* negation = expr->As<NotExpr>();
  ASSERT_NE(negation, nullptr);
  EXPECT_NE(negation->operand->As<CompareExpr>(), nullptr);
}

TEST(ParsePredicateTest, LiteralsKeepTheirKindAndText) {
  struct Case {
    std::string sql;
    LiteralExpr::Kind kind;
    std::string text;
    std::string type;
  };
  for (const Case& c : std::vector<Case>{
           {"x = -5", LiteralExpr::Kind::kInteger, "-5", ""},
           {"x = 99999999999999999999999", LiteralExpr::Kind::kInteger, "99999999999999999999999",
            ""},
           {"x = 1.50", LiteralExpr::Kind::kDecimal, "1.50", ""},
           {"x = .5", LiteralExpr::Kind::kDecimal, ".5", ""},
           {"x = 2E-3", LiteralExpr::Kind::kFloat, "2E-3", ""},
           {"x = 'a''b'", LiteralExpr::Kind::kString, "a'b", ""},
           {"x = TRUE", LiteralExpr::Kind::kBoolean, "true", ""},
           {"x = NULL", LiteralExpr::Kind::kNull, "", ""},
           {"x = date '2024-02-29'", LiteralExpr::Kind::kTyped, "2024-02-29", "DATE"},
           {"x = TIMESTAMP_NTZ '2024-01-01 01:02:03'", LiteralExpr::Kind::kTyped,
            "2024-01-01 01:02:03", "TIMESTAMP"},
       }) {
    SCOPED_TRACE(c.sql);
    ExpressionPtr expr = Parse(c.sql);
    const auto* compare = expr->As<CompareExpr>();
    ASSERT_NE(compare, nullptr);
    const auto* literal = compare->right->As<LiteralExpr>();
    ASSERT_NE(literal, nullptr);
    EXPECT_EQ(literal->kind, c.kind);
    EXPECT_EQ(literal->text, c.text);
    EXPECT_EQ(literal->type, c.type);
  }
}

TEST(ParsePredicateTest, ColumnPathsAreUnquotedParts) {
  ExpressionPtr expr = Parse("\"Odd\".`x y`.z IS NULL");
  const auto* is_null = expr->As<IsNullExpr>();
  ASSERT_NE(is_null, nullptr);
  const auto* column = is_null->operand->As<ColumnExpr>();
  ASSERT_NE(column, nullptr);
  EXPECT_THAT(column->path, ElementsAre("Odd", "x y", "z"));
}

TEST(ParsePredicateTest, FunctionCallsAreOpaqueButKeepTheirArguments) {
  ExpressionPtr expr = Parse("coalesce(a, b.c) = 1");
  const auto* compare = expr->As<CompareExpr>();
  ASSERT_NE(compare, nullptr);
  const auto* call = compare->left->As<OpaqueExpr>();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->children.size(), 2u);
}

TEST(ParsePredicateTest, TypeNamesAreColumnsWhenNoStringFollows) {
  ExpressionPtr expr = Parse("date > '2024-01-01' AND timestamp IS NULL AND interval = 1");
  EXPECT_THAT(ReferencedColumns(*expr),
              ElementsAre(std::vector<std::string>{"date"}, std::vector<std::string>{"timestamp"},
                          std::vector<std::string>{"interval"}));
}

TEST(ReferencedColumnsTest, ListsEachColumnOnceInOrder) {
  ExpressionPtr expr =
      Parse("a > 1 AND lower(b.c) = 'x' OR a IS NULL OR \"D\" IN (1, e) OR f BETWEEN g AND 2");
  EXPECT_THAT(ReferencedColumns(*expr),
              ElementsAre(std::vector<std::string>{"a"}, std::vector<std::string>{"b", "c"},
                          std::vector<std::string>{"D"}, std::vector<std::string>{"e"},
                          std::vector<std::string>{"f"}, std::vector<std::string>{"g"}));
}

TEST(ExpressionTest, ToSqlCanRenameColumns) {
  ExpressionPtr expr = Parse("a = 1 AND upper(b) = 'X'");
  std::string sql = expr->ToSql([](const ColumnExpr& column) { return "t." + column.path[0]; });
  EXPECT_EQ(sql, "t.a = 1 AND upper(t.b) = 'X'");
}

TEST(ParsePredicateErrorTest, NamesTheColumnAndPointsAtIt) {
  EXPECT_EQ(ErrorOf("id > 5)"),
            "filter: unexpected ')' at column 7\n"
            "  id > 5)\n"
            "        ^");
}

TEST(ParsePredicateErrorTest, ReportsWhatWasExpected) {
  EXPECT_THAT(ErrorOf("id >"),
              HasSubstr("filter: expected an expression, found end of filter at column 5"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("expected an expression, found end of filter at column 1"));
  EXPECT_THAT(ErrorOf("   "), HasSubstr("at column 4"));
  EXPECT_THAT(ErrorOf("id IN (1, 2"),
              HasSubstr("expected ',' or ')' in the IN list, found end of filter at column 12"));
  EXPECT_THAT(ErrorOf("id BETWEEN 1 5"), HasSubstr("expected AND, found '5' at column 14"));
  EXPECT_THAT(ErrorOf("x IS 5"),
              HasSubstr("expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found '5' at "
                        "column 6"));
  EXPECT_THAT(ErrorOf("f(a,)"), HasSubstr("unexpected ')' at column 5"));
  EXPECT_THAT(ErrorOf("a = 1 AND AND b"), HasSubstr("unexpected 'AND' at column 11"));
  EXPECT_THAT(ErrorOf("select * from t"), HasSubstr("unexpected 'select' at column 1"));
  EXPECT_THAT(ErrorOf("id > 5 id < 3"), HasSubstr("unexpected 'id' at column 8"));
  EXPECT_THAT(ErrorOf("(id > 5"), HasSubstr("expected ')', found end of filter at column 8"));
  EXPECT_THAT(ErrorOf("CAST(x AS)"), HasSubstr("expected a type after AS"));
  EXPECT_THAT(ErrorOf("x = [1, 2"), HasSubstr("'[' is never closed at column 5"));
}

TEST(ParsePredicateErrorTest, ReportsLexicalErrors) {
  EXPECT_EQ(ErrorOf("name = 'abc"),
            "filter: unterminated string at column 8\n"
            "  name = 'abc\n"
            "         ^");
  EXPECT_THAT(ErrorOf("\"name = 1"), HasSubstr("unterminated quoted identifier at column 1"));
  EXPECT_THAT(ErrorOf("id # 5"), HasSubstr("unexpected character '#' at column 4"));
  EXPECT_THAT(ErrorOf("id > 5 /* open"), HasSubstr("unterminated comment at column 8"));
}

TEST(ParsePredicateErrorTest, CountsCharactersNotBytesAndFlattensLines) {
  EXPECT_EQ(ErrorOf("名前 = 1)"),
            "filter: unexpected ')' at column 7\n"
            "  名前 = 1)\n"
            "        ^");
  EXPECT_EQ(ErrorOf("a = 1\nAND )"),
            "filter: unexpected ')' at column 11\n"
            "  a = 1 AND )\n"
            "            ^");
}

TEST(ParsePredicateErrorTest, RejectsDeepNestingWithoutCrashing) {
  std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_THAT(ErrorOf(deep), HasSubstr("nested too deeply"));
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  EXPECT_THAT(ErrorOf(nots + "x"), HasSubstr("nested too deeply"));
  EXPECT_THAT(ErrorOf("x = " + std::string(3000, '+') + "1"), HasSubstr("nested too deeply"));
}

}  // namespace
}  // namespace sluice::delta
