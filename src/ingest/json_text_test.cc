#include "ingest/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::ingest {
namespace {

std::string Shape(std::string_view text) {
  int precision = 0;
  int scale = 0;
  if (!DecimalShape(text, &precision, &scale)) return "none";
  return std::to_string(precision) + "," + std::to_string(scale);
}

TEST(JsonTextTest, DecimalShapeIsBigDecimalsPrecisionAndScale) {
  EXPECT_EQ(Shape("1.50"), "3,2");
  EXPECT_EQ(Shape("-0012"), "2,0");
  EXPECT_EQ(Shape("+7"), "1,0");
  EXPECT_EQ(Shape("0"), "1,0");
  EXPECT_EQ(Shape("0.00"), "1,2");
  EXPECT_EQ(Shape("0.001"), "1,3");
  EXPECT_EQ(Shape("1e3"), "1,-3");
  EXPECT_EQ(Shape("1.5E-3"), "2,4");
  EXPECT_EQ(Shape(".5"), "1,1");
  EXPECT_EQ(Shape("5."), "1,0");
  EXPECT_EQ(Shape("12345678901234567890"), "20,0");
  for (std::string_view bad :
       {"", "-", ".", "1e", "1e+", "1.2.3", "1x", " 1", "1 ", "e3", "1e100001", "NaN"}) {
    EXPECT_EQ(Shape(bad), "none") << bad;
  }
}

TEST(JsonTextTest, JsonNumbersFollowTheGrammar) {
  for (std::string_view good : {"0", "-0", "12", "1.50", "1e3", "1E+3", "-2.5e-7", "0.0"}) {
    EXPECT_TRUE(IsJsonNumber(good)) << good;
  }
  for (std::string_view bad :
       {"", "-", "01", "+1", "1.", ".5", "1e", "1e+", "1x", "0x1", "NaN", "Infinity", " 1"}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
  EXPECT_TRUE(IsIntegralJsonNumber("-12"));
  EXPECT_FALSE(IsIntegralJsonNumber("1.0"));
  EXPECT_FALSE(IsIntegralJsonNumber("1e3"));
}

TEST(JsonTextTest, ValueEndFollowsStringsAndNesting) {
  bool spaces = false;
  const std::string text = R"({"a":"}\"]","b":[1,{"c":"\\"}]} ,x)";
  EXPECT_EQ(JsonValueEnd(text, 0, &spaces), text.find(" ,x"));
  EXPECT_FALSE(spaces);
  const std::string spaced = "[ 1 , \"a b\" ]rest";
  EXPECT_EQ(JsonValueEnd(spaced, 0, &spaces), spaced.find("rest"));
  EXPECT_TRUE(spaces);
  spaces = false;
  const std::string scalars = R"(12.5,"x\"y" true])";
  EXPECT_EQ(JsonValueEnd(scalars, 0, &spaces), 4u);
  EXPECT_EQ(JsonValueEnd(scalars, 5, &spaces), 11u);
  EXPECT_EQ(JsonValueEnd(scalars, 12, &spaces), 16u);
  EXPECT_FALSE(spaces);
}

TEST(JsonTextTest, PaddedBufferCopiesAndZeroPads) {
  PaddedBuffer buffer;
  buffer.Assign("a longer first text");
  buffer.Assign("abc");
  EXPECT_EQ(std::string_view(buffer.data(), buffer.size()), "abc");
  EXPECT_GE(buffer.capacity(), buffer.size() + kJsonPadding);
  for (size_t i = 0; i < kJsonPadding; ++i) EXPECT_EQ(buffer.data()[3 + i], '\0') << i;
  buffer.Assign("");
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.data()[0], '\0');
}

}  // namespace
}  // namespace sluice::ingest
