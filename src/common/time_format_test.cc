#include "common/time_format.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestampMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestampMillis(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatTimestampMillis(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, ParsesCommonForms) {
  EXPECT_EQ(ParseTimestampMillis("1970-01-01"), 0);
  EXPECT_EQ(ParseTimestampMillis("2023-11-14 22:13:20.123"), 1700000000123);
  EXPECT_EQ(ParseTimestampMillis("2023-11-14T22:13:20.123Z"), 1700000000123);
  EXPECT_EQ(ParseTimestampMillis("2023-11-14T23:13:20.123+01:00"), 1700000000123);
  EXPECT_EQ(ParseTimestampMillis("2023-11-14 22:13"), 1700000000123 - 20123);
  EXPECT_FALSE(ParseTimestampMillis("2023-13-01"));
  EXPECT_FALSE(ParseTimestampMillis("yesterday"));
  EXPECT_FALSE(ParseTimestampMillis("2023-11-14 22:13:20 extra"));
}

TEST(TimeFormatTest, RoundTrips) {
  for (int64_t millis : {int64_t{0}, int64_t{86399999}, int64_t{1234567890123}}) {
    auto parsed = ParseTimestampMillis(FormatTimestampMillis(millis));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, millis);
  }
}

}  // namespace
}  // namespace sluice
