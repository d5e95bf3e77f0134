// Randomized check of data skipping: for random small tables split into files, with stats
// computed by DuckDB and then cut the way Delta writers cut them (strings to 32 characters,
// timestamps to milliseconds, NaN left out of float max, some stats missing), skipping must
// never drop a file that holds a row matching a random filter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "delta/data_skipping.h"
#include "engine/engine.h"

namespace sluice::delta {
namespace {

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& options) {
    return options[Int(0, static_cast<int>(options.size()) - 1)];
  }

 private:
  std::mt19937 rng_;
};

// Values of the table's columns, and literals to compare them with: half of the literals
// are a stored value or one just beside it, so that boundaries get hit. Strings are either
// short or share a long prefix near the 32-character cut; timestamps lie within a few
// milliseconds, after 1970 or just before it.
class Values {
 public:
  Values(Random* random, bool before_1970) : random_(random), before_1970_(before_1970) {}

  // Row values, remembered for literals.
  std::string RowInt() {
    ints_.push_back(random_->Int(-6, 16));
    return std::to_string(ints_.back());
  }
  std::string RowString() {
    strings_.push_back(FreshString());
    return "'" + strings_.back() + "'";
  }
  std::string RowTimestamp() {
    micros_.push_back(before_1970_ ? random_->Int(994000, 999999) : random_->Int(0, 5000));
    return "TIMESTAMP '" + FormatTimestamp(micros_.back()) + "'";
  }
  std::string RowDate() { return "DATE '" + FreshDate() + "'"; }
  std::string RowDouble() {
    return random_->Pick<std::string>({"-1.5", "0.0", "0.5", "2.25", "3", "7", "'NaN'::DOUBLE",
                                       "CAST('inf' AS DOUBLE)", "'-inf'::DOUBLE"});
  }
  std::string RowDecimal() {
    char text[32];
    std::snprintf(text, sizeof(text), "%.2f", random_->Int(-300, 300) / 100.0);
    return text;
  }
  std::string Partition() { return random_->Pick<std::string>({"'a'", "'b'", "'c'"}); }

  // A string near the stored ones, unquoted.
  std::string RawString() {
    if (strings_.empty() || random_->Chance(0.3)) return FreshString();
    std::string base = random_->Pick(strings_);
    switch (random_->Int(0, 4)) {
      case 0:
        return base.substr(0, 32);
      case 1:
        return base + "a";
      case 2:
        return base.substr(0, base.empty() ? 0 : base.size() - 1);
      default:
        return base;
    }
  }

  // A literal comparable with `column`, sometimes NULL.
  std::string LiteralFor(const std::string& column) {
    if (random_->Chance(0.05)) return "NULL";
    if (column == "i" || column == "q") {
      if (ints_.empty() || random_->Chance(0.3)) return std::to_string(random_->Int(-6, 16));
      return std::to_string(random_->Pick(ints_) + random_->Int(-1, 1));
    }
    if (column == "x")
      return random_->Chance(0.5) ? RowDecimal() : std::to_string(random_->Int(-3, 3));
    if (column == "f") return RowDouble();
    if (column == "p") return Partition();
    if (column == "s") return "'" + RawString() + "'";
    if (column == "ts") return TimestampLiteral();
    return random_->Chance(0.5) ? "DATE '" + FreshDate() + "'" : "'" + FreshDate() + "'";
  }

 private:
  std::string FreshString() {
    std::string text;
    if (random_->Chance(0.4)) {
      int length = random_->Int(0, 4);
      for (int i = 0; i < length; ++i) text += "abc"[random_->Int(0, 2)];
    } else if (random_->Chance(0.5)) {
      // Values that agree on the first 32 characters, so min and max both get cut to them.
      text = std::string(32, 'b') + random_->Pick<std::string>({"", "a", "c", "bb"});
    } else {
      text = std::string(random_->Int(28, 34), 'b');
      int tail = random_->Int(0, 3);
      for (int i = 0; i < tail; ++i) text += "abc"[random_->Int(0, 2)];
    }
    return text;
  }
  std::string FreshDate() { return "2024-01-0" + std::to_string(random_->Int(1, 9)); }

