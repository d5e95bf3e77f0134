// Every example of Spark's built-in function reference (examples/*.test, one file per
// function group) runs through sluice's Spark SQL front-end on DuckDB and must print
// Spark's documented result, as spark-sql prints it (spark/hive_format.h).
//
// An example is one of:
//  * passed: sluice prints Spark's result (or fails, where Spark's example shows an error);
//  * unsupported: sluice refuses the query before running it, naming what it does not
//    support (a function, a form); listed with that reason;
//  * known difference: listed in <group>.known beside the examples (lines
//    `function | text of the query | reason`), with the reason;
//  * not comparable: its result differs from run to run (random values, the current time,
//    the Spark version); it must run and return as many rows as Spark's example;
//  * failed: anything else. The test fails if any example fails.
// The summary per group is printed as `group: N passed, N failed, N unsupported, ...`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "engine/engine.h"
#include "runtime/spark_functions.h"
#include "spark/hive_format.h"
#include "spark/parser.h"
#include "spark/references.h"
#include "spark/translator.h"

namespace sluice {
namespace {

struct Example {
  std::string group;
  std::string function;
  std::vector<std::string> settings;  // SET statements before it in its block
  std::string query;
  std::vector<std::string> expected;
  int line = 0;
};

std::string Normalize(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<Example> ReadExamples(const std::string& path, const std::string& group) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<Example> out;
  std::string function;
  std::vector<std::string> settings;
  for (size_t i = 0; i < lines.size();) {
    const std::string& line = lines[i];
    if (StartsWith(line, "function ")) {
      function = line.substr(9);
      settings.clear();
      ++i;
      continue;
    }
    if (!StartsWith(line, "> ")) {
      ++i;
      continue;
    }
    Example example;
    example.group = group;
    example.function = function;
    example.line = static_cast<int>(i + 1);
    std::string statement = line.substr(2);
    while (Trim(statement).back() != ';' && i + 1 < lines.size() &&
           !StartsWith(lines[i + 1], "> ") && !StartsWith(lines[i + 1], "function ")) {
      statement += "\n" + lines[++i];
    }
    ++i;
    while (i < lines.size() && !StartsWith(lines[i], "> ") && !StartsWith(lines[i], "function ")) {
      example.expected.push_back(lines[i]);
      ++i;
    }
    while (!example.expected.empty() && Trim(example.expected.back()).empty()) {
      example.expected.pop_back();
    }
    statement = Trim(statement);
    if (StartsWith(ToUpper(statement), "SET ")) {
      settings.push_back(statement);
      continue;
    }
    example.settings = settings;
    example.query = statement;
    out.push_back(std::move(example));
  }
  return out;
}

// Functions whose examples show values that change between runs.
bool NotComparable(const Example& example) {
  static const std::set<std::string> functions = {"rand",
                                                  "randn",
                                                  "random",
                                                  "uuid",
                                                  "shuffle",
                                                  "current_date",
                                                  "current_timestamp",
                                                  "now",
                                                  "curdate",
                                                  "localtimestamp",
                                                  "current_timezone",
                                                  "version",
                                                  "user",
                                                  "current_user",
                                                  "session_user",
                                                  "spark_partition_id",
                                                  "input_file_name",
                                                  "input_file_block_length",
                                                  "input_file_block_start",
                                                  "monotonically_increasing_id",
                                                  "reflect",
                                                  "java_method",
                                                  "unix_timestamp",
                                                  "current_catalog",
                                                  "current_database",
                                                  "current_schema"};
  if (!functions.count(example.function)) return false;
  // unix_timestamp with a date argument is comparable.
  if (example.function == "unix_timestamp" &&
      example.query.find("unix_timestamp()") == std::string::npos) {
    return false;
  }
  return true;
}

// Whether the query orders its rows: an ORDER BY outside parentheses (one inside OVER (...),
// WITHIN GROUP (...) or a subquery orders nothing the query returns).
bool OrdersRows(const std::string& query) {
  const std::string upper = ToUpper(query);
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < upper.size(); ++i) {
    const char c = upper[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && upper.compare(i, 8, "ORDER BY") == 0) {
      return true;
    }
  }
  return false;
}

// Expected outputs that are Java exceptions: the example shows an error.
bool ExpectsError(const Example& example) {
  for (const std::string& line : example.expected) {
    const std::string t = Trim(line);
    if (t.find("Exception") != std::string::npos || StartsWith(t, "org.apache.spark") ||
        StartsWith(t, "[") && t.find("]") != std::string::npos &&
            t.find("_") != std::string::npos &&
            std::all_of(t.begin() + 1, t.begin() + t.find("]"), [](char c) {
              return std::isupper(static_cast<unsigned char>(c)) || c == '_';
            })) {
      return true;
    }
  }
  return false;
}

// Whether two printouts differ only in the last digits of fractional numbers (relative
// difference below 1e-12): the rounding of floating-point sums, which in Spark itself
// depends on how the rows were split over partitions (the documented statistics were
// computed from two partial aggregates merged).
bool SameUpToRounding(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::vector<std::string> x = Split(a[i], ' '), y = Split(b[i], ' ');
    if (x.size() != y.size()) return false;
    for (size_t k = 0; k < x.size(); ++k) {
      if (x[k] == y[k]) continue;
      if (x[k].find('.') == std::string::npos || y[k].find('.') == std::string::npos) return false;
      char* end_x = nullptr;
      char* end_y = nullptr;
      const double dx = std::strtod(x[k].c_str(), &end_x), dy = std::strtod(y[k].c_str(), &end_y);
      if (*end_x != '\0' || *end_y != '\0') return false;
      const double scale = std::max(std::fabs(dx), std::fabs(dy));
      if (std::fabs(dx - dy) > 1e-12 * scale) return false;
    }
  }
  return true;
}

