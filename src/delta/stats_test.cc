#include "delta/stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "delta/json_tree.h"
#include "engine/engine.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The add and metaData actions of a conformance table's log file.
struct LogFile {
  std::string schema_string;
  std::map<std::string, std::string> configuration;
  std::vector<std::string> stats;
};

LogFile ReadLog(const fs::path& path) {
  LogFile log;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto action = json_tree::Parse(line);
    EXPECT_TRUE(action.ok()) << path << ": " << action.status().ToString();
    if (!action.ok()) continue;
    if (const json_tree::Node* metadata = action->Find("metaData")) {
      if (const json_tree::Node* schema = metadata->Find("schemaString")) {
        log.schema_string = schema->text;
      }
      if (const json_tree::Node* config = metadata->Find("configuration")) {
        for (const auto& [key, value] : config->members) log.configuration[key] = value.text;
      }
    }
    if (const json_tree::Node* add = action->Find("add")) {
      const json_tree::Node* stats = add->Find("stats");
      if (stats != nullptr && stats->is_string()) log.stats.push_back(stats->text);
    }
  }
  return log;
}

TEST(StatsTest, ParsesNestedStatsIntoPaths) {
  auto stats = ParseStats(
      R"j({"numRecords":4,"minValues":{"a":1,"s":{"x":"2023-01-15","y":{"z":1.5}},"d":123.45},)j"
      R"j("maxValues":{"a":5,"b":true},"nullCount":{"a":0,"s":{"x":2,"y":{"z":1}},"arr":3},)j"
      R"j("tightBounds":false})j");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->num_records, 4);
  EXPECT_EQ(*stats->min_values.Find({"a"}), StatsValue::Int(1));
  EXPECT_EQ(*stats->min_values.Find({"s", "x"}), StatsValue::String("2023-01-15"));
  EXPECT_EQ(*stats->min_values.Find({"s", "y", "z"}), StatsValue::Number("1.5"));
  EXPECT_EQ(stats->min_values.Find({"d"})->text, "123.45");
  EXPECT_EQ(*stats->max_values.Find({"b"}), StatsValue::Boolean(true));
  EXPECT_EQ(*stats->null_count.Find({"s", "y", "z"}), 1);
  EXPECT_EQ(*stats->null_count.Find({"arr"}), 3);
  EXPECT_EQ(stats->tight_bounds, false);
  EXPECT_EQ(stats->min_values.Find({"s"}), nullptr);
}

