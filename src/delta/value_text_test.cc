#include "delta/value_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sluice::delta::value_text {
namespace {

TEST(ValueTextTest, DatesRoundTrip) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("1970-01-05"), 4);
  EXPECT_EQ(ParseDate("1969-12-31"), -1);
  EXPECT_EQ(ParseDate("2000-03-01"), 11017);
  EXPECT_EQ(ParseDate("2024-02-29"), 19782);
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_FALSE(ParseDate("2023-13-01").has_value());
  EXPECT_FALSE(ParseDate("2023-01-01x").has_value());
  EXPECT_FALSE(ParseDate("0045-03-15 (BC)").has_value());
  for (int64_t days : {-719528LL, -1LL, 0LL, 4LL, 19782LL, 2932896LL}) {
    EXPECT_EQ(ParseDate(FormatDate(days)), days) << FormatDate(days);
  }
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-719528), "0000-01-01");
  EXPECT_EQ(FormatDate(2932897), "+10000-01-01");
}

TEST(ValueTextTest, ParsesTimestampForms) {
  auto plain = ParseTimestamp("1970-01-01 00:00:01.5");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->micros, 1'500'000);
  EXPECT_FALSE(plain->has_zone);

  auto iso = ParseTimestamp("1970-01-01T00:00:00.123456Z");
  ASSERT_TRUE(iso.has_value());
  EXPECT_EQ(iso->micros, 123456);
  EXPECT_TRUE(iso->has_zone);

  // DuckDB prints TIMESTAMPTZ in the session zone with a short offset.
  auto offset = ParseTimestamp("2021-01-01 03:00:00.5-05");
  ASSERT_TRUE(offset.has_value());
  EXPECT_EQ(FormatTimestamp(offset->micros, 'T', FractionStyle::kMicros, "Z"),
            "2021-01-01T08:00:00.500000Z");
  auto long_offset = ParseTimestamp("2000-01-01T00:00:00.000-08:00");
  ASSERT_TRUE(long_offset.has_value());
  EXPECT_EQ(FormatTimestamp(long_offset->micros, ' ', FractionStyle::kTrimmed, ""),
            "2000-01-01 08:00:00");
  auto seconds_offset = ParseTimestamp("2020-12-31 23:29:45-05:30:15");
  ASSERT_TRUE(seconds_offset.has_value());
  EXPECT_EQ(FormatTimestamp(seconds_offset->micros, ' ', FractionStyle::kTrimmed, ""),
            "2021-01-01 05:00:00");

  auto nanos = ParseTimestamp("2021-01-01 10:00:00.123456789");
  ASSERT_TRUE(nanos.has_value());
  EXPECT_EQ(nanos->micros % 1'000'000, 123456);

  auto date_only = ParseTimestamp("2021-09-08");
  ASSERT_TRUE(date_only.has_value());
  EXPECT_EQ(date_only->micros, 18878LL * 86'400'000'000LL);

  for (const char* bad : {"2021-09-08 25:00:00", "2021-09-08 11:11:11x", "2021-09-08T11",
                          "2021-09-08 11:11:11.", "2021-09-08 11:11:11+", "infinity"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

TEST(ValueTextTest, FormatsTimestampsBeforeTheEpoch) {
  // One microsecond before the epoch, truncated to milliseconds toward the past.
  EXPECT_EQ(FormatTimestamp(-1, 'T', FractionStyle::kMillis, "Z"), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(-1, ' ', FractionStyle::kMicros, ""), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(120'000, ' ', FractionStyle::kTrimmed, ""), "1970-01-01 00:00:00.12");
}

TEST(ValueTextTest, JavaFloatingPointStrings) {
  EXPECT_EQ(JavaDoubleString(1.0), "1.0");
  EXPECT_EQ(JavaDoubleString(2.5), "2.5");
  EXPECT_EQ(JavaDoubleString(123456789.0), "1.23456789E8");
  EXPECT_EQ(JavaDoubleString(1234567.0), "1234567.0");
  EXPECT_EQ(JavaDoubleString(1e20), "1.0E20");
  EXPECT_EQ(JavaDoubleString(0.001), "0.001");
  EXPECT_EQ(JavaDoubleString(0.0001), "1.0E-4");
  EXPECT_EQ(JavaDoubleString(-0.0), "-0.0");
  EXPECT_EQ(JavaDoubleString(0.0), "0.0");
  EXPECT_EQ(JavaDoubleString(-6.28), "-6.28");
  EXPECT_EQ(JavaDoubleString(std::nan("")), "NaN");
  EXPECT_EQ(JavaDoubleString(-HUGE_VAL), "-Infinity");
  EXPECT_EQ(JavaFloatString(3.14f), "3.14");
  EXPECT_EQ(JavaFloatString(0.1f), "0.1");
  EXPECT_EQ(JavaFloatString(1.0e10f), "1.0E10");
  EXPECT_EQ(JavaFloatString(std::numeric_limits<float>::infinity()), "Infinity");
}

TEST(ValueTextTest, ParsesDoublesFromJavaAndDuckDb) {
  EXPECT_EQ(ParseDouble("1.5"), 1.5);
  EXPECT_EQ(ParseDouble("1e+20"), 1e20);
  EXPECT_EQ(ParseDouble("1.0E20"), 1e20);
  EXPECT_EQ(ParseDouble("-inf"), -HUGE_VAL);
  EXPECT_EQ(ParseDouble("Infinity"), HUGE_VAL);
  EXPECT_TRUE(std::isnan(*ParseDouble("NaN")));
  EXPECT_FALSE(ParseDouble("1.5x").has_value());
  EXPECT_FALSE(ParseDouble("").has_value());
  EXPECT_FALSE(ParseDouble("abc").has_value());
}

TEST(ValueTextTest, DecimalsRescaleAndPrintLikeJava) {
  auto twelve = ParseDecimal("12");
  ASSERT_TRUE(twelve.has_value());
  EXPECT_EQ(DecimalToPlain(*twelve, 38, 18), "12.000000000000000000");
  EXPECT_EQ(DecimalToPlain(*ParseDecimal("-0.5"), 3, 2), "-0.50");
  EXPECT_EQ(DecimalToPlain(*ParseDecimal("-0.00"), 3, 2), "0.00");
  EXPECT_EQ(DecimalToPlain(*ParseDecimal("1E+3"), 5, 0), "1000");
  EXPECT_EQ(DecimalToPlain(*ParseDecimal("123.450"), 5, 2), "123.45");
  EXPECT_FALSE(DecimalToPlain(*ParseDecimal("123.456"), 5, 2).has_value());
  EXPECT_FALSE(DecimalToPlain(*ParseDecimal("1234.5"), 5, 2).has_value());
  EXPECT_FALSE(ParseDecimal("1.2.3").has_value());
  EXPECT_FALSE(ParseDecimal("-").has_value());

  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("123.45")), "123.45");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("0.00")), "0.00");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("-0.50")), "-0.50");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("0.000001")), "0.000001");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("0.000000000000000001")), "1E-18");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("0.000000000000000000")), "0E-18");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("0.000000012")), "1.2E-8");
  EXPECT_EQ(JavaBigDecimalString(*ParseDecimal("42")), "42");
}

TEST(ValueTextTest, IntegersInRange) {
  EXPECT_EQ(ParseIntegerInRange("-128", -128, 127), -128);
  EXPECT_EQ(ParseIntegerInRange("+5", -128, 127), 5);
  EXPECT_FALSE(ParseIntegerInRange("128", -128, 127).has_value());
  EXPECT_FALSE(ParseIntegerInRange("+-5", -128, 127).has_value());
  EXPECT_FALSE(ParseIntegerInRange("1.0", -128, 127).has_value());
}

}  // namespace
}  // namespace sluice::delta::value_text
