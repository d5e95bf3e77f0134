#include "ingest/json_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string KindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kNull:
      return "null";
    case FieldKind::kString:
      return "str";
    case FieldKind::kNumber:
      return "num";
    case FieldKind::kBool:
      return "bool";
    case FieldKind::kObject:
      return "obj";
    case FieldKind::kArray:
      return "arr";
  }
  return "?";
}

// A record copied out of the parser's buffers.
struct Got {
  std::vector<std::string> fields;  // "name kind text"
  std::string raw;
  int64_t line = 0;
  bool malformed = false;
  std::string error;
};

Got Copy(const Record& record) {
  Got got;
  for (const RawField& field : record.fields) {
    got.fields.push_back(std::string(field.name) + " " + KindName(field.kind) + " " +
                         std::string(field.text));
  }
  got.raw = std::string(record.raw);
  got.line = record.line;
  got.malformed = record.malformed;
  got.error = record.error;
  return got;
}

std::vector<Got> ReadAll(RecordParser& parser) {
  std::vector<Got> all;
  Record record;
  while (true) {
    Result<bool> more = parser.Next(record);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    all.push_back(Copy(record));
  }
  // The end is sticky.
  Result<bool> again = parser.Next(record);
  EXPECT_TRUE(again.ok() && !*again);
  return all;
}

std::vector<Got> Lines(std::string_view data) { return ReadAll(*MakeJsonLinesParser(data)); }
std::vector<Got> MultiLine(std::string_view data) {
  return ReadAll(*MakeJsonMultiLineParser(data));
}

// ---- JSON Lines ----

TEST(JsonLinesParserTest, ReadsEveryKindOfField) {
  const std::string data = R"({"s":"x","n":42,"t":true,"f":false,"z":null})"
                           "\n"
                           R"({"o":{"k":1},"a":[1,"two"]})";
  std::vector<Got> got = Lines(data);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_THAT(got[0].fields,
              ElementsAre("s str x", "n num 42", "t bool true", "f bool false", "z null "));
  EXPECT_EQ(got[0].line, 1);
  EXPECT_FALSE(got[0].malformed);
  EXPECT_EQ(got[0].raw, R"({"s":"x","n":42,"t":true,"f":false,"z":null})");
  EXPECT_THAT(got[1].fields, ElementsAre(R"(o obj {"k":1})", R"(a arr [1,"two"])"));
  EXPECT_EQ(got[1].line, 2);
}

TEST(JsonLinesParserTest, NumbersKeepTheTextAsWritten) {
  std::vector<Got> got =
      Lines(R"({"a":1.50,"b":1e3,"c":-0,"d":123456789012345678901234567890,"e":-2.5E-7})");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].fields, ElementsAre("a num 1.50", "b num 1e3", "c num -0",
                                         "d num 123456789012345678901234567890", "e num -2.5E-7"));
}

TEST(JsonLinesParserTest, WhitespaceAroundTokensIsNotPartOfTheText) {
  std::vector<Got> got = Lines("  { \"a\" : 1.0 ,\t\"b\" : true , \"c\" : \"x y\" }  ");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].fields, ElementsAre("a num 1.0", "b bool true", "c str x y"));
  EXPECT_EQ(got[0].raw, "  { \"a\" : 1.0 ,\t\"b\" : true , \"c\" : \"x y\" }  ");
}

TEST(JsonLinesParserTest, StringsAndKeysAreDecoded) {
  std::vector<Got> got =
      Lines(R"({"q":"say \"hi\"\\ \/ \b\f\n\r\t","e":"caf\u00e9","smile":"\ud83d\ude00",)"
            R"("k\u00e9y":"v","日本":"語","emoji":"😀"})");
  ASSERT_EQ(got.size(), 1u);
  ASSERT_FALSE(got[0].malformed) << got[0].error;
  EXPECT_THAT(got[0].fields, ElementsAre("q str say \"hi\"\\ / \b\f\n\r\t", "e str caf\xC3\xA9",
                                         "smile str \xF0\x9F\x98\x80", "k\xC3\xA9y str v",
                                         "日本 str 語", "emoji str 😀"));
}

