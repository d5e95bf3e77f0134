#include "delta/json_tree.h"

#include <gtest/gtest.h>

namespace sluice::delta::json_tree {
namespace {

TEST(JsonTreeTest, ParsesNestedDocumentKeepingOrderAndTokens) {
  auto node = Parse(R"j( {"b": 12.50, "a": ["x\"y", true, null], "c": {}} )j");
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  ASSERT_TRUE(node->is_object());
  ASSERT_EQ(node->members.size(), 3u);
  EXPECT_EQ(node->members[0].first, "b");
  EXPECT_EQ(node->members[0].second.text, "12.50");
  const Node* a = node->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->elements.size(), 3u);
  EXPECT_EQ(a->elements[0].text, "x\"y");
  EXPECT_EQ(a->elements[0].raw, R"j("x\"y")j");
  EXPECT_TRUE(a->elements[1].boolean);
  EXPECT_TRUE(a->elements[2].is_null());
  EXPECT_EQ(node->Find("missing"), nullptr);
  EXPECT_EQ(ToCompactJson(*node), R"j({"b":12.50,"a":["x\"y",true,null],"c":{}})j");
}

TEST(JsonTreeTest, KeepsDigitsOfLargeNumbers) {
  auto node = Parse(R"j({"d":12345678901234567890.123456789012345678,"i":123456789012345678901})j");
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  EXPECT_EQ(node->Find("d")->text, "12345678901234567890.123456789012345678");
  EXPECT_EQ(node->Find("i")->text, "123456789012345678901");
}

TEST(JsonTreeTest, ParsesScalarDocuments) {
  auto text = Parse("\"integer\"");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->text, "integer");
  auto number = Parse("-1E-18");
  ASSERT_TRUE(number.ok()) << number.status().ToString();
  EXPECT_EQ(number->text, "-1E-18");
}

TEST(JsonTreeTest, RejectsMalformedInput) {
  for (const char* bad : {"{\"a\":1", "{\"a\":1} x", "{\"a\":01}", "{\"a\":1.}", "[1,]", "",
                          "{\"a\":tru}", "\"unterminated"}) {
    auto node = Parse(bad);
    EXPECT_FALSE(node.ok()) << bad;
    if (!node.ok()) {
      EXPECT_EQ(node.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(node.status().message().find("invalid JSON"), std::string::npos);
    }
  }
}

TEST(JsonTreeTest, QuotesLikeJackson) {
  EXPECT_EQ(Quote("a\"b\\c"), R"j("a\"b\\c")j");
  EXPECT_EQ(Quote("line\nbreak\ttab"), R"j("line\nbreak\ttab")j");
  EXPECT_EQ(Quote(std::string("\x01\x1f", 2)), R"j("\u0001\u001F")j");
  EXPECT_EQ(Quote("é/😈"), "\"é/😈\"");
}

}  // namespace
}  // namespace sluice::delta::json_tree
