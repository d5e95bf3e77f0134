#include "ingest/text_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::ingest {
namespace {

// "<line>:[value]" per record.
std::vector<std::string> ParseAll(std::string_view data, bool whole_text = false,
                                  const std::string& line_sep = "") {
  auto parser = MakeTextParser(data, whole_text, line_sep);
  std::vector<std::string> rows;
  Record record;
  while (true) {
    Result<bool> next = parser->Next(record);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    EXPECT_EQ(record.fields.size(), 1u);
    EXPECT_EQ(record.fields[0].name, "value");
    EXPECT_EQ(record.fields[0].kind, FieldKind::kString);
    EXPECT_EQ(record.raw, record.fields[0].text);
    EXPECT_FALSE(record.malformed);
    rows.push_back(std::to_string(record.line) + ":[" + std::string(record.fields[0].text) + "]");
  }
  return rows;
}

using Rows = std::vector<std::string>;

TEST(TextParserTest, OneRecordPerLineWithAnyLineEnding) {
  EXPECT_EQ(ParseAll("a\nb\r\nc\rd"), (Rows{"1:[a]", "2:[b]", "3:[c]", "4:[d]"}));
  EXPECT_EQ(ParseAll("a\n"), (Rows{"1:[a]"}));
  EXPECT_EQ(ParseAll("a\r\n"), (Rows{"1:[a]"}));
}

TEST(TextParserTest, EmptyLinesAreEmptyValues) {
  EXPECT_EQ(ParseAll("\n\nx\n\r\n"), (Rows{"1:[]", "2:[]", "3:[x]", "4:[]"}));
  EXPECT_EQ(ParseAll("  \n"), (Rows{"1:[  ]"}));
}

TEST(TextParserTest, EmptyFileHasNoRecords) {
  EXPECT_TRUE(ParseAll("").empty());
  EXPECT_TRUE(ParseAll("", /*whole_text=*/true).empty());
  EXPECT_TRUE(ParseAll("", false, "|").empty());
}

TEST(TextParserTest, WholeTextIsOneRecord) {
  EXPECT_EQ(ParseAll("a\nb\r\n", /*whole_text=*/true), (Rows{"1:[a\nb\r\n]"}));
}

TEST(TextParserTest, LineSeparator) {
  EXPECT_EQ(ParseAll("a||b||", false, "||"), (Rows{"1:[a]", "1:[b]"}));
  EXPECT_EQ(ParseAll("a||||b", false, "||"), (Rows{"1:[a]", "1:[]", "1:[b]"}));
  // Records report the line their first character is on.
  EXPECT_EQ(ParseAll("x\ny|z\r\n|w", false, "|"), (Rows{"1:[x\ny]", "2:[z\r\n]", "3:[w]"}));
  // With "\n" as the separator a \r before it stays in the value.
  EXPECT_EQ(ParseAll("a\r\nb", false, "\n"), (Rows{"1:[a\r]", "2:[b]"}));
  // A \r ending one record and a \n starting the next are one line break, and that \n
  // is still on the first line.
  EXPECT_EQ(ParseAll("a\r\nb\nc", false, "\r"), (Rows{"1:[a]", "1:[\nb\nc]"}));
}

TEST(TextParserTest, LongFile) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "line " + std::to_string(i) + (i % 3 == 0 ? "\r\n" : "\n");
  Rows rows = ParseAll(data);
  ASSERT_EQ(rows.size(), 1000u);
  EXPECT_EQ(rows[0], "1:[line 0]");
  EXPECT_EQ(rows[999], "1000:[line 999]");
}

}  // namespace
}  // namespace sluice::ingest