TEST(JsonLinesParserTest, NestedValuesBecomeCompactJsonKeepingTheirText) {
  std::vector<Got> got =
      Lines(R"({"o": { "x" : [ 1 , 2.50, "a b" , "\u00e9" ], "y": {} }, "a" : [ {"k" : null} ], )"
            R"("e": [], "compact":{"p":[true,1e3]}})");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].fields,
              ElementsAre(R"(o obj {"x":[1,2.50,"a b","\u00e9"],"y":{}})", R"(a arr [{"k":null}])",
                          "e arr []", R"(compact obj {"p":[true,1e3]})"));
}

TEST(JsonLinesParserTest, CompactNestedValuesPointIntoTheInput) {
  const std::string data = R"({"a":{"b":[1,2]},"c":3})";
  auto parser = MakeJsonLinesParser(data);
  Record record;
  ASSERT_TRUE(parser->Next(record).value());
  ASSERT_EQ(record.fields.size(), 2u);
  EXPECT_EQ(record.fields[0].text, R"({"b":[1,2]})");
  EXPECT_EQ(record.fields[0].text.data(), data.data() + 5);
  EXPECT_EQ(record.fields[1].text.data(), data.data() + 21);
  EXPECT_EQ(record.raw.data(), data.data());
}

TEST(JsonLinesParserTest, ManyNestedValuesWithWhitespaceAllStayValid) {
  std::string line = "{";
  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) {
    if (i > 0) line += ", ";
    line += "\"f" + std::to_string(i) + "\": [ " + std::to_string(i) + " , { \"x\" : \"" +
            std::string(i, 'v') + "\" } ]";
    expected.push_back("f" + std::to_string(i) + " arr [" + std::to_string(i) + ",{\"x\":\"" +
                       std::string(i, 'v') + "\"}]");
  }
  line += "}";
  std::vector<Got> got = Lines(line);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].fields, expected);
}

TEST(JsonLinesParserTest, ARepeatedKeyIsAFieldOfItsOwn) {
  // The reader keeps the first value in its column and rescues the others.
  std::vector<Got> got = Lines(R"({"a":1,"b":2,"a":{"x":1},"b":null,"c":3})");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].fields,
              ElementsAre("a num 1", "b num 2", "a obj {\"x\":1}", "b null ", "c num 3"));
}

TEST(JsonLinesParserTest, InvalidLinesAreMalformedRecordsWithTheirText) {
  const std::vector<std::string> bad = {
      R"({"a":1,)",           // truncated
      R"({"a":1 "b":2})",     // missing comma
      R"({"a":1,})",          // trailing comma
      R"({"a":01})",          // leading zero
      R"({"a":1.})",          // no fraction digits
      R"({"a":-})",           // sign alone
      R"({"a":tru})",         // bad literal
      R"({"a":nul})",         // bad literal
      R"({"a":fals})",        // bad literal
      R"({"a":"\q"})",        // bad escape
      R"({"a":"\ud83d"})",    // lone surrogate
      "{\"a\":\"x\ty\"}",     // unescaped control character
      "{\"a\":\"\xFF\"}",     // not UTF-8
      R"({"a":[1,,2]})",      // bad nested array
      R"({"a":{"x" 1}})",     // bad nested object
      R"({"a":[{"b":01}]})",  // bad number deep inside
      R"({"a":1}})",          // trailing content
      R"({"a":1} {"b":2})",   // two objects on one line
      R"({a:1})",             // unquoted key
      R"({'a':1})",           // single quotes
  };
  for (const std::string& line : bad) {
    std::vector<Got> got = Lines("{\"ok\":1}\n" + line + "\n{\"ok\":2}");
    ASSERT_EQ(got.size(), 3u) << line;
    EXPECT_FALSE(got[0].malformed) << line;
    EXPECT_TRUE(got[1].malformed) << line;
    EXPECT_THAT(got[1].error, StartsWith("invalid JSON: ")) << line;
    EXPECT_EQ(got[1].raw, line);
    EXPECT_EQ(got[1].line, 2) << line;
    EXPECT_THAT(got[1].fields, IsEmpty()) << line;
    // The next record is clean again.
    EXPECT_FALSE(got[2].malformed) << line;
    EXPECT_EQ(got[2].error, "") << line;
    EXPECT_THAT(got[2].fields, ElementsAre("ok num 2")) << line;
  }
}

