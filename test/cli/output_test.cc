#include "tools/cli/output.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"

namespace sluice::cli {
namespace {

Rows Sample() {
  Rows rows;
  rows.column_names = {"id", "name", "score", "ok", "meta"};
  rows.column_types = {"BIGINT", "VARCHAR", "DOUBLE", "BOOLEAN", "JSON"};
  rows.rows.push_back({Cell{int64_t{1}}, Cell{std::string("a,b")}, Cell{1.5}, Cell{true},
                       Cell{std::string(R"({"k":[1,2]})")}});
  rows.rows.push_back(
      {Cell{int64_t{22}}, Cell{std::string("say \"hi\"\nbye")}, Cell{}, Cell{false}, Cell{}});
  rows.rows.push_back({Cell{}, Cell{std::string("")}, Cell{-0.25}, Cell{}, Cell{}});
  return rows;
}

TEST(OutputTest, ParsesFormatNames) {
  EXPECT_EQ(ParseFormat("table"), Format::kTable);
  EXPECT_EQ(ParseFormat("csv"), Format::kCsv);
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  EXPECT_EQ(ParseFormat("xml"), std::nullopt);
}

TEST(OutputTest, TableAlignsColumns) {
  EXPECT_EQ(RenderTable(Sample()),
            "+------+---------------+-------+-------+-------------+\n"
            "| id   | name          | score | ok    | meta        |\n"
            "+------+---------------+-------+-------+-------------+\n"
            "|    1 | a,b           |   1.5 | true  | {\"k\":[1,2]} |\n"
            "|   22 | say \"hi\"\\nbye |  NULL | false | NULL        |\n"
            "| NULL |               | -0.25 | NULL  | NULL        |\n"
            "+------+---------------+-------+-------+-------------+\n");
}

TEST(OutputTest, TableCountsCodePointsNotBytes) {
  Rows rows;
  rows.column_names = {"w"};
  rows.column_types = {"VARCHAR"};
  rows.rows.push_back({Cell{std::string("\xC3\xA9t\xC3\xA9")}});  // "été"
  EXPECT_EQ(RenderTable(rows),
            "+-----+\n"
            "| w   |\n"
            "+-----+\n"
            "| \xC3\xA9t\xC3\xA9 |\n"
            "+-----+\n");
}

TEST(OutputTest, TableWithoutRowsHasOnlyTheHeader) {
  Rows rows;
  rows.column_names = {"a"};
  rows.column_types = {"BIGINT"};
  EXPECT_EQ(RenderTable(rows), "+---+\n| a |\n+---+\n");
}

TEST(OutputTest, CsvFollowsRfc4180) {
  EXPECT_EQ(RenderCsv(Sample()),
            "id,name,score,ok,meta\r\n"
            "1,\"a,b\",1.5,true,\"{\"\"k\"\":[1,2]}\"\r\n"
            "22,\"say \"\"hi\"\"\nbye\",,false,\r\n"
            ",\"\",-0.25,,\r\n");
}

TEST(OutputTest, JsonIsTyped) {
  EXPECT_EQ(RenderJson(Sample()),
            "[\n"
            "{\"id\":1,\"name\":\"a,b\",\"score\":1.5,\"ok\":true,\"meta\":{\"k\":[1,2]}},\n"
            "{\"id\":22,\"name\":\"say \\\"hi\\\"\\nbye\",\"score\":null,\"ok\":false,"
            "\"meta\":null},\n"
            "{\"id\":null,\"name\":\"\",\"score\":-0.25,\"ok\":null,\"meta\":null}\n"
            "]\n");
}

TEST(OutputTest, JsonOfNoRowsIsAnEmptyArray) {
  Rows rows;
  rows.column_names = {"a"};
  EXPECT_EQ(RenderJson(rows), "[]\n");
}

TEST(OutputTest, JsonEscapesControlCharactersAndNonFiniteNumbers) {
  EXPECT_EQ(JsonString(std::string("a\x01\\b\t", 5)), "\"a\\u0001\\\\b\\t\"");
  EXPECT_EQ(JsonValue(Cell{std::nan("")}, "DOUBLE"), "\"NaN\"");
  EXPECT_EQ(JsonValue(Cell{-INFINITY}, "DOUBLE"), "\"-Infinity\"");
  EXPECT_EQ(JsonValue(Cell{std::string("12")}, "DECIMAL(4,2)"), "\"12\"");
}

}  // namespace
}  // namespace sluice::cli
