// What the reference tests (random inputs checked against a model of the reference
// system's semantics) share: multiset comparison of result lines, and the windowed
// pipeline of the stateful streaming tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "sluice/pipeline.h"

namespace sluice::testing {

// Lines in one list and not the other, both ways (as multisets); the first few of each
// side are reported as failures.
inline size_t Difference(std::vector<std::string> stored, std::vector<std::string> expected) {
  std::sort(stored.begin(), stored.end());
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> only_stored;
  std::vector<std::string> only_expected;
  std::set_difference(stored.begin(), stored.end(), expected.begin(), expected.end(),
                      std::back_inserter(only_stored));
  std::set_difference(expected.begin(), expected.end(), stored.begin(), stored.end(),
                      std::back_inserter(only_expected));
  for (size_t i = 0; i < only_stored.size() && i < 6; ++i) {
    ADD_FAILURE() << "stored | " << only_stored[i];
  }
  for (size_t i = 0; i < only_expected.size() && i < 6; ++i) {
    ADD_FAILURE() << "expected | " << only_expected[i];
  }
  return only_stored.size() + only_expected.size();
}

// The rows of a query, each as its values joined by " | " (NULL for nulls).
inline std::vector<std::string> Lines(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << sql;
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += (i == 0 ? "" : " | ") + (row[i].is_null() ? std::string("NULL") : row[i].ToString());
    }
    out.push_back(line);
  }
  return out;
}

// Events from JSON files in data/, counted and summed per key in 5-minute tumbling and
// 5/1-minute sliding windows under a 10-minute watermark.
inline constexpr const char* kWindowedPipeline =
    "CREATE STREAMING TABLE events AS SELECT * FROM STREAM read_files('data', format => 'json',\n"
    "  schema => 'k STRING, ts TIMESTAMP, v BIGINT');\n"
    "CREATE STREAMING TABLE tumbling AS\n"
    "SELECT window.start AS ws, window.end AS we, k, count(*) AS n, sum(v) AS s\n"
    "FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\n"
    "GROUP BY window(ts, '5 minutes'), k;\n"
    "CREATE STREAMING TABLE sliding AS\n"
    "SELECT window.start AS ws, window.end AS we, k, count(*) AS n, sum(v) AS s\n"
    "FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\n"
    "GROUP BY window(ts, '5 minutes', '1 minute'), k;\n";

}  // namespace sluice::testing