TEST(JsonLinesParserTest, ValidJsonThatIsNotAnObjectIsMalformed) {
  std::vector<Got> got = Lines("[1,2]\n42\n\"s\"\ntrue\nnull\n[{\"a\":1}]");
  ASSERT_EQ(got.size(), 6u);
  const std::vector<std::string> found = {"an array",  "a number", "a string",
                                          "a boolean", "null",     "an array"};
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(got[i].malformed);
    EXPECT_EQ(got[i].error, "expected a JSON object, found " + found[i]);
    EXPECT_EQ(got[i].line, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(got[0].raw, "[1,2]");
  EXPECT_EQ(got[5].raw, "[{\"a\":1}]");
  // Invalid JSON that is not an object says it is invalid.
  got = Lines("[1,,2]\n42x");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_THAT(got[0].error, StartsWith("invalid JSON: "));
  EXPECT_THAT(got[1].error, StartsWith("invalid JSON: "));
}

TEST(JsonLinesParserTest, BlankLinesAreSkippedButCounted) {
  std::vector<Got> got = Lines("\n   \n{\"a\":1}\r\n\t\r\n\r\n{\"a\":2}\n\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].line, 3);
  EXPECT_EQ(got[0].raw, "{\"a\":1}");
  EXPECT_EQ(got[1].line, 6);
  EXPECT_EQ(got[1].raw, "{\"a\":2}");
}

TEST(JsonLinesParserTest, LineBreaksAreNewlineCarriageReturnOrBoth) {
  std::vector<Got> got = Lines("{\"a\":1}\r{\"a\":2}\r\n{\"a\":3}\n{\"a\":4}");
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(got[i].line, i + 1);
    EXPECT_THAT(got[i].fields, ElementsAre("a num " + std::to_string(i + 1)));
  }
}

TEST(JsonLinesParserTest, EmptyInputHasNoRecords) {
  EXPECT_THAT(Lines(""), IsEmpty());
  EXPECT_THAT(Lines("\n\r\n  \n"), IsEmpty());
}

TEST(JsonLinesParserTest, AnEmptyObjectIsARecordWithoutFields) {
  std::vector<Got> got = Lines("{}\n{ }");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].malformed);
  EXPECT_THAT(got[0].fields, IsEmpty());
  EXPECT_FALSE(got[1].malformed);
}

TEST(JsonLinesParserTest, ALeadingByteOrderMarkIsSkipped) {
  std::vector<Got> got = Lines("\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].malformed) << got[0].error;
  EXPECT_EQ(got[0].raw, "{\"a\":1}");
  EXPECT_EQ(got[0].line, 1);
}

TEST(JsonLinesParserTest, LongLinesAfterShortOnes) {
  const std::string big(200000, 'x');
  std::vector<Got> got = Lines("{\"a\":1}\n{\"big\":\"" + big + "\",\"n\":[ 1 ]}\n{\"a\":2}");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_THAT(got[1].fields, ElementsAre("big str " + big, "n arr [1]"));
  EXPECT_THAT(got[2].fields, ElementsAre("a num 2"));
}

TEST(JsonLinesParserTest, NestingDeeperThanTheLimitIsMalformed) {
  auto nested = [](int depth) {
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  std::vector<Got> got = Lines(nested(900) + "\n" + nested(1001));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].malformed) << got[0].error;
  EXPECT_TRUE(got[1].malformed);
}

// ---- multiLine ----

TEST(JsonMultiLineParserTest, AnObjectIsOneRecord) {
  const std::string data = "\n\n  {\n  \"a\": 1.50,\n  \"b\": {\n    \"c\": [1, 2]\n  }\n}\n";
  std::vector<Got> got = MultiLine(data);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].malformed);
  EXPECT_THAT(got[0].fields, ElementsAre("a num 1.50", R"(b obj {"c":[1,2]})"));
  EXPECT_EQ(got[0].line, 3);
  EXPECT_EQ(got[0].raw, "{\n  \"a\": 1.50,\n  \"b\": {\n    \"c\": [1, 2]\n  }\n}");
}

