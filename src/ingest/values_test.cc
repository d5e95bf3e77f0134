#include "ingest/values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

namespace sluice::ingest {
namespace {

std::optional<int64_t> Int(std::string_view text, int bits) {
  int64_t value = 0;
  if (!ParseInteger(text, bits, &value)) return std::nullopt;
  return value;
}

std::optional<double> Double(std::string_view text) {
  double value = 0;
  if (!ParseDouble(text, &value)) return std::nullopt;
  return value;
}

std::optional<std::string> Decimal(std::string_view text, int precision, int scale) {
  std::string value = "unset";
  if (!ParseDecimal(text, precision, scale, &value)) return std::nullopt;
  return value;
}

DateTimePattern Pattern(std::string_view text) {
  Result<DateTimePattern> pattern = DateTimePattern::Compile(text);
  EXPECT_TRUE(pattern.ok()) << pattern.status().ToString();
  return pattern.ok() ? *pattern : *DateTimePattern::Compile("");
}

std::optional<int32_t> Date(std::string_view text, std::string_view pattern = {}) {
  int32_t days = 0;
  if (pattern.empty()) return ParseDate(text, nullptr, &days) ? std::optional(days) : std::nullopt;
  DateTimePattern compiled = Pattern(pattern);
  return ParseDate(text, &compiled, &days) ? std::optional(days) : std::nullopt;
}

std::optional<int64_t> Timestamp(std::string_view text, std::string_view pattern = {}) {
  int64_t micros = 0;
  if (pattern.empty()) {
    return ParseTimestamp(text, nullptr, &micros) ? std::optional(micros) : std::nullopt;
  }
  DateTimePattern compiled = Pattern(pattern);
  return ParseTimestamp(text, &compiled, &micros) ? std::optional(micros) : std::nullopt;
}

constexpr int32_t k20240131 = 19753;                     // days of 2024-01-31
constexpr int64_t k20240131T10 = 1'706'695'200'000'000;  // 2024-01-31T10:00:00Z
constexpr int64_t kHour = 3'600'000'000;

TEST(ValuesTest, IntegersByWidth) {
  EXPECT_EQ(Int("127", 8), 127);
  EXPECT_EQ(Int("-128", 8), -128);
  EXPECT_EQ(Int("128", 8), std::nullopt);
  EXPECT_EQ(Int("-129", 8), std::nullopt);
  EXPECT_EQ(Int("32767", 16), 32767);
  EXPECT_EQ(Int("32768", 16), std::nullopt);
  EXPECT_EQ(Int("2147483647", 32), 2147483647);
  EXPECT_EQ(Int("-2147483648", 32), -2147483648LL);
  EXPECT_EQ(Int("2147483648", 32), std::nullopt);
  EXPECT_EQ(Int("9223372036854775807", 64), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Int("-9223372036854775808", 64), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Int("9223372036854775808", 64), std::nullopt);
  EXPECT_EQ(Int("99999999999999999999999", 64), std::nullopt);
  EXPECT_EQ(Int("1", 12), std::nullopt);
}

TEST(ValuesTest, IntegerSyntax) {
  EXPECT_EQ(Int("+5", 32), 5);
  EXPECT_EQ(Int("007", 32), 7);
  EXPECT_EQ(Int("-0", 32), 0);
  for (std::string_view bad :
       {"", "+", "-", "+-1", "--1", "1.0", "1e3", " 1", "1 ", "0x10", "1_000"}) {
    EXPECT_EQ(Int(bad, 64), std::nullopt) << bad;
  }
}

TEST(ValuesTest, Doubles) {
  EXPECT_EQ(Double("1.5"), 1.5);
  EXPECT_EQ(Double("-2.50"), -2.5);
  EXPECT_EQ(Double("+1.5"), 1.5);
  EXPECT_EQ(Double("1e3"), 1000.0);
  EXPECT_EQ(Double("1E-2"), 0.01);
  EXPECT_EQ(Double(".5"), 0.5);
  EXPECT_EQ(Double("5."), 5.0);
  EXPECT_EQ(Double("42"), 42.0);
  EXPECT_EQ(Double(" 1.5\t"), 1.5);  // Java's parseDouble trims
  EXPECT_EQ(Double("1e999"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Double("-1e999"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Double("1e-999"), 0.0);
  for (std::string_view bad : {"", " ", ".", "e5", "1e", "1.5x", "0x10", "inf", "nan", "--1", "+-1",
                               "1,5", "infinity", "NAN"}) {
    EXPECT_EQ(Double(bad), std::nullopt) << bad;
  }
}

TEST(ValuesTest, DoubleSpecialSpellings) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Double("Infinity"), kInf);
  EXPECT_EQ(Double("+Infinity"), kInf);
  EXPECT_EQ(Double("-Infinity"), -kInf);
  EXPECT_EQ(Double("Inf"), kInf);
  EXPECT_EQ(Double("-INF"), -kInf);
  std::optional<double> nan = Double("NaN");
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan(*nan));
}

TEST(ValuesTest, Booleans) {
  bool value = false;
  EXPECT_TRUE(ParseBoolean("TRUE", &value));
  EXPECT_TRUE(value);
  EXPECT_TRUE(ParseBoolean("False", &value));
  EXPECT_FALSE(value);
  EXPECT_TRUE(ParseBoolean("true", &value));
  EXPECT_TRUE(value);
  for (std::string_view bad : {"", "yes", "1", "t", " true", "true ", "truee"}) {
    EXPECT_FALSE(ParseBoolean(bad, &value)) << bad;
  }
}

TEST(ValuesTest, DecimalsRoundHalfUpToCanonicalText) {
  EXPECT_EQ(Decimal("-12.3", 4, 2), "-12.30");
  EXPECT_EQ(Decimal("12.345", 5, 2), "12.35");
  EXPECT_EQ(Decimal("12.344", 5, 2), "12.34");
  EXPECT_EQ(Decimal("-12.345", 5, 2), "-12.35");
  EXPECT_EQ(Decimal("0.05", 2, 1), "0.1");
  EXPECT_EQ(Decimal("0.04", 2, 1), "0.0");
  EXPECT_EQ(Decimal("0.5", 1, 0), "1");
  EXPECT_EQ(Decimal("-0.5", 1, 0), "-1");
  EXPECT_EQ(Decimal("0.001", 3, 2), "0.00");
  EXPECT_EQ(Decimal("-0.001", 3, 2), "0.00");
  EXPECT_EQ(Decimal("0.0049", 3, 2), "0.00");
  EXPECT_EQ(Decimal("00012.50", 4, 2), "12.50");
  EXPECT_EQ(Decimal("+7", 2, 0), "7");
  EXPECT_EQ(Decimal("0", 1, 0), "0");
  EXPECT_EQ(Decimal(".5", 2, 1), "0.5");
  EXPECT_EQ(Decimal("5.", 2, 1), "5.0");
  EXPECT_EQ(Decimal("1999.999", 6, 2), "2000.00");
}

TEST(ValuesTest, DecimalExponents) {
  EXPECT_EQ(Decimal("1e3", 5, 0), "1000");
  EXPECT_EQ(Decimal("1.5E-1", 3, 2), "0.15");
  EXPECT_EQ(Decimal("125E-3", 3, 2), "0.13");
  EXPECT_EQ(Decimal("-1.25e+1", 4, 1), "-12.5");
  EXPECT_EQ(Decimal("1e-1000000000000", 10, 2), "0.00");
  EXPECT_EQ(Decimal("1e1000000000000", 38, 0), std::nullopt);
  EXPECT_EQ(Decimal("0e1000000000000", 38, 0), "0");
}

TEST(ValuesTest, DecimalPrecision) {
  EXPECT_EQ(Decimal("99.994", 4, 2), "99.99");
  EXPECT_EQ(Decimal("99.995", 4, 2), std::nullopt);  // rounds to 100.00
  EXPECT_EQ(Decimal("9.5", 1, 0), std::nullopt);
  EXPECT_EQ(Decimal("123", 3, 0), "123");
  EXPECT_EQ(Decimal("1234", 3, 0), std::nullopt);
  EXPECT_EQ(Decimal("100", 4, 2), std::nullopt);
  const std::string max38(38, '9');
  EXPECT_EQ(Decimal(max38, 38, 0), max38);
  EXPECT_EQ(Decimal("-" + max38, 38, 0), "-" + max38);
  EXPECT_EQ(Decimal(max38 + "9", 38, 0), std::nullopt);
  EXPECT_EQ(Decimal("1", 39, 0), std::nullopt);
  EXPECT_EQ(Decimal("1", 2, 3), std::nullopt);
  EXPECT_EQ(Decimal("1", 0, 0), std::nullopt);
}

TEST(ValuesTest, DecimalSyntax) {
  for (std::string_view bad : {"", "-", ".", "abc", "1.2.3", "1e", "1e+", "e5", " 1", "1 ", "1,000",
                               "--1", "NaN", "Infinity"}) {
    EXPECT_EQ(Decimal(bad, 10, 2), std::nullopt) << bad;
  }
}

TEST(ValuesTest, IsoDates) {
  EXPECT_EQ(Date("1970-01-01"), 0);
  EXPECT_EQ(Date("1969-12-31"), -1);
  EXPECT_EQ(Date("2000-03-01"), 11017);
  EXPECT_EQ(Date("2024-01-31"), k20240131);
  EXPECT_EQ(Date("2024-1-5"), 19727);
  EXPECT_EQ(Date("2024-02"), 19754);  // Spark's stringToDate: the first of the month
  EXPECT_EQ(Date("2024"), 19723);
  EXPECT_EQ(Date(" 2024-01-31 "), k20240131);
  EXPECT_EQ(Date("2024-01-31T10:00:00"), k20240131);
  EXPECT_EQ(Date("2024-01-31 10:00:00"), k20240131);
  EXPECT_EQ(Date("0001-01-01"), -719162);
  EXPECT_EQ(Date("9999-12-31"), 2932896);
  for (std::string_view bad : {"", "24-01-31", "2024/01/31", "2024-01-31x", "2024-01-",
                               "2024-001-01", "2024-01-011", "2024-01T10:00", "20240131"}) {
    EXPECT_EQ(Date(bad), std::nullopt) << bad;
  }
}

TEST(ValuesTest, LeapDaysAndInvalidDates) {
  EXPECT_EQ(Date("2024-02-29"), 19782);
  EXPECT_EQ(Date("2000-02-29"), 11016);
  EXPECT_EQ(Date("2023-02-29"), std::nullopt);
  EXPECT_EQ(Date("1900-02-29"), std::nullopt);
  EXPECT_EQ(Date("2100-02-29"), std::nullopt);
  EXPECT_EQ(Date("2023-04-31"), std::nullopt);
  EXPECT_EQ(Date("2023-13-01"), std::nullopt);
  EXPECT_EQ(Date("2023-00-10"), std::nullopt);
  EXPECT_EQ(Date("2023-01-00"), std::nullopt);
  EXPECT_EQ(Date("29/02/2023", "dd/MM/yyyy"), std::nullopt);
  EXPECT_EQ(Date("29/02/2024", "dd/MM/yyyy"), 19782);
  EXPECT_EQ(Timestamp("2023-02-29T00:00:00"), std::nullopt);
}

TEST(ValuesTest, DatePatterns) {
  EXPECT_EQ(Date("31/01/2024", "dd/MM/yyyy"), k20240131);
  EXPECT_EQ(Date("1/01/2024", "dd/MM/yyyy"), std::nullopt);  // dd takes two digits
  EXPECT_EQ(Date("31/01/24", "dd/MM/yyyy"), std::nullopt);
  EXPECT_EQ(Date("31/01/2024 ", "dd/MM/yyyy"), std::nullopt);
  EXPECT_EQ(Date("5/1/2024", "d/M/yyyy"), 19727);
  EXPECT_EQ(Date("05/01/2024", "d/M/yyyy"), 19727);
  EXPECT_EQ(Date("20240131", "yyyyMMdd"), k20240131);
  EXPECT_EQ(Date("24-01-31", "yy-MM-dd"), k20240131);
  EXPECT_EQ(Date("2024-01-31 25:00", "yyyy-MM-dd HH:mm"), std::nullopt);
  EXPECT_EQ(Date("2024-01-31 10:00", "yyyy-MM-dd HH:mm"), k20240131);
  EXPECT_EQ(Date("01/2024", "MM/yyyy"), 19723);  // a missing day is the first
}

TEST(ValuesTest, MonthAndDayNames) {
  EXPECT_EQ(Date("31 Jan 2024", "dd MMM yyyy"), k20240131);
  EXPECT_EQ(Date("31 JAN 2024", "dd MMM yyyy"), k20240131);
  EXPECT_EQ(Date("30 Sep 2024", "dd MMM yyyy"), 19996);
  EXPECT_EQ(Date("31 January 2024", "dd MMM yyyy"), std::nullopt);
  EXPECT_EQ(Date("January 31, 2024", "MMMM d, yyyy"), k20240131);
  EXPECT_EQ(Date("May 1, 2024", "MMMM d, yyyy"), 19844);
  EXPECT_EQ(Date("Wed, 31 Jan 2024", "EEE, dd MMM yyyy"), k20240131);
  EXPECT_EQ(Date("Wednesday 31 Jan 2024", "EEEE dd MMM yyyy"), k20240131);
  EXPECT_EQ(Date("Xyz, 31 Jan 2024", "EEE, dd MMM yyyy"), std::nullopt);
}

TEST(ValuesTest, IsoTimestamps) {
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31T10:00"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-1-31 9:5:7"), k20240131T10 - kHour + 307'000'000);
  EXPECT_EQ(Timestamp("2024-01-31"), k20240131T10 - 10 * kHour);
  EXPECT_EQ(Timestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Timestamp("1969-12-31T23:59:59.999999"), -1);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.5"), k20240131T10 + 500'000);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.123456789"), k20240131T10 + 123'456);
  for (std::string_view bad : {"2024-01-31T", "2024-01-31T10", "2024-01-31T24:00:00",
                               "2024-01-31T10:60:00", "2024-01-31T10:00:60", "2024-01-31T10:00:00.",
                               "2024-01-31T10:00:00.1234567890", "2024-01-31T10:00:00 Z",
                               "2024-01T10:00:00", "10:00:00", "2024-01-31T10:00:00Europe/Paris"}) {
    EXPECT_EQ(Timestamp(bad), std::nullopt) << bad;
  }
}

