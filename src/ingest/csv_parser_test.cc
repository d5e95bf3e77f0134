#include "ingest/csv_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::ingest {
namespace {

// "<line>: name=[text] name=NULL ... !error" for one record.
std::string Render(const Record& record) {
  std::string out = std::to_string(record.line) + ":";
  for (const RawField& field : record.fields) {
    out += " ";
    out += field.name;
    if (field.kind == FieldKind::kNull) {
      EXPECT_TRUE(field.text.empty());
      out += "=NULL";
    } else {
      EXPECT_EQ(field.kind, FieldKind::kString);
      out += "=[" + std::string(field.text) + "]";
    }
  }
  if (record.malformed) out += " !" + record.error;
  return out;
}

struct Parsed {
  std::vector<std::string> rows;
  std::vector<std::string> raws;
  std::vector<std::string> header;
};

// Parses all of `data` with one Record reused across calls, as readers do.
Parsed ParseAll(std::string_view data, const CsvOptions& options = {}) {
  auto parser = CsvParser::Make(data, options);
  Parsed parsed;
  Record record;
  while (true) {
    Result<bool> next = parser->Next(record);
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !*next) break;
    parsed.rows.push_back(Render(record));
    parsed.raws.emplace_back(record.raw);
  }
  parsed.header = parser->header();
  return parsed;
}

using Rows = std::vector<std::string>;

TEST(CsvParserTest, FieldsArePositionalWithoutHeader) {
  Parsed parsed = ParseAll("a,b,c\n1,2,3\n");
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=[a] _c1=[b] _c2=[c]", "2: _c0=[1] _c1=[2] _c2=[3]"}));
  EXPECT_EQ(parsed.raws, (Rows{"a,b,c", "1,2,3"}));
  EXPECT_TRUE(parsed.header.empty());
}

TEST(CsvParserTest, HeaderNamesFieldsAndIsNotARecord) {
  CsvOptions options;
  options.header = true;
  Parsed parsed = ParseAll("id,\"full name\"\n1,x\n2,y", options);
  EXPECT_EQ(parsed.header, (Rows{"id", "full name"}));
  EXPECT_EQ(parsed.rows, (Rows{"2: id=[1] full name=[x]", "3: id=[2] full name=[y]"}));
}

TEST(CsvParserTest, HeaderGapsAndExtraCellsArePositional) {
  CsvOptions options;
  options.header = true;
  Parsed parsed = ParseAll("a,,c\n1,2,3,4\n5\n", options);
  EXPECT_EQ(parsed.header, (Rows{"a", "_c1", "c"}));
  EXPECT_EQ(parsed.rows, (Rows{"2: a=[1] _c1=[2] c=[3] _c3=[4]", "3: a=[5]"}));
}

TEST(CsvParserTest, RepeatedHeaderNamesGetTheirPosition) {
  CsvOptions options;
  options.header = true;
  Parsed parsed = ParseAll("id,a,A,b,a\n1,2,3,4,5\n", options);
  EXPECT_EQ(parsed.header, (Rows{"id", "a1", "A2", "b", "a4"}));
  EXPECT_EQ(parsed.rows, (Rows{"2: id=[1] a1=[2] A2=[3] b=[4] a4=[5]"}));
}

TEST(CsvParserTest, HeaderAfterBlankAndCommentLines) {
  CsvOptions options;
  options.header = true;
  options.comment = '#';
  Parsed parsed = ParseAll("\n# generated\nk,v\n\n# note\nx,1\n", options);
  EXPECT_EQ(parsed.header, (Rows{"k", "v"}));
  EXPECT_EQ(parsed.rows, (Rows{"6: k=[x] v=[1]"}));
}

TEST(CsvParserTest, EmptyInputs) {
  CsvOptions options;
  options.header = true;
  EXPECT_TRUE(ParseAll("", options).rows.empty());
  EXPECT_TRUE(ParseAll("", options).header.empty());
  Parsed header_only = ParseAll("a,b\n", options);
  EXPECT_TRUE(header_only.rows.empty());
  EXPECT_EQ(header_only.header, (Rows{"a", "b"}));
  EXPECT_TRUE(ParseAll("\n\r\n\r").rows.empty());
}

TEST(CsvParserTest, EmptyUnquotedIsNullAndEmptyQuotedIsEmptyString) {
  Parsed parsed = ParseAll(",\"\",x,  \n");
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=NULL _c1=[] _c2=[x] _c3=[  ]"}));
  EXPECT_EQ(ParseAll("a,\n").rows, (Rows{"1: _c0=[a] _c1=NULL"}));
}

TEST(CsvParserTest, NullValueAppliesToUnquotedFieldsOnly) {
  CsvOptions options;
  options.null_value = "NA";
  Parsed parsed = ParseAll("NA,,\"NA\",NAN\n", options);
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=NULL _c1=[] _c2=[NA] _c3=[NAN]"}));
}