TEST(JsonMultiLineParserTest, AnArrayOfObjectsIsOneRecordPerElement) {
  const std::string data = "[\n  {\"a\": 1},\n  {\"a\": 2,\n   \"b\": \"x\"},\r\n  {}\n]";
  std::vector<Got> got = MultiLine(data);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_THAT(got[0].fields, ElementsAre("a num 1"));
  EXPECT_EQ(got[0].line, 2);
  EXPECT_EQ(got[0].raw, "{\"a\": 1}");
  EXPECT_THAT(got[1].fields, ElementsAre("a num 2", "b str x"));
  EXPECT_EQ(got[1].line, 3);
  EXPECT_EQ(got[1].raw, "{\"a\": 2,\n   \"b\": \"x\"}");
  EXPECT_THAT(got[2].fields, IsEmpty());
  EXPECT_EQ(got[2].line, 5);
  for (const Got& record : got) EXPECT_FALSE(record.malformed);
}

TEST(JsonMultiLineParserTest, AnElementThatIsNotAnObjectIsMalformed) {
  std::vector<Got> got = MultiLine(R"([{"a":1}, 42, [1, 2], "s", null, {"a":2}])");
  ASSERT_EQ(got.size(), 6u);
  EXPECT_FALSE(got[0].malformed);
  EXPECT_TRUE(got[1].malformed);
  EXPECT_EQ(got[1].raw, "42");
  EXPECT_EQ(got[1].error, "expected a JSON object, found a number");
  EXPECT_EQ(got[2].raw, "[1, 2]");
  EXPECT_EQ(got[2].error, "expected a JSON object, found an array");
  EXPECT_EQ(got[3].raw, "\"s\"");
  EXPECT_EQ(got[4].raw, "null");
  EXPECT_FALSE(got[5].malformed);
  EXPECT_THAT(got[5].fields, ElementsAre("a num 2"));
}

TEST(JsonMultiLineParserTest, AnInvalidDocumentIsOneMalformedRecordWithAllItsText) {
  const std::vector<std::string> bad = {
      "[{\"a\":1},\n{\"a\":2},\n{\"a\":",  // truncated near the end
      "{\"a\":1}\n{\"a\":2}",              // JSON Lines, not one document
      "[{\"a\":1}] x",                     // trailing text
      "{\"a\": [1,,2]}",                   // invalid inside
      "[{\"a\":01}]",                      // invalid number in an element
  };
  for (const std::string& data : bad) {
    std::vector<Got> got = MultiLine(data);
    ASSERT_EQ(got.size(), 1u) << data;
    EXPECT_TRUE(got[0].malformed) << data;
    EXPECT_THAT(got[0].error, StartsWith("invalid JSON: ")) << data;
    EXPECT_EQ(got[0].raw, data);
    EXPECT_EQ(got[0].line, 1);
  }
}

TEST(JsonMultiLineParserTest, AScalarDocumentIsMalformed) {
  std::vector<Got> got = MultiLine("\n 42 \n");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].malformed);
  EXPECT_EQ(got[0].error, "expected a JSON object or an array of objects, found a number");
  EXPECT_EQ(got[0].raw, "42");
  EXPECT_EQ(got[0].line, 2);
}

TEST(JsonMultiLineParserTest, EmptyDocumentsHaveNoRecords) {
  EXPECT_THAT(MultiLine(""), IsEmpty());
  EXPECT_THAT(MultiLine(" \n\t\r\n"), IsEmpty());
  EXPECT_THAT(MultiLine("[]"), IsEmpty());
  EXPECT_THAT(MultiLine(" [ \n ] "), IsEmpty());
}

TEST(JsonMultiLineParserTest, KeepsUnicodeDuplicatesAndNumbersAsJsonLinesDoes) {
  std::vector<Got> got =
      MultiLine("\xEF\xBB\xBF[{\"k\\u00e9\": \"\\ud83d\\ude00\", \"n\": 1e3, \"k\\u00e9\": 2}]");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_THAT(got[0].fields,
              ElementsAre("k\xC3\xA9 str \xF0\x9F\x98\x80", "n num 1e3", "k\xC3\xA9 num 2"));
}

}  // namespace
}  // namespace sluice::ingest