  // `micros` within the second before 1970, or after 2024-01-01 00:00:00.
  std::string FormatTimestamp(int micros) const {
    char text[64];
    if (before_1970_) {
      std::snprintf(text, sizeof(text), "1969-12-31 23:59:59.%06d", micros);
    } else {
      std::snprintf(text, sizeof(text), "2024-01-01 00:00:%02d.%06d", micros / 1000000,
                    micros % 1000000);
    }
    return text;
  }

  std::string TimestampLiteral() {
    int micros = before_1970_ ? random_->Int(994000, 999999) : random_->Int(0, 5000);
    if (!micros_.empty() && random_->Chance(0.7)) {
      int base = random_->Pick(micros_);
      int millis = base - base % 1000;
      micros = random_->Pick<int>({base, base - 1, base + 1, millis, millis + 999, millis + 1000});
      micros = std::max(0, std::min(micros, 999999));
    }
    std::string text = FormatTimestamp(micros);
    switch (random_->Int(0, 4)) {
      case 0:
        return "'" + text + "'";
      case 1:
        return before_1970_ ? "DATE '1970-01-01'" : "DATE '2024-01-01'";
      default:
        return "TIMESTAMP '" + text + "'";
    }
  }

  Random* random_;
  bool before_1970_;
  std::vector<int> ints_;
  std::vector<std::string> strings_;
  std::vector<int> micros_;
};

// s and ts twice: their statistics are the ones cut by writers.
const std::vector<std::string> kColumns = {"i", "s", "s", "ts", "ts", "d",
                                           "f", "x", "p", "q",  "pd"};

class FilterGenerator {
 public:
  FilterGenerator(Random* random, Values* values) : random_(random), values_(values) {}

  std::string Filter(int depth) {
    if (depth == 0 || random_->Chance(0.45)) return Leaf();
    switch (random_->Int(0, 2)) {
      case 0:
        return "(" + Filter(depth - 1) + ") AND (" + Filter(depth - 1) + ")";
      case 1:
        return "(" + Filter(depth - 1) + ") OR (" + Filter(depth - 1) + ")";
      default:
        return "NOT (" + Filter(depth - 1) + ")";
    }
  }

 private:
  std::string Leaf() {
    const std::string& column = random_->Pick(kColumns);
    std::string negation = random_->Chance(0.3) ? "NOT " : "";
    switch (random_->Int(0, 10)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        std::string op =
            random_->Pick<std::string>({"=", "==", "!=", "<>", "<", "<=", ">", ">=", "<=>"});
        std::string literal = values_->LiteralFor(column);
        if (random_->Chance(0.3)) return literal + " " + op + " " + column;
        return column + " " + op + " " + literal;
      }
      case 4:
        return column + (random_->Chance(0.5) ? " IS NULL" : " IS NOT NULL");
      case 5: {
        std::string list = values_->LiteralFor(column);
        int more = random_->Int(0, 2);
        for (int k = 0; k < more; ++k) list += ", " + values_->LiteralFor(column);
        return column + " " + negation + "IN (" + list + ")";
      }
      case 6:
        return column + " " + negation + "BETWEEN " + values_->LiteralFor(column) + " AND " +
               values_->LiteralFor(column);
      case 7: {
        std::string prefix = values_->RawString();
        prefix = prefix.substr(0, random_->Int(0, static_cast<int>(prefix.size())));
        std::string suffix = random_->Pick<std::string>({"%", "_%", "", "%a", "_"});
        return "s " + negation + "LIKE '" + prefix + suffix + "'";
      }
      case 8:
        return random_->Pick<std::string>({"abs(i) > 3", "length(s) < 5", "i + 1 = 3",
                                           "lower(p) = 'a'", "coalesce(i, 0) = 0",
                                           "year(pd) = 2024", "CAST(q AS VARCHAR) = '2'"});
      case 9:
        return random_->Pick<std::string>({"i = q", "q < i", "ts >= pd", "d = pd", "i <> q"});
      default: {
        std::string literal = values_->LiteralFor(column);
        return column + (random_->Chance(0.5) ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM ") +
               literal;
      }
    }
  }