TEST(ValuesTest, IsoTimestampZones) {
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00Z"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00UTC"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+01:00"), k20240131T10 - kHour);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+0100"), k20240131T10 - kHour);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+01"), k20240131T10 - kHour);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00-05:30"), k20240131T10 + 5 * kHour + kHour / 2);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.25GMT+02:00"), k20240131T10 - 2 * kHour + 250'000);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+19:00"), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+01:60"), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00+"), std::nullopt);
}

TEST(ValuesTest, TimestampPatterns) {
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00", "yyyy-MM-dd HH:mm:ss"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00", "yyyy-MM-dd HH:mm:ss"), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31", "yyyy-MM-dd"), k20240131T10 - 10 * kHour);
  EXPECT_EQ(Timestamp("31.01.2024 10:00", "dd.MM.yyyy HH:mm"), k20240131T10);
  EXPECT_EQ(Timestamp("20240131100000", "yyyyMMddHHmmss"), k20240131T10);
}

TEST(ValuesTest, TwelveHourClock) {
  const std::string_view pattern = "MM/dd/yyyy hh:mm a";
  const int64_t midnight = k20240131T10 - 10 * kHour;
  EXPECT_EQ(Timestamp("01/31/2024 10:00 AM", pattern), k20240131T10);
  EXPECT_EQ(Timestamp("01/31/2024 10:00 PM", pattern), midnight + 22 * kHour);
  EXPECT_EQ(Timestamp("01/31/2024 10:00 pm", pattern), midnight + 22 * kHour);
  EXPECT_EQ(Timestamp("01/31/2024 12:00 AM", pattern), midnight);
  EXPECT_EQ(Timestamp("01/31/2024 12:30 PM", pattern), midnight + 12 * kHour + kHour / 2);
  EXPECT_EQ(Timestamp("01/31/2024 13:00 PM", pattern), std::nullopt);
  EXPECT_EQ(Timestamp("01/31/2024 00:00 AM", pattern), std::nullopt);
  EXPECT_EQ(Timestamp("01/31/2024 10:00", pattern), std::nullopt);
  // Without a marker h is the hour of the morning; with H the marker must agree.
  EXPECT_EQ(Timestamp("12:30", "hh:mm"), kHour / 2);
  EXPECT_EQ(Timestamp("13:00 PM", "HH:mm a"), 13 * kHour);
  EXPECT_EQ(Timestamp("13:00 AM", "HH:mm a"), std::nullopt);
}