TEST(CsvParserTest, QuotesDoubledAndEscaped) {
  const std::string data = R"("a,b","say ""hi""","q\"q","bs\\","lit\n",plain\"x)"
                           "\n";
  Parsed parsed = ParseAll(data);
  EXPECT_EQ(
      parsed.rows,
      (Rows{R"(1: _c0=[a,b] _c1=[say "hi"] _c2=[q"q] _c3=[bs\] _c4=[lit\n] _c5=[plain\"x])"}));
  EXPECT_EQ(parsed.raws, (Rows{data.substr(0, data.size() - 1)}));
}

TEST(CsvParserTest, EscapeEqualToQuote) {
  CsvOptions options;
  options.escape = '"';
  EXPECT_EQ(ParseAll(R"("a""b",c)").rows, (Rows{R"(1: _c0=[a"b] _c1=[c])"}));
}

TEST(CsvParserTest, NoEscapeAndNoQuote) {
  CsvOptions no_escape;
  no_escape.escape = '\0';
  EXPECT_EQ(ParseAll(R"("a\",b)", no_escape).rows, (Rows{R"(1: _c0=[a\] _c1=[b])"}));
  CsvOptions no_quote;
  no_quote.quote = '\0';
  EXPECT_EQ(ParseAll(R"("a,b")", no_quote).rows, (Rows{R"(1: _c0=["a] _c1=[b"])"}));
}

TEST(CsvParserTest, TextAfterClosingQuoteKeepsTheWholeField) {
  EXPECT_EQ(ParseAll(R"("ab"cd,e)").rows, (Rows{R"(1: _c0=["ab"cd] _c1=[e])"}));
  // Spaces after the closing quote are dropped.
  EXPECT_EQ(ParseAll("\"ab\"  ,e\n").rows, (Rows{"1: _c0=[ab] _c1=[e]"}));
}

TEST(CsvParserTest, MultiCharacterDelimiter) {
  CsvOptions options;
  options.delimiter = "||";
  EXPECT_EQ(ParseAll("a||b||c\n1|2||\"3||4\"||\n", options).rows,
            (Rows{"1: _c0=[a] _c1=[b] _c2=[c]", "2: _c0=[1|2] _c1=[3||4] _c2=NULL"}));
  options.delimiter = "\t";
  EXPECT_EQ(ParseAll("a b\tc,d\n", options).rows, (Rows{"1: _c0=[a b] _c1=[c,d]"}));
}

TEST(CsvParserTest, CommentLinesAreSkippedOnlyAtLineStart) {
  CsvOptions options;
  options.comment = '#';
  EXPECT_EQ(ParseAll("#c\na,#b\n #x\n#y,z", options).rows,
            (Rows{"2: _c0=[a] _c1=[#b]", "3: _c0=[ #x]"}));
  // Without a comment character '#' is data.
  EXPECT_EQ(ParseAll("#c\n").rows, (Rows{"1: _c0=[#c]"}));
}

TEST(CsvParserTest, WhitespaceIsKeptUnlessTrimmed) {
  const std::string data = " a , b ,  \"x\" \n";
  EXPECT_EQ(ParseAll(data).rows, (Rows{R"(1: _c0=[ a ] _c1=[ b ] _c2=[  "x" ])"}));
  CsvOptions leading;
  leading.ignore_leading_white_space = true;
  EXPECT_EQ(ParseAll(data, leading).rows, (Rows{"1: _c0=[a ] _c1=[b ] _c2=[x]"}));
  CsvOptions trailing;
  trailing.ignore_trailing_white_space = true;
  EXPECT_EQ(ParseAll(data, trailing).rows, (Rows{R"(1: _c0=[ a] _c1=[ b] _c2=[  "x"])"}));
  CsvOptions both = leading;
  both.ignore_trailing_white_space = true;
  EXPECT_EQ(ParseAll(data, both).rows, (Rows{"1: _c0=[a] _c1=[b] _c2=[x]"}));
  // Quoted spaces stay; a field of spaces trims to the empty string, which is NULL.
  EXPECT_EQ(ParseAll("\" a \",  ,b\n", both).rows, (Rows{"1: _c0=[ a ] _c1=NULL _c2=[b]"}));
}

TEST(CsvParserTest, LineEndingsAndLineNumbers) {
  Parsed parsed = ParseAll("a\r\nb\rc\nd");
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=[a]", "2: _c0=[b]", "3: _c0=[c]", "4: _c0=[d]"}));
  EXPECT_EQ(parsed.raws, (Rows{"a", "b", "c", "d"}));
  // Empty and blank lines are skipped but counted.
  EXPECT_EQ(ParseAll("\n\na,1\n\n \t \nb,2\n\n").rows,
            (Rows{"3: _c0=[a] _c1=[1]", "6: _c0=[b] _c1=[2]"}));
}

TEST(CsvParserTest, MultiLineQuotedFieldsSpanLines) {
  CsvOptions options;
  options.multi_line = true;
  Parsed parsed = ParseAll("1,\"x\ny\"\r\n2,\"p\"\"\r\nq\"\n3,z", options);
  EXPECT_EQ(parsed.rows,
            (Rows{"1: _c0=[1] _c1=[x\ny]", "3: _c0=[2] _c1=[p\"\r\nq]", "5: _c0=[3] _c1=[z]"}));
  EXPECT_EQ(parsed.raws, (Rows{"1,\"x\ny\"", "2,\"p\"\"\r\nq\"", "3,z"}));
}

TEST(CsvParserTest, LineBreakInQuotesWithoutMultiLineIsMalformed) {
  Parsed parsed = ParseAll("1,\"ab\n2,c\n");
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=[1] _c1=[ab] !unclosed quote", "2: _c0=[2] _c1=[c]"}));
  EXPECT_EQ(parsed.raws, (Rows{"1,\"ab", "2,c"}));
  EXPECT_EQ(ParseAll("\"x\"\"y").rows, (Rows{"1: _c0=[x\"y] !unclosed quote"}));
}

TEST(CsvParserTest, UnclosedQuoteWithMultiLineRunsToTheEnd) {
  CsvOptions options;
  options.multi_line = true;
  Parsed parsed = ParseAll("0\n1,\"ab\n2,c\n", options);
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=[0]", "2: _c0=[1] _c1=[ab\n2,c\n] !unclosed quote"}));
  EXPECT_EQ(parsed.raws, (Rows{"0", "1,\"ab\n2,c\n"}));
}

TEST(CsvParserTest, MalformedFlagIsResetOnTheNextRecord) {
  auto parser = CsvParser::Make("\"a\nb\n", {});
  Record record;
  ASSERT_TRUE(*parser->Next(record));
  EXPECT_TRUE(record.malformed);
  ASSERT_TRUE(*parser->Next(record));
  EXPECT_FALSE(record.malformed);
  EXPECT_EQ(record.error, "");
  EXPECT_EQ(Render(record), "2: _c0=[b]");
  EXPECT_FALSE(*parser->Next(record));
}

TEST(CsvParserTest, ManyUnescapedFieldsKeepTheirText) {
  // Every field goes through the unescape buffer, which grows while the record is read.
  std::string data;
  std::string expected = "1:";
  for (int i = 0; i < 200; ++i) {
    if (i > 0) data += ",";
    const std::string value = "v" + std::to_string(i) + std::string(i % 17, 'x');
    data += "\"" + value + "\"\"\"";
    expected += " _c" + std::to_string(i) + "=[" + value + "\"]";
  }
  EXPECT_EQ(ParseAll(data).rows, (Rows{expected}));
}

// Line breaks in `text`: \n, \r\n and lone \r each count once.
int CountLineBreaks(const std::string& text) {
  int count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++count;
    }
  }
  return count;
}

// Writes generated rows the way a CSV writer quotes them and reads them back.
TEST(CsvParserTest, RoundTripsGeneratedRows) {
  uint32_t seed = 12345;
  auto next = [&seed]() {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
  };
  const std::string alphabet = "ab ,\"\n\r\\;x";
  CsvOptions options;
  options.multi_line = true;
  options.escape = '\0';  // quotes are doubled, as most writers do
  std::string data;
  Rows expected;
  for (int row = 0; row < 300; ++row) {
    std::string rendered = std::to_string(1 + CountLineBreaks(data)) + ":";
    const int fields = 1 + static_cast<int>(next() % 5);
    for (int f = 0; f < fields; ++f) {
      std::string value;
      const int size = 1 + static_cast<int>(next() % 8);
      for (int k = 0; k < size; ++k) value += alphabet[next() % alphabet.size()];
      if (f > 0) data += ",";
      data += "\"";
      for (char c : value) {
        data += c;
        if (c == '"') data += '"';
      }
      data += "\"";
      rendered += " _c" + std::to_string(f) + "=[" + value + "]";
    }
    data += row % 2 == 0 ? "\n" : "\r\n";
    expected.push_back(rendered);
  }
  EXPECT_EQ(ParseAll(data, options).rows, expected);
}

TEST(CsvParserTest, LineNumbersCountBreaksInsideQuotedFields) {
  CsvOptions options;
  options.multi_line = true;
  Parsed parsed = ParseAll("\"a\r\n\rb\n\",1\n\n\"c\"\r\"\n\"\n", options);
  EXPECT_EQ(parsed.rows, (Rows{"1: _c0=[a\r\n\rb\n] _c1=[1]", "6: _c0=[c]", "7: _c0=[\n]"}));
}

}  // namespace
}  // namespace sluice::ingest