  Random* random_;
  Values* values_;
};

SkippingColumn Data(std::string name, SkippingType type) {
  SkippingColumn column;
  column.path = {name};
  column.type = type;
  column.min_column = "min_" + name;
  column.max_column = "max_" + name;
  column.null_count_column = "nulls_" + name;
  return column;
}

SkippingColumn Partition(std::string name, SkippingType type) {
  SkippingColumn column;
  column.path = {name};
  column.type = type;
  column.is_partition = true;
  column.value_column = name;
  return column;
}

std::set<int64_t> Files(engine::Connection* connection, const std::string& sql) {
  Result<engine::QueryResult> result = connection->Query(sql);
  EXPECT_TRUE(result.ok()) << sql << "\n" << result.status().ToString();
  std::set<int64_t> files;
  if (!result.ok()) return files;
  for (const auto& row : result->rows()) files.insert(std::get<int64_t>(row[0].data));
  return files;
}

TEST(DataSkippingPropertyTest, NeverDropsAFileWithAMatchingRow) {
  auto db = engine::Database::Open();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto connection_or = (*db)->Connect();
  ASSERT_TRUE(connection_or.ok()) << connection_or.status().ToString();
  engine::Connection* connection = connection_or->get();

  SkippingLayout layout;
  layout.num_records_column = "num_records";
  layout.columns = {Data("i", SkippingType::kNumeric),     Data("s", SkippingType::kString),
                    Data("ts", SkippingType::kTimestamp),  Data("d", SkippingType::kDate),
                    Data("f", SkippingType::kFloat),       Data("x", SkippingType::kNumeric),
                    Partition("p", SkippingType::kString), Partition("q", SkippingType::kNumeric),
                    Partition("pd", SkippingType::kDate)};
  const std::vector<std::string> stats = {
      "min_i", "max_i", "nulls_i", "min_s", "max_s", "nulls_s", "min_ts", "max_ts", "nulls_ts",
      "min_d", "max_d", "nulls_d", "min_f", "max_f", "nulls_f", "min_x",  "max_x",  "nulls_x"};

  Random random(20240601);
  int checked = 0;
  int skipped = 0;
  int matched = 0;
  for (int table = 0; table < 24; ++table) {
    Values values(&random, table % 3 == 2);
    std::string rows;
    int file_count = random.Int(2, 7);
    for (int file = 0; file < file_count; ++file) {
      std::string p = random.Chance(0.2) ? "NULL" : values.Partition();
      std::string q = random.Chance(0.2) ? "NULL" : std::to_string(random.Int(1, 3));
      std::string pd =
          random.Chance(0.2) ? "NULL" : "DATE '2024-01-0" + std::to_string(random.Int(1, 3)) + "'";
      int row_count = random.Int(1, 6);
      for (int row = 0; row < row_count; ++row) {
        auto maybe_null = [&](std::string value) {
          return random.Chance(0.15) ? std::string("NULL") : value;
        };
        if (!rows.empty()) rows += ",\n";
        rows += "(" + std::to_string(file) + ", " + p + ", " + q + ", " + pd + ", " +
                maybe_null(values.RowInt()) + ", " + maybe_null(values.RowString()) + ", " +
                maybe_null(values.RowTimestamp()) + ", " + maybe_null(values.RowDate()) + ", " +
                maybe_null(values.RowDouble()) + ", " + maybe_null(values.RowDecimal()) + ")";
      }
    }
    Status loaded = connection->Execute(
        "CREATE OR REPLACE TABLE t(file BIGINT, p VARCHAR, q INTEGER, pd DATE, i BIGINT, "
        "s VARCHAR, ts TIMESTAMP, d DATE, f DOUBLE, x DECIMAL(6, 2));\n"
        "INSERT INTO t VALUES " +
        rows +
        ";\n"
        "CREATE OR REPLACE TABLE files AS SELECT file AS file_index, any_value(p) AS p, "
        "any_value(q) AS q, any_value(pd) AS pd, count(*) AS num_records, "
        "min(i) AS min_i, max(i) AS max_i, count(*) - count(i) AS nulls_i, "
        "left(min(s), 32) AS min_s, left(max(s), 32) AS max_s, count(*) - count(s) AS nulls_s, "
        "date_trunc('millisecond', min(ts)) AS min_ts, date_trunc('millisecond', max(ts)) AS "
        "max_ts, count(*) - count(ts) AS nulls_ts, "
        "min(d) AS min_d, max(d) AS max_d, count(*) - count(d) AS nulls_d, "
        "min(f) FILTER (WHERE NOT isnan(f)) AS min_f, max(f) FILTER (WHERE NOT isnan(f)) AS "
        "max_f, count(*) - count(f) AS nulls_f, "
        "min(x) AS min_x, max(x) AS max_x, count(*) - count(x) AS nulls_x "
        "FROM t GROUP BY file;");
    ASSERT_TRUE(loaded.ok()) << loaded.ToString();
    // Some statistics are missing, some files have none.
    for (int file = 0; file < file_count; ++file) {
      bool none = random.Chance(0.1);
      for (const std::string& stat : stats) {
        if (none || random.Chance(0.1)) {
          Status cleared = connection->Execute(
              "UPDATE files SET " + stat + " = NULL WHERE file_index = " + std::to_string(file));
          ASSERT_TRUE(cleared.ok()) << cleared.ToString();
        }
      }
    }

    FilterGenerator generator(&random, &values);
    for (int n = 0; n < 30; ++n) {
      std::string filter = generator.Filter(3);
      Result<ExpressionPtr> parsed = ParsePredicate(filter);
      ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
      std::string printed = (*parsed)->ToSql();
      std::string condition = SkippingCondition(**parsed, layout);
      std::set<int64_t> matching =
          Files(connection, "SELECT DISTINCT file FROM t WHERE " + printed);
      if (filter.find("<=>") == std::string::npos) {
        EXPECT_EQ(Files(connection, "SELECT DISTINCT file FROM t WHERE " + filter), matching)
            << "printing changed the meaning of\n  " << filter << "\nprinted\n  " << printed;
      }
      std::set<int64_t> kept =
          Files(connection, "SELECT file_index FROM files WHERE coalesce(" + condition + ", true)");
      for (int64_t file : matching) {
        if (kept.count(file) == 0) {
          Result<engine::QueryResult> file_row =
              connection->Query("SELECT * FROM files WHERE file_index = " + std::to_string(file));
          std::string stats_text;
          if (file_row.ok()) {
            for (size_t c = 0; c < file_row->column_count(); ++c) {
              stats_text += file_row->column_name(c) + "=" + file_row->at(0, c).ToString() + " ";
            }
          }
          ADD_FAILURE() << "file " << file
                        << " has a matching row but was skipped\n  filter: " << filter
                        << "\n  condition: " << condition << "\n  file: " << stats_text;
        }
      }
      ++checked;
      skipped += file_count - static_cast<int>(kept.size());
      matched += static_cast<int>(matching.size());
    }
  }
  // The generator must exercise both outcomes, or the test proves nothing.
  EXPECT_GT(skipped, checked / 2);
  EXPECT_GT(matched, checked / 2);
}

}  // namespace
}  // namespace sluice::delta