TEST(ValuesTest, FractionsOfOneToNineDigits) {
  const std::string_view pattern = "yyyy-MM-dd HH:mm:ss.SSSSSSSSS";
  const int64_t expected_micros[] = {100'000, 120'000, 123'000, 123'400, 123'450,
                                     123'456, 123'456, 123'456, 123'456};
  const std::string digits = "123456789";
  for (int n = 1; n <= 9; ++n) {
    const std::string text = "2024-01-31 10:00:00." + digits.substr(0, n);
    EXPECT_EQ(Timestamp(text, pattern), k20240131T10 + expected_micros[n - 1]) << text;
  }
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00.1234567890", pattern), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00.1234", "yyyy-MM-dd HH:mm:ss.SSS"), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00.", pattern), std::nullopt);
}

TEST(ValuesTest, OffsetPatterns) {
  const std::string_view iso = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.123+01:00", iso), k20240131T10 - kHour + 123'000);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.1Z", iso), k20240131T10 + 100'000);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.000-08:00", iso), k20240131T10 + 8 * kHour);
  EXPECT_EQ(Timestamp("2024-01-31T10:00:00.000", iso), std::nullopt);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00+0100", "yyyy-MM-dd HH:mm:ssZ"), k20240131T10 - kHour);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00 UTC", "yyyy-MM-dd HH:mm:ss z"), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00 GMT+01:00", "yyyy-MM-dd HH:mm:ss z"),
            k20240131T10 - kHour);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00 UTC", "yyyy-MM-dd HH:mm:ss XXX"), std::nullopt);
  // A date ignores the zone.
  EXPECT_EQ(Date("2024-01-31T23:00:00-05:00", "yyyy-MM-dd'T'HH:mm:ssXXX"), k20240131);
}