TEST(StatsTest, MissingAndOddEntriesAreUnknown) {
  auto stats =
      ParseStats(R"j({"numRecords":"7","minValues":{"a":null,"b":[1],"c":2},"maxValues":7,)j"
                 R"j("nullCount":{"a":1.5,"b":null,"c":0},"tightBounds":"yes","extra":{"x":1}})j");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_FALSE(stats->num_records.has_value());
  EXPECT_EQ(stats->min_values.size(), 1u);
  EXPECT_TRUE(stats->max_values.empty());
  EXPECT_EQ(stats->null_count.size(), 1u);
  EXPECT_EQ(*stats->null_count.Find({"c"}), 0);
  EXPECT_FALSE(stats->tight_bounds.has_value());

  auto empty = ParseStats("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, FileStats{});

  for (const char* bad : {"", "[1]", "{\"numRecords\":", "null"}) {
    auto parsed = ParseStats(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(StatsTest, SerializesGroupedNestedObjects) {
  FileStats stats;
  stats.num_records = 3;
  stats.min_values.Set({"a"}, StatsValue::Int(-1));
  stats.min_values.Set({"s", "x"}, StatsValue::String("q\"uote"));
  stats.min_values.Set({"b"}, StatsValue::Number("1.0E20"));
  stats.min_values.Set({"s", "y"}, StatsValue::Number("0.5"));
  stats.null_count.Set({"a"}, 0);
  stats.tight_bounds = true;
  EXPECT_EQ(SerializeStats(stats),
            R"j({"numRecords":3,"minValues":{"a":-1,"s":{"x":"q\"uote","y":0.5},"b":1.0E20},)j"
            R"j("nullCount":{"a":0},"tightBounds":true})j");
  FileStats only_count;
  only_count.num_records = 1;
  EXPECT_EQ(SerializeStats(only_count), R"j({"numRecords":1})j");
  EXPECT_EQ(SerializeStats(FileStats{}), "{}");
}

// Parsing and re-serializing the stats in every conformance log keeps their content, and for
// the tables Spark wrote reproduces the text byte for byte.
TEST(StatsTest, ConformanceStatsRoundTrip) {
  int checked = 0;
  int exact = 0;
  for (const auto& entry : fs::recursive_directory_iterator(sluice::testing::ConformancePath(""))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json" ||
        entry.path().parent_path().filename() != "_delta_log") {
      continue;
    }
    std::ifstream in(entry.path());
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bool by_spark = content.find("Apache-Spark") != std::string::npos ||
                    entry.path().string().find("golden_data") != std::string::npos;
    LogFile log = ReadLog(entry.path());
    for (const std::string& text : log.stats) {
      auto stats = ParseStats(text);
      ASSERT_TRUE(stats.ok()) << entry.path() << ": " << stats.status().ToString();
      std::string serialized = SerializeStats(*stats);
      auto reparsed = ParseStats(serialized);
      ASSERT_TRUE(reparsed.ok()) << serialized;
      EXPECT_EQ(*reparsed, *stats) << entry.path();
      ++checked;
      if (by_spark) {
        EXPECT_EQ(serialized, text) << entry.path();
        ++exact;
      }
    }
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(exact, 400);
}

TEST(StatsTest, TruncatesStringsLikeSpark) {
  // Spark's own test table, at prefix length 6 ('�' is U+FFFD).
  struct Case {
    const char* input;
    const char* max;
  };
  const std::string kMax = "\xF4\x8F\xBF\xBF";  // U+10FFFF
  EXPECT_EQ(TruncateMaxString("abcd", 6), "abcd");
  EXPECT_EQ(TruncateMaxString("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateMaxString("abcdefg", 6), "abcdef\x7F");
  EXPECT_EQ(TruncateMaxString("abcdef\xC3\xA9", 6), "abcdef" + kMax);  // é is above U+007F
  EXPECT_EQ(TruncateMaxString("abcdef\x7Fz", 6), "abcdef" + kMax);
  EXPECT_EQ(TruncateMaxString("abcdef" + kMax + "a", 6), "abcdef" + kMax + "\x7F");
  EXPECT_EQ(TruncateMaxString("abcdef" + kMax + kMax, 6), "abcdef" + kMax + kMax);
  std::string many_max;
  for (int i = 0; i < 4; ++i) many_max += kMax;
  EXPECT_FALSE(TruncateMaxString("abcdef" + many_max + "x", 6).has_value());
  EXPECT_EQ(TruncateMinString("abcdefg", 6), "abcdef");
  EXPECT_EQ(TruncateMinString("abcde😈f", 6), "abcde😈");  // a pair is never split
  EXPECT_EQ(TruncateMaxString("abcde😈f", 6), "abcde😈\x7F");
  EXPECT_FALSE(TruncateMinString("abc", 0).has_value());
  EXPECT_EQ(TruncateMinString("", 0), "");
  EXPECT_FALSE(TruncateMinString("ab\xFF", 1).has_value());

  std::string long_value(40, 'x');
  EXPECT_EQ(TruncateMinString(long_value, kStringPrefixLength), std::string(32, 'x'));
  EXPECT_EQ(TruncateMaxString(long_value, kStringPrefixLength), std::string(32, 'x') + "\x7F");
  // Every truncated max is still >= the value in UTF-8 byte order.
  for (const std::string& value :
       {long_value, std::string(31, 'a') + "😈" + "zz", std::string(33, '\x7F'),
        std::string(32, 'a') + "é" + std::string(5, 'b')}) {
    auto max = TruncateMaxString(value, kStringPrefixLength);
    ASSERT_TRUE(max.has_value()) << value;
    EXPECT_GE(*max, value);
    auto min = TruncateMinString(value, kStringPrefixLength);
    ASSERT_TRUE(min.has_value()) << value;
    EXPECT_LE(*min, value);
  }
}

TEST(StatsTest, EngineTextToSparkForm) {
  auto convert = [](std::string_view text, const DataTypePtr& type,
                    StatsBound bound = StatsBound::kMin) -> std::string {
    auto value = StatsValueFromEngineText(text, *type, bound);
    if (!value.ok()) return "error: " + value.status().message();
    if (!value->has_value()) return "<none>";
    const StatsValue& stat = **value;
    return stat.kind == StatsValue::Kind::kString ? json_tree::Quote(stat.text) : stat.text;
  };
  EXPECT_EQ(convert("-5", DataType::Byte()), "-5");
  EXPECT_EQ(convert("3.14", DataType::Float()), "3.14");
  EXPECT_EQ(convert("1e+20", DataType::Double()), "1.0E20");
  EXPECT_EQ(convert("nan", DataType::Double()), "<none>");
  EXPECT_EQ(convert("inf", DataType::Float(), StatsBound::kMax), "<none>");
  EXPECT_EQ(convert("123.45", DataType::Decimal(10, 2)), "123.45");
  EXPECT_EQ(convert("0.000000000000000001", DataType::Decimal(38, 18)), "1E-18");
  EXPECT_EQ(convert("2023-01-15", DataType::Date()), "\"2023-01-15\"");
  EXPECT_EQ(convert("2023-06-15 14:30:00.123999+02", DataType::Timestamp(), StatsBound::kMax),
            "\"2023-06-15T12:30:00.123Z\"");
  EXPECT_EQ(convert("1969-12-31 23:59:59.9999", DataType::TimestampNtz()),
            "\"1969-12-31T23:59:59.999\"");
  EXPECT_EQ(convert(std::string(40, 'y'), DataType::String(), StatsBound::kMax),
            "\"" + std::string(32, 'y') + "\x7F\"");
  EXPECT_EQ(convert("true", DataType::Boolean()), "<none>");
  EXPECT_EQ(convert("\\x00", DataType::Binary()), "<none>");
  EXPECT_THAT(convert("abc", DataType::Long()), HasSubstr("\"abc\""));
  EXPECT_THAT(convert("2021-01-01 00:00:00+00", DataType::TimestampNtz()), HasSubstr("error"));
}

// The same values Spark wrote for stats-writing-all-types, given as DuckDB prints them, produce
// exactly Spark's stats JSON: one check per type, plus the whole document.
TEST(StatsTest, MatchesSparkForAllTypes) {
  fs::path root = sluice::testing::ConformancePath(
      "delta-kernel-rs/data/stats-writing-all-types/delta/_delta_log");
  LogFile v0 = ReadLog(root / "00000000000000000000.json");
  LogFile v1 = ReadLog(root / "00000000000000000001.json");
  ASSERT_EQ(v1.stats.size(), 1u);
  const std::string& spark_json = v1.stats[0];
  auto schema = ParseSchema(v0.schema_string);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();

  // min, max as DuckDB's VARCHAR rendering of min(col) / max(col) on the same four rows.
  const std::map<std::string, std::pair<std::string, std::string>> bounds = {
      {"byte_col", {"1", "5"}},
      {"short_col", {"100", "500"}},
      {"int_col", {"1000", "5000"}},
      {"long_col", {"10000", "50000"}},
      {"float_col", {"1.5", "3.14"}},
      {"double_col", {"2.5", "6.28"}},
      {"date_col", {"2023-01-15", "2024-06-15"}},
      {"timestamp_col", {"2023-06-15 12:30:00+00", "2024-12-25 00:00:00+00"}},
      {"timestamp_ntz_col", {"2023-06-15 12:30:00", "2024-12-25 00:00:00"}},
      {"string_col", {"alpha", "gamma"}},
      {"decimal_col", {"123.45", "999.99"}},
      {"boolean_col", {"false", "true"}},
      {"binary_col", {"\\x01", "\\x03"}},
      {"nested_struct.inner_int", {"10", "50"}},
      {"nested_struct.inner_string", {"nested_a", "nested_c"}},
      {"nested_struct.inner_double", {"1.1", "5.5"}},
  };
  auto columns = StatsColumnsForWrite(*schema, {}, v0.configuration);
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  ASSERT_EQ(columns->size(), 18u);  // 16 leaves with two inside the struct, + array + map

  FileStats stats;
  stats.num_records = 4;
  for (const StatsColumn& column : *columns) {
    std::string name = ColumnPathToString(column.logical_path);
    stats.null_count.Set(column.physical_path, name == "nested_struct.inner_string" ? 2 : 1);
    auto found = bounds.find(name);
    if (!column.has_min_max) continue;
    ASSERT_NE(found, bounds.end()) << name;
    auto min = StatsValueFromEngineText(found->second.first, *column.type, StatsBound::kMin);
    auto max = StatsValueFromEngineText(found->second.second, *column.type, StatsBound::kMax);
    ASSERT_TRUE(min.ok() && max.ok() && min->has_value() && max->has_value()) << name;
    stats.min_values.Set(column.physical_path, **min);
    stats.max_values.Set(column.physical_path, **max);

    // Per type: each bound appears in Spark's JSON exactly as written here.
    for (const StatsValue* bound : {&**min, &**max}) {
      std::string fragment =
          json_tree::Quote(column.physical_path.back()) + ":" +
          (bound->kind == StatsValue::Kind::kString ? json_tree::Quote(bound->text) : bound->text);
      EXPECT_THAT(spark_json, HasSubstr(fragment)) << name;
    }
  }
  EXPECT_EQ(stats.min_values.size(), 14u);
  EXPECT_EQ(SerializeStats(stats), spark_json);
}

TEST(StatsColumnsTest, FirstNLeavesSkippingPartitionColumns) {
  auto schema = ParseSchema(
      R"j({"type":"struct","fields":[{"name":"p","type":"string","nullable":true,"metadata":{}},)j"
      R"j({"name":"a","type":"long","nullable":true,"metadata":{}},)j"
      R"j({"name":"s","type":{"type":"struct","fields":[)j"
      R"j({"name":"x","type":"boolean","nullable":true,"metadata":{}},)j"
      R"j({"name":"y","type":"date","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},)j"
      R"j({"name":"m","type":{"type":"map","keyType":"string","valueType":"long",)j"
      R"j("valueContainsNull":true},"nullable":true,"metadata":{}},)j"
      R"j({"name":"z","type":"string","nullable":true,"metadata":{}}]})j");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  auto names = [&](const std::map<std::string, std::string>& configuration) {
    auto columns = StatsColumnsForWrite(*schema, {"P"}, configuration);
    if (!columns.ok()) return "error: " + columns.status().message();
    std::string out;
    for (const StatsColumn& column : *columns) {
      if (!out.empty()) out += " ";
      out += ColumnPathToString(column.logical_path) + (column.has_min_max ? "" : "(nc)");
    }
    return out;
  };
  EXPECT_EQ(names({}), "a s.x(nc) s.y m(nc) z");
  EXPECT_EQ(names({{"delta.dataSkippingNumIndexedCols", "2"}}), "a s.x(nc)");
  EXPECT_EQ(names({{"delta.dataSkippingNumIndexedCols", "3"}}), "a s.x(nc) s.y");
  EXPECT_EQ(names({{"delta.dataSkippingNumIndexedCols", "0"}}), "");
  EXPECT_EQ(names({{"delta.dataSkippingNumIndexedCols", "-1"}}), "a s.x(nc) s.y m(nc) z");
  EXPECT_THAT(names({{"delta.dataSkippingNumIndexedCols", "x"}}), HasSubstr("error"));
  EXPECT_THAT(names({{"delta.dataSkippingNumIndexedCols", "-2"}}), HasSubstr("error"));
  // The stats-columns list wins over the count, and keeps schema order.
  EXPECT_EQ(names({{"delta.dataSkippingStatsColumns", "z, S.y, nope"},
                   {"delta.dataSkippingNumIndexedCols", "0"}}),
            "s.y z");
  EXPECT_EQ(names({{"delta.dataSkippingStatsColumns", "`s`"}}), "s.x(nc) s.y");
  EXPECT_EQ(names({{"delta.dataSkippingStatsColumns", "p,a"}}), "a");
  EXPECT_THAT(names({{"delta.dataSkippingStatsColumns", "a,,b"}}), HasSubstr("error"));
  EXPECT_THAT(names({{"delta.dataSkippingStatsColumns", "`a"}}), HasSubstr("error"));
}

TEST(StatsColumnsTest, OddNamesAndColumnMapping) {
  auto schema = ParseSchema(
      R"j({"type":"struct","fields":[{"name":"a.b","type":"long","nullable":true,)j"
      R"j("metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}},)j"
      R"j({"name":"c`d","type":"long","nullable":true,)j"
      R"j("metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-2"}}]})j");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  auto columns = StatsColumnsForWrite(
      *schema, {},
      {{"delta.columnMapping.mode", "name"}, {"delta.dataSkippingStatsColumns", "`c``d`, `A.B`"}});
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  ASSERT_EQ(columns->size(), 2u);
  EXPECT_EQ((*columns)[0].logical_path, ColumnPath{"a.b"});
  EXPECT_EQ((*columns)[0].physical_path, ColumnPath{"col-1"});
  EXPECT_EQ((*columns)[1].physical_path, ColumnPath{"col-2"});
}

// Bounds read from stats become literals DuckDB evaluates to the right values.
TEST(StatsTest, BoundsAsSqlLiterals) {
  auto db = engine::Database::Open();
  ASSERT_TRUE(db.ok());
  auto connection = (*db)->Connect();
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE((*connection)->Execute("SET TimeZone = 'UTC'").ok());
  struct Case {
    StatsValue value;
    DataTypePtr type;
    const char* expected;
  };
  const Case cases[] = {
      {StatsValue::Int(-5), DataType::Integer(), "-5"},
      {StatsValue::Number("1.0E20"), DataType::Double(), "1e+20"},
      {StatsValue::Number("1E-18"), DataType::Decimal(38, 18), "0.000000000000000001"},
      {StatsValue::String(""), DataType::String(), ""},
      {StatsValue::String("2023-01-15"), DataType::Date(), "2023-01-15"},
      {StatsValue::String("2000-01-01T00:00:00.000-08:00"), DataType::Timestamp(),
       "2000-01-01 08:00:00+00"},
      {StatsValue::String("2023-06-15T12:30:00.000"), DataType::TimestampNtz(),
       "2023-06-15 12:30:00"},
  };
  for (const Case& c : cases) {
    auto sql = StatsValueToSql(c.value, *c.type, "col");
    ASSERT_TRUE(sql.ok()) << c.value.text << ": " << sql.status().ToString();
    auto result = (*connection)->Query("SELECT CAST(" + *sql + " AS VARCHAR)");
    ASSERT_TRUE(result.ok()) << *sql << ": " << result.status().ToString();
    EXPECT_EQ(result->at(0, 0).ToString(), c.expected) << *sql;
  }
  auto mismatch = StatsValueToSql(StatsValue::Number("5"), *DataType::String(), "name");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_THAT(mismatch.status().message(), HasSubstr("\"name\""));
}

}  // namespace
}  // namespace sluice::delta