std::map<std::string, std::string> ReadKnownDifferences(const std::string& path) {
  // Lines: `function | query prefix | reason`.
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (Trim(line).empty() || Trim(line)[0] == '#') continue;
    const auto parts = Split(line, '|');
    if (parts.size() < 3) continue;
    out[Trim(parts[0]) + "|" + Trim(parts[1])] = Trim(parts[2]);
  }
  return out;
}

class NoTables : public spark::RelationResolver {
 public:
  Result<spark::BoundRelation> Resolve(const spark::Relation& relation) override {
    return NotFound("no table " + Join(relation.name, "."));
  }
};

struct Outcome {
  enum Kind { kPassed, kFailed, kUnsupported, kKnown, kNotComparable } kind = kFailed;
  std::string detail;
};

Outcome RunExample(engine::Connection& connection, const Example& example,
                   const std::string& time_zone) {
  spark::LexerOptions lexer;
  spark::TranslateOptions options;
  options.session_time_zone = time_zone;
  for (const std::string& setting : example.settings) {
    const std::string lower = ToLower(setting);
    if (lower.find("escapedstringliterals=true") != std::string::npos)
      lexer.escaped_string_literals = true;
    if (lower.find("escapedstringliterals=false") != std::string::npos)
      lexer.escaped_string_literals = false;
    if (lower.find("ansi.enabled=true") != std::string::npos) options.ansi = true;
    const std::string zone_key = "spark.sql.session.timezone=";
    if (lower.find(zone_key) != std::string::npos) {
      std::string zone = Trim(setting.substr(lower.find(zone_key) + zone_key.size()));
      while (!zone.empty() && (zone.back() == ';' || zone.back() == '\'' || zone.back() == '"')) {
        zone.pop_back();
      }
      while (!zone.empty() && (zone.front() == '\'' || zone.front() == '"')) zone.erase(0, 1);
      options.session_time_zone = zone;
    }
  }
  // The session time zone is the connection's TimeZone.
  Outcome outcome;
  Status zone = connection.Execute("SET TimeZone = '" + options.session_time_zone + "'");
  if (!zone.ok()) {
    outcome.detail = zone.message();
    return outcome;
  }
  auto parsed = spark::ParseQueryText(example.query, "example", lexer);
  if (!parsed.ok()) {
    outcome.kind = parsed.status().code() == StatusCode::kNotSupported ? Outcome::kUnsupported
                                                                       : Outcome::kFailed;
    outcome.detail = parsed.status().message();
    return outcome;
  }
  spark::AnnotateReferences(*parsed->query);
  NoTables tables;
  auto translated = spark::TranslateQuery(*parsed, tables, options);
  if (!translated.ok()) {
    const std::string message = translated.status().message();
    const bool unsupported = translated.status().code() == StatusCode::kNotSupported ||
                             message.find("that sluice supports") != std::string::npos;
    if (ExpectsError(example) && !unsupported) {
      outcome.kind = Outcome::kPassed;
      return outcome;
    }
    outcome.kind = unsupported ? Outcome::kUnsupported : Outcome::kFailed;
    outcome.detail = message;
    return outcome;
  }
  std::vector<std::string> columns;
  for (size_t i = 0; i < translated->columns.size(); ++i) {
    columns.push_back(
        spark::HiveStringSql("__q.\"c" + std::to_string(i) + "\"", translated->columns[i].type));
  }
  std::vector<std::string> renamed;
  for (size_t i = 0; i < translated->columns.size(); ++i)
    renamed.push_back("\"c" + std::to_string(i) + "\"");
  const std::string sql = "SELECT " + Join(columns, " || '\t' || ") + " FROM (" + translated->sql +
                          ") AS __q(" + Join(renamed, ", ") + ")";
  auto result = connection.Query(sql);
  if (!result.ok()) {
    if (ExpectsError(example)) {
      outcome.kind = Outcome::kPassed;
      return outcome;
    }
    outcome.detail = result.status().message() + "\n    SQL: " + translated->sql;
    return outcome;
  }
  std::vector<std::string> actual;
  for (size_t r = 0; r < result->row_count(); ++r)
    actual.push_back(Normalize(result->at(r, 0).ToString()));
  std::vector<std::string> expected;
  for (const std::string& line : example.expected) expected.push_back(Normalize(line));
  if (NotComparable(example)) {
    outcome.kind = actual.size() == std::max<size_t>(expected.size(), 1) ? Outcome::kNotComparable
                                                                         : Outcome::kFailed;
    outcome.detail = "rows: " + std::to_string(actual.size());
    return outcome;
  }
  // One empty expected line and no rows are the same printout; so are one empty row and no
  // expected lines (the reader drops the empty line Spark prints for an empty string).
  if (expected.size() == 1 && expected[0].empty() && actual.empty()) actual.push_back("");
  if (expected.empty() && actual.size() == 1 && actual[0].empty()) expected.push_back("");
  // Rows may come in any order unless the query orders them.
  const bool ordered = OrdersRows(example.query);
  std::vector<std::string> a = actual, e = expected;
  if (!ordered) {
    std::sort(a.begin(), a.end());
    std::sort(e.begin(), e.end());
  }
  if (a == e || SameUpToRounding(a, e)) {
    outcome.kind = Outcome::kPassed;
    return outcome;
  }
  outcome.detail = "expected [" + Join(expected, " / ") + "] but got [" + Join(actual, " / ") +
                   "]\n    SQL: " + translated->sql;
  return outcome;
}