TEST(ValuesTest, QuotedLiterals) {
  EXPECT_EQ(Timestamp("2024-01-31 at 10h", "yyyy-MM-dd 'at' HH'h'"), k20240131T10);
  EXPECT_EQ(Timestamp("10 o'clock PM", "hh 'o''clock' a"), 22 * kHour);
  EXPECT_EQ(Date("'2024'", "''yyyy''"), 19723);
  EXPECT_EQ(Date("2024年01月31日", "yyyy'年'MM'月'dd'日'"), k20240131);
  EXPECT_EQ(Date("2024-01-31", "yyyy'-'MM'-'dd"), k20240131);
}

TEST(ValuesTest, OptionalSections) {
  const std::string_view pattern = "yyyy-MM-dd[ HH:mm[:ss]][.SSS]";
  EXPECT_EQ(Timestamp("2024-01-31", pattern), k20240131T10 - 10 * kHour);
  EXPECT_EQ(Timestamp("2024-01-31 10:00", pattern), k20240131T10);
  EXPECT_EQ(Timestamp("2024-01-31 10:00:00.5", pattern), k20240131T10 + 500'000);
  EXPECT_EQ(Timestamp("2024-01-31 10", pattern), std::nullopt);
}

TEST(ValuesTest, PatternCompileErrors) {
  for (std::string_view bad : {"yyyy-DD", "yyyy-MM-dd'T", "yyyy]", "[yyyy", "G yyyy", "YYYY", "u",
                               "SSSSSSSSSS", "MMMMM", "ddd", "aa", "V", "yyyyyyyyyy"}) {
    Result<DateTimePattern> pattern = DateTimePattern::Compile(bad);
    EXPECT_FALSE(pattern.ok()) << bad;
    if (!pattern.ok()) {
      EXPECT_EQ(pattern.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(pattern.status().message().find(std::string(bad)), std::string::npos)
          << pattern.status().message();
    }
  }
  Result<DateTimePattern> day_of_year = DateTimePattern::Compile("yyyy-DDD");
  ASSERT_FALSE(day_of_year.ok());
  EXPECT_EQ(day_of_year.status().message(),
            "datetime pattern \"yyyy-DDD\": unsupported pattern letter 'DDD'");
  EXPECT_EQ(Pattern("dd/MM/yyyy").text(), "dd/MM/yyyy");
}

TEST(ValuesTest, OutOfRangeValues) {
  // Nine-digit years do not fit a date's int32 days nor a timestamp's int64 micros.
  EXPECT_EQ(Date("999999999-01-01", "y-MM-dd"), std::nullopt);
  EXPECT_EQ(Timestamp("999999999-01-01", "y-MM-dd"), std::nullopt);
  EXPECT_EQ(Date("+1000000-01-01"), 364522972);
  EXPECT_EQ(Timestamp("0000-01-01", "yyyy-MM-dd"), std::nullopt);  // no year 0 of the era
}

}  // namespace
}  // namespace sluice::ingest
