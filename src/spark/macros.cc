#include "spark/macros.h"

#include "spark/functions.h"

namespace sluice::spark {
namespace {

// name(parameters) AS body. Macros keep translated SQL short where Spark's semantics take
// more than one DuckDB expression; each states the Spark behaviour it implements.
const char* const kMacros[][2] = {
    // Spark trims whitespace and ISO control characters (<= U+0020) before reading a number,
    // a boolean, a date or a timestamp from a string.
    {"spark_trim_all(s)", R"(regexp_replace(s, '^[\x00-\x20]+|[\x00-\x20]+$', '', 'g'))"},
    // CAST(string AS integral): digits with an optional sign; a fraction is dropped (not
    // rounded); anything else, or a value out of range, is NULL.
    {"spark_str_to_long(s)",
     R"(CASE WHEN regexp_full_match(spark_trim_all(s), '[+-]?[0-9]+(\.[0-9]*)?') THEN TRY_CAST(regexp_extract(spark_trim_all(s), '^[+-]?[0-9]+') AS BIGINT) END)"},
    {"spark_str_to_int(s)",
     "CASE WHEN spark_str_to_long(s) BETWEEN -2147483648 AND 2147483647 THEN "
     "CAST(spark_str_to_long(s) AS INTEGER) END"},
    {"spark_str_to_short(s)",
     "CASE WHEN spark_str_to_long(s) BETWEEN -32768 AND 32767 THEN CAST(spark_str_to_long(s) AS "
     "SMALLINT) END"},
    {"spark_str_to_byte(s)",
     "CASE WHEN spark_str_to_long(s) BETWEEN -128 AND 127 THEN CAST(spark_str_to_long(s) AS "
     "TINYINT) END"},
    // ANSI CAST(string AS integral): digits with an optional sign only (no fraction), in the
    // type's range; anything else is Spark's CAST_INVALID_INPUT error.
    {"spark_cast_invalid_input(s, t)",
     R"(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "' || t || '" because it is malformed. Correct the value as per the syntax, or change its target type. Use `try_cast` to tolerate malformed input and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.'))"},
    {"spark_str_to_long_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(spark_trim_all(s), '[+-]?[0-9]+') AND TRY_CAST(spark_trim_all(s) AS BIGINT) IS NOT NULL THEN TRY_CAST(spark_trim_all(s) AS BIGINT) ELSE CAST(spark_cast_invalid_input(s, 'BIGINT') AS BIGINT) END)"},
    {"spark_str_to_int_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(spark_trim_all(s), '[+-]?[0-9]+') AND TRY_CAST(spark_trim_all(s) AS INTEGER) IS NOT NULL THEN TRY_CAST(spark_trim_all(s) AS INTEGER) ELSE CAST(spark_cast_invalid_input(s, 'INT') AS INTEGER) END)"},
    {"spark_str_to_short_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(spark_trim_all(s), '[+-]?[0-9]+') AND TRY_CAST(spark_trim_all(s) AS SMALLINT) IS NOT NULL THEN TRY_CAST(spark_trim_all(s) AS SMALLINT) ELSE CAST(spark_cast_invalid_input(s, 'SMALLINT') AS SMALLINT) END)"},
    {"spark_str_to_byte_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(spark_trim_all(s), '[+-]?[0-9]+') AND TRY_CAST(spark_trim_all(s) AS TINYINT) IS NOT NULL THEN TRY_CAST(spark_trim_all(s) AS TINYINT) ELSE CAST(spark_cast_invalid_input(s, 'TINYINT') AS TINYINT) END)"},
    // Java's narrowing of integers: keep the low bits (two's complement).
    {"spark_wrap_long(x)", "TRY_CAST(x AS BIGINT)"},
    {"spark_wrap_int(x)",
     "CAST(CASE WHEN (CAST(x AS HUGEINT) & 4294967295) >= 2147483648 THEN (CAST(x AS HUGEINT) & "
     "4294967295) - 4294967296 ELSE (CAST(x AS HUGEINT) & 4294967295) END AS INTEGER)"},
    {"spark_wrap_short(x)",
     "CAST(CASE WHEN (CAST(x AS BIGINT) & 65535) >= 32768 THEN (CAST(x AS BIGINT) & 65535) - 65536 "
     "ELSE (CAST(x AS BIGINT) & 65535) END AS SMALLINT)"},
    {"spark_wrap_byte(x)",
     "CAST(CASE WHEN (CAST(x AS BIGINT) & 255) >= 128 THEN (CAST(x AS BIGINT) & 255) - 256 ELSE "
     "(CAST(x AS BIGINT) & 255) END AS TINYINT)"},
    // Java's (long) d and (int) d: truncation toward zero, saturation at the range, NaN is 0.
    {"spark_double_to_long(x)",
     "CAST(CASE WHEN isnan(x) THEN 0 WHEN x >= 9223372036854775807 THEN 9223372036854775807 WHEN x "
     "<= -9223372036854775808 THEN -9223372036854775808 ELSE CAST(trunc(x) AS BIGINT) END AS "
     "BIGINT)"},
    {"spark_double_to_int(x)",
     "CAST(CASE WHEN isnan(x) THEN 0 WHEN x >= 2147483647 THEN 2147483647 WHEN x <= -2147483648 "
     "THEN -2147483648 ELSE CAST(trunc(x) AS INTEGER) END AS INTEGER)"},
    // Integer division rounding toward negative infinity (Math.floorDiv).
    {"spark_floor_div(a, b)",
     "(a // b) - CASE WHEN (a % b <> 0) AND ((a < 0) <> (b < 0)) THEN 1 ELSE 0 END"},
    {"spark_floor_mod(a, b)", "((a % b) + b) % b"},
    // CAST(string AS DOUBLE): Java's parseDouble, which allows a d/f suffix; inf, infinity and
    // nan in any case.
    {"spark_str_to_double(s)",
     R"(TRY_CAST(regexp_replace(spark_trim_all(s), '^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[dDfF]$', '\1') AS DOUBLE))"},
    {"spark_str_to_double_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL ELSE coalesce(spark_str_to_double(s), CAST(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "DOUBLE" because it is malformed.') AS DOUBLE)) END)"},
    // CAST(string AS BOOLEAN).
    {"spark_str_to_boolean(s)",
     "CASE WHEN lower(spark_trim_all(s)) IN ('t', 'true', 'y', 'yes', '1') THEN TRUE WHEN "
     "lower(spark_trim_all(s)) IN ('f', 'false', 'n', 'no', '0') THEN FALSE END"},
    {"spark_str_to_boolean_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL ELSE coalesce(spark_str_to_boolean(s), CAST(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "BOOLEAN" because it is malformed.') AS BOOLEAN)) END)"},
    // The session zone's offset (microseconds east of UTC) at instant t (the session zone is
    // the connection's TimeZone).
    // In UTC, the default, the zone rules are skipped: current_setting is a constant, so
    // DuckDB folds the CASE away when it binds the query.
    {"spark_offset_us(t)",
     "CASE WHEN current_setting('TimeZone') = 'UTC' THEN 0 ELSE epoch_us(CAST(t AS TIMESTAMP)) - "
     "epoch_us(t) END"},
    // A wall-clock time in the session zone as an instant, as java.time's ZonedDateTime.of
    // resolves it: a time in a gap moves forward by the gap; a repeated time takes the
    // earlier offset. DuckDB takes the later one: d is its answer, lu the wall clock in
    // microseconds; the offset 3 hours before d is the offset before the transition.
    {"spark_earlier_instant(lu, d)",
     "list_transform([spark_offset_us(make_timestamptz(epoch_us(d) - 10800000000))], lambda __b: "
     "CASE WHEN __b > spark_offset_us(d) AND spark_offset_us(make_timestamptz(lu - __b)) = __b "
     "THEN make_timestamptz(lu - __b) ELSE d END)[1]"},
    // A double's shortest decimal text, as Double.toString's digits, without an exponent
    // (DuckDB rounds a decimal text with an exponent by its first digit), for a cast to
    // DECIMAL; NULL for NaN and infinities. Where Java writes no exponent (1e-3 <= |x| <
    // 1e7), DuckDB's text has the same digits and is made without a call per row.
    {"spark_double_decimal_text(x)",
     "CASE WHEN x = 0 OR (abs(x) >= 0.001 AND abs(x) < 10000000) THEN CAST(CAST(x AS DOUBLE) AS "
     "VARCHAR) WHEN isfinite(x) THEN spark_double_plain_text(x) END"},
    // An instant's wall-clock time, date and truncation in the session zone.
    {"spark_instant_to_local(t)",
     "CASE WHEN current_setting('TimeZone') = 'UTC' THEN make_timestamp(epoch_us(t)) ELSE CAST(t "
     "AS TIMESTAMP) END"},
    {"spark_instant_to_date(t)", "CAST(spark_instant_to_local(t) AS DATE)"},
    {"spark_trunc_instant(u, t)",
     "CASE WHEN current_setting('TimeZone') = 'UTC' THEN make_timestamptz(epoch_us(date_trunc(u, "
     "make_timestamp(epoch_us(t))))) ELSE date_trunc(u, t) END"},
    // (The lambda binds l once: spark_earlier_instant reads it a dozen times, and a macro's
    // argument is bound as many times as it is written.)
    {"spark_local_to_instant(l)",
     "CASE WHEN current_setting('TimeZone') = 'UTC' THEN make_timestamptz(epoch_us(l)) ELSE "
     "list_transform([l], lambda __l: spark_earlier_instant(epoch_us(__l), CAST(__l AS TIMESTAMP "
     "WITH TIME ZONE)))[1] END"},
    // CAST(string AS DATE / TIMESTAMP / TIMESTAMP_NTZ) through the native readers.
    {"spark_str_to_date(s)", "TRY_CAST(spark_date_text(s) AS DATE)"},
    {"spark_str_to_date_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL ELSE coalesce(spark_str_to_date(s), CAST(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "DATE" because it is malformed.') AS DATE)) END)"},
    // A text without a zone is a wall-clock time in the session zone.
    {"spark_str_to_timestamp(s)",
     "list_transform([spark_timestamp_text(s)], lambda __t: CASE WHEN length(__t) = 26 THEN "
     "spark_local_to_instant(TRY_CAST(__t AS TIMESTAMP)) ELSE TRY_CAST(__t AS TIMESTAMP WITH TIME "
     "ZONE) END)[1]"},
    {"spark_str_to_timestamp_strict(s)", R"(CASE WHEN s IS NULL THEN NULL ELSE coalesce(spark_str_to_timestamp(s), CAST(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "TIMESTAMP" because it is malformed.') AS TIMESTAMP WITH TIME ZONE)) END)"},
    {"spark_str_to_timestamp_ntz(s)",
     "TRY_CAST(split_part(spark_timestamp_text(s), ' ', 1) || ' ' || "
     "left(split_part(spark_timestamp_text(s), ' ', 2), 15) AS TIMESTAMP)"},
    {"spark_str_to_timestamp_ntz_strict(s)",
     R"(CASE WHEN s IS NULL THEN NULL ELSE coalesce(spark_str_to_timestamp_ntz(s), CAST(error('[CAST_INVALID_INPUT] The value ''' || s || ''' of the type "STRING" cannot be cast to "TIMESTAMP_NTZ" because it is malformed.') AS TIMESTAMP)) END)"},
    // CAST(timestamp AS STRING): yyyy-MM-dd HH:mm:ss with the fraction's trailing zeros
    // dropped, in the session time zone.
    {"spark_timestamp_to_string(ts)",
     "rtrim(rtrim(strftime(ts, '%Y-%m-%d %H:%M:%S.%f'), '0'), '.')"},
    // CAST(decimal AS STRING): DuckDB's text, with the 0 it leaves out before the point of
    // a DECIMAL(p, p) (".5" is Spark's "0.5").
    {"spark_decimal_to_string(d)", R"(regexp_replace(CAST(d AS VARCHAR), '^(-?)[.]', '\10.'))"},
    // Intervals: total microseconds of a day-time interval, months of a year-month one.
    {"spark_interval_micros(i)",
     "(date_part('day', i) * 86400000000 + date_part('hour', i) * 3600000000 + date_part('minute', "
     "i) * 60000000 + date_part('microseconds', i))"},
    {"spark_interval_months(i)", "(date_part('year', i) * 12 + date_part('month', i))"},
    {"spark_pad2(n)", "lpad(CAST(n AS VARCHAR), 2, '0')"},
    {"spark_seconds_text(us)",
     "spark_pad2((us // 1000000) % 60) || CASE WHEN us % 1000000 = 0 THEN '' ELSE rtrim('.' || "
     "lpad(CAST(us % 1000000 AS VARCHAR), 6, '0'), '0') END"},
    {"spark_daytime_text(us, t)",
     R"((CASE WHEN us < 0 THEN '-' ELSE '' END) || CASE t
        WHEN 'interval day' THEN CAST(abs(us) // 86400000000 AS VARCHAR)
        WHEN 'interval day to hour' THEN CAST(abs(us) // 86400000000 AS VARCHAR) || ' ' || spark_pad2((abs(us) // 3600000000) % 24)
        WHEN 'interval day to minute' THEN CAST(abs(us) // 86400000000 AS VARCHAR) || ' ' || spark_pad2((abs(us) // 3600000000) % 24) || ':' || spark_pad2((abs(us) // 60000000) % 60)
        WHEN 'interval day to second' THEN CAST(abs(us) // 86400000000 AS VARCHAR) || ' ' || spark_pad2((abs(us) // 3600000000) % 24) || ':' || spark_pad2((abs(us) // 60000000) % 60) || ':' || spark_seconds_text(abs(us))
        WHEN 'interval hour' THEN CAST(abs(us) // 3600000000 AS VARCHAR)
        WHEN 'interval hour to minute' THEN CAST(abs(us) // 3600000000 AS VARCHAR) || ':' || spark_pad2((abs(us) // 60000000) % 60)
        WHEN 'interval hour to second' THEN CAST(abs(us) // 3600000000 AS VARCHAR) || ':' || spark_pad2((abs(us) // 60000000) % 60) || ':' || spark_seconds_text(abs(us))
        WHEN 'interval minute' THEN CAST(abs(us) // 60000000 AS VARCHAR)
        WHEN 'interval minute to second' THEN CAST(abs(us) // 60000000 AS VARCHAR) || ':' || spark_seconds_text(abs(us))
        ELSE CAST(abs(us) // 1000000 AS VARCHAR) || CASE WHEN abs(us) % 1000000 = 0 THEN '' ELSE rtrim('.' || lpad(CAST(abs(us) % 1000000 AS VARCHAR), 6, '0'), '0') END
      END)"},
    {"spark_ansi_interval_to_string(i, t)",
     R"(CASE WHEN i IS NULL THEN NULL WHEN t LIKE 'interval year%' OR t = 'interval month' THEN
        'INTERVAL ''' || (CASE WHEN spark_interval_months(i) < 0 THEN '-' ELSE '' END) || CASE t
          WHEN 'interval year' THEN CAST(abs(spark_interval_months(i)) // 12 AS VARCHAR) || ''' YEAR'
          WHEN 'interval month' THEN CAST(abs(spark_interval_months(i)) AS VARCHAR) || ''' MONTH'
          ELSE CAST(abs(spark_interval_months(i)) // 12 AS VARCHAR) || '-' || CAST(abs(spark_interval_months(i)) % 12 AS VARCHAR) || ''' YEAR TO MONTH' END
      ELSE 'INTERVAL ''' || spark_daytime_text(spark_interval_micros(i), t) || ''' ' || upper(replace(t, 'interval ', '')) END)"},
    // CalendarInterval.toString: "1 years 2 months 3 days 4 hours 5 minutes 6.5 seconds".
    {"spark_calendar_interval_to_string(i)",
     R"(CASE WHEN i IS NULL THEN NULL WHEN spark_interval_months(i) = 0 AND date_part('day', i) = 0 AND spark_interval_micros(i) = 0 THEN '0 seconds' ELSE trim(
        (CASE WHEN spark_interval_months(i) // 12 <> 0 THEN CAST(spark_interval_months(i) // 12 AS VARCHAR) || ' years ' ELSE '' END) ||
        (CASE WHEN spark_interval_months(i) % 12 <> 0 THEN CAST(spark_interval_months(i) % 12 AS VARCHAR) || ' months ' ELSE '' END) ||
        (CASE WHEN date_part('day', i) <> 0 THEN CAST(date_part('day', i) AS VARCHAR) || ' days ' ELSE '' END) ||
        (CASE WHEN date_part('hour', i) <> 0 THEN CAST(date_part('hour', i) AS VARCHAR) || ' hours ' ELSE '' END) ||
        (CASE WHEN date_part('minute', i) <> 0 THEN CAST(date_part('minute', i) AS VARCHAR) || ' minutes ' ELSE '' END) ||
        (CASE WHEN date_part('microseconds', i) <> 0 THEN rtrim(rtrim(CAST(CAST(date_part('microseconds', i) AS DECIMAL(18,0)) / 1000000 AS DECIMAL(18,6))::VARCHAR, '0'), '.') || ' seconds' ELSE '' END)) END)"},
    // timestamp - timestamp: a day-time interval of microseconds.
    {"spark_timestamp_diff(a, b)", "to_microseconds(epoch_us(a) - epoch_us(b))"},
    {"spark_interval_scale(i, f)",
     "(to_months(CAST(trunc(spark_interval_months(i) * f) AS BIGINT)) + "
     "to_microseconds(CAST(trunc((date_part('day', i) * 86400000000 + spark_interval_micros(i) - "
     "date_part('day', i) * 86400000000) * f) AS BIGINT)))"},
    // ANSI mode: a zero divisor is an error.
    {"spark_nonzero(x)",
     "CASE WHEN x = 0 THEN error('[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate "
     "divisor being 0 and return NULL instead.') ELSE x END"},
    // Exact decimal division: unscaled digits as a 128-bit integer, quotient rounded half
    // up, written back as decimal text.
    {"spark_unscaled(d)", "CAST(replace(CAST(d AS VARCHAR), '.', '') AS HUGEINT)"},
    {"spark_div_half_up(n, d)",
     "CASE WHEN d = 0 THEN NULL ELSE (n // d) + CASE WHEN abs(n % d) * 2 >= abs(d) THEN sign(n) * "
     "sign(d) ELSE 0 END END"},
    {"spark_decimal_text(q, p10, s)",
     "(CASE WHEN q < 0 THEN '-' ELSE '' END) || CAST(abs(q) // p10 AS VARCHAR) || CASE WHEN s > 0 "
     "THEN '.' || lpad(CAST(abs(q) % p10 AS VARCHAR), s, '0') ELSE '' END"},
    // substring(str, pos, len) as UTF8String.substringSQL: 1-based, pos 0 is 1, a negative
    // pos counts from the end, and the end is pos + len before clamping.
    {"spark_substring_start(s, pos)",
     "CASE WHEN pos > 0 THEN CAST(pos AS BIGINT) - 1 WHEN pos < 0 THEN length(s) + pos ELSE 0 END"},
    {"spark_substring(s, pos, len)",
     "CASE WHEN s IS NULL OR pos IS NULL OR len IS NULL THEN NULL ELSE substr(s, "
     "CAST(greatest(spark_substring_start(s, pos), 0) + 1 AS BIGINT), "
     "CAST(greatest(least(spark_substring_start(s, pos) + len, length(s)) - "
     "greatest(spark_substring_start(s, pos), 0), 0) AS BIGINT)) END"},
    // initcap: lower case, then each space-separated word's first letter upper case.
    {"spark_initcap(s)",
     "array_to_string(list_transform(string_split(lower(s), ' '), lambda w: upper(substr(w, 1, 1)) "
     "|| substr(w, 2)), ' ')"},
    {"spark_lpad(s, n, pad)",
     "CASE WHEN n <= 0 THEN '' WHEN pad = '' THEN substr(s, 1, n) ELSE lpad(s, n, pad) END"},
    {"spark_rpad(s, n, pad)",
     "CASE WHEN n <= 0 THEN '' WHEN pad = '' THEN substr(s, 1, n) ELSE rpad(s, n, pad) END"},
    // arr[i] in ANSI mode.
    {"spark_array_at_strict(a, i)",
     "CASE WHEN a IS NULL OR i IS NULL THEN NULL WHEN i < 0 OR i >= len(a) THEN "
     "error('[INVALID_ARRAY_INDEX] The index ' || i || ' is out of bounds. The array has ' || "
     "len(a) || ' elements.') ELSE list_extract(a, i + 1) END"},
    // Databricks' col:path on a JSON string: strings unquoted, other values as JSON text.
    {"spark_json_path(j, p)", "json_extract_string(j, p)"},
    // concat of arrays: NULL when either is NULL.
    {"spark_array_concat(a, b)",
     "CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE list_concat(a, b) END"},
    // Shifts on INT and BIGINT as Java does them (the distance modulo the width).
    // Left shifts multiply the bits that stay (DuckDB refuses to shift negative numbers).
    {"spark_shiftleft_int(x, n)",
     "spark_wrap_int((CAST(x AS BIGINT) & 4294967295) * (CAST(1 AS BIGINT) << ((n % 32 + 32) % "
     "32)))"},
    {"spark_wrap_long64(h)",
     "CAST(CASE WHEN (h & 18446744073709551615) >= 9223372036854775808 THEN (h & "
     "18446744073709551615) - 18446744073709551616 ELSE (h & 18446744073709551615) END AS BIGINT)"},
    {"spark_shiftleft_long(x, n)",
     "spark_wrap_long64((CAST(x AS HUGEINT) & ((CAST(1 AS HUGEINT) << (64 - (n % 64 + 64) % 64)) - "
     "1)) * (CAST(1 AS HUGEINT) << ((n % 64 + 64) % 64)))"},
    {"spark_shiftright_int(x, n)", "CAST(x >> ((n % 32 + 32) % 32) AS INTEGER)"},
    {"spark_shiftright_long(x, n)", "CAST(x >> ((n % 64 + 64) % 64) AS BIGINT)"},
    {"spark_shiftrightunsigned_int(x, n)",
     "spark_wrap_int((CAST(x AS BIGINT) & 4294967295) >> ((n % 32 + 32) % 32))"},
    {"spark_shiftrightunsigned_long(x, n)",
     "spark_wrap_long64((CAST(x AS HUGEINT) & 18446744073709551615) >> ((n % 64 + 64) % 64))"},
};

}  // namespace

const std::vector<std::string>& SparkMacroDefinitions() {
  static const auto* definitions = [] {
    auto* out = new std::vector<std::string>;
    for (const auto& macro : kMacros) {
      out->push_back(std::string("CREATE OR REPLACE MACRO ") + macro[0] + " AS " + macro[1]);
    }
    std::vector<internal::MacroDef> groups;
    internal::AddStringMacros(groups);
    internal::AddRegexpMacros(groups);
    internal::AddMathMacros(groups);
    internal::AddDatetimeMacros(groups);
    internal::AddCollectionMacros(groups);
    internal::AddJsonMacros(groups);
    internal::AddHashMacros(groups);
    internal::AddMiscMacros(groups);
    for (const internal::MacroDef& macro : groups) {
      out->push_back(std::string("CREATE OR REPLACE MACRO ") + macro.signature + " AS " +
                     macro.body);
    }
    return out;
  }();
  return *definitions;
}

}  // namespace sluice::spark