// Runs the examples of `dir` with session time zone `time_zone` (blocks may SET another).
void CheckDirectory(const std::string& dir, const std::string& time_zone) {
  auto database = engine::Database::Open();
  ASSERT_TRUE(database.ok()) << database.status().message();
  auto connection = (*database)->Connect();
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(runtime::InstallSparkFunctions(**connection).ok());
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  std::map<std::string, std::array<int, 5>> counts;
  std::vector<std::string> failures, unsupported, differences;
  for (const std::string& file : files) {
    const std::string group = std::filesystem::path(file).stem().string();
    const auto known = ReadKnownDifferences(dir + "/" + group + ".known");
    for (const Example& example : ReadExamples(file, group)) {
      Outcome outcome = RunExample(**connection, example, time_zone);
      const std::string where =
          group + ".test:" + std::to_string(example.line) + " " + example.function;
      std::string known_reason;
      for (const auto& [key, reason] : known) {
        const auto bar = key.find('|');
        if (key.substr(0, bar) == example.function &&
            example.query.find(key.substr(bar + 1)) != std::string::npos) {
          known_reason = reason;
        }
      }
      if (!known_reason.empty() && outcome.kind == Outcome::kFailed) {
        outcome.kind = Outcome::kKnown;
        outcome.detail = known_reason;
      }
      counts[group][outcome.kind]++;
      switch (outcome.kind) {
        case Outcome::kFailed:
          failures.push_back(where + ": " + example.query + "\n    " + outcome.detail);
          break;
        case Outcome::kUnsupported:
          unsupported.push_back(where + ": " + outcome.detail);
          break;
        case Outcome::kKnown:
          differences.push_back(where + ": " + outcome.detail);
          break;
        default:
          break;
      }
    }
  }
  std::ostringstream report;
  std::array<int, 5> total{};
  for (const auto& [group, c] : counts) {
    report << group << ": " << c[Outcome::kPassed] << " passed, " << c[Outcome::kFailed]
           << " failed, " << c[Outcome::kUnsupported] << " unsupported, " << c[Outcome::kKnown]
           << " known differences, " << c[Outcome::kNotComparable] << " not comparable\n";
    for (int k = 0; k < 5; ++k) total[k] += c[k];
  }
  report << "all: " << total[Outcome::kPassed] << " passed, " << total[Outcome::kFailed]
         << " failed, " << total[Outcome::kUnsupported] << " unsupported, "
         << total[Outcome::kKnown] << " known differences, " << total[Outcome::kNotComparable]
         << " not comparable\n";
  std::cout << report.str();
  if (std::getenv("SLUICE_EXAMPLES_VERBOSE") != nullptr) {
    for (const std::string& line : unsupported) std::cout << "unsupported " << line << "\n";
    for (const std::string& line : differences) std::cout << "known " << line << "\n";
  }
  for (const std::string& failure : failures) ADD_FAILURE() << failure;
}

TEST(SparkFunctionExamples, MatchSparksDocumentedResults) {
  // Spark's test harness, which checks these examples, runs in America/Los_Angeles; the
  // documented results of zone-dependent examples are that zone's.
  CheckDirectory(SLUICE_SPARK_EXAMPLES_DIR, "America/Los_Angeles");
}

// Cases of our own (NULLs, edge cases, types), in the same format, with results that
// follow Spark's documented semantics.
TEST(SparkFunctionCases, MatchSparksSemantics) { CheckDirectory(SLUICE_SPARK_CASES_DIR, "UTC"); }

}  // namespace
}  // namespace sluice
