#include <set>

#include "common/strings.h"
#include "conformance/conformance.h"

namespace sluice::conformance {
namespace {

Result<engine::QueryResult> Describe(engine::Connection& connection, const std::string& sql) {
  return connection.Query("DESCRIBE " + sql);
}

std::string Preview(engine::Connection& connection, const std::string& sql) {
  Result<engine::QueryResult> rows = connection.Query("SELECT * FROM (" + sql + ") LIMIT 5");
  if (!rows.ok()) return rows.status().ToString();
  std::string out;
  for (const auto& row : rows->rows()) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(cell.ToString());
    out += "    (" + Join(cells, ", ") + ")\n";
  }
  return out;
}

}  // namespace

std::string ExpectedParquet(const std::string& directory) {
  return "(SELECT * FROM read_parquet(" + QuoteLiteral(directory + "/**/part-*.parquet") +
         ", hive_partitioning = false, union_by_name = true))";
}

std::string ExpectedCsv(const std::string& path) {
  return "(SELECT * FROM read_csv(" + QuoteLiteral(path) +
         ", all_varchar = true, header = true, nullstr = ''))";
}

Status CompareRows(engine::Connection& connection, const std::string& actual_sql,
                   const std::string& expected_sql, const std::vector<std::string>& columns,
                   bool empty_is_null) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult actual_columns,
                          Describe(connection, "(" + actual_sql + ")"));
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult expected_columns, Describe(connection, expected_sql));
  std::map<std::string, std::string> expected_names;  // lower-case -> as written
  for (const auto& row : expected_columns.rows()) {
    expected_names[ToLower(row[0].ToString())] = row[0].ToString();
  }
  std::set<std::string> wanted;
  for (const std::string& column : columns) wanted.insert(ToLower(column));

  std::vector<std::string> actual_list;
  std::vector<std::string> expected_list;
  for (const auto& row : actual_columns.rows()) {
    std::string name = row[0].ToString();
    std::string type = row[1].ToString();
    if (!wanted.empty() && !wanted.count(ToLower(name))) continue;
    auto it = expected_names.find(ToLower(name));
    if (it == expected_names.end()) {
      return InvalidArgument("column ", name, " is not in the expected result");
    }
    std::string actual_expr = QuoteIdentifier(name);
    std::string expected_expr = "CAST(" + QuoteIdentifier(it->second) + " AS " + type + ")";
    if (empty_is_null && type == "VARCHAR") {
      actual_expr = "NULLIF(" + actual_expr + ", '')";
      expected_expr = "NULLIF(" + expected_expr + ", '')";
    }
    actual_list.push_back(actual_expr + " AS " + QuoteIdentifier(name));
    expected_list.push_back(expected_expr + " AS " + QuoteIdentifier(name));
    expected_names.erase(it);
  }
  if (wanted.empty() && !expected_names.empty()) {
    return InvalidArgument("expected column ", expected_names.begin()->second,
                           " is missing from the scan");
  }
  std::string actual = "SELECT " + Join(actual_list, ", ") + " FROM (" + actual_sql + ")";
  std::string expected = "SELECT " + Join(expected_list, ", ") + " FROM " + expected_sql;
  std::string missing = "(" + expected + ") EXCEPT ALL (" + actual + ")";
  std::string extra = "(" + actual + ") EXCEPT ALL (" + expected + ")";
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult counts,
      connection.Query("SELECT (SELECT count(*) FROM (" + missing + ")), (SELECT count(*) FROM (" +
                       extra + ")), (SELECT count(*) FROM (" + actual + "))"));
  int64_t missing_count = std::get<int64_t>(counts.at(0, 0).data);
  int64_t extra_count = std::get<int64_t>(counts.at(0, 1).data);
  if (missing_count == 0 && extra_count == 0) return Status::OK();
  return InvalidArgument(missing_count, " expected rows missing, ", extra_count,
                         " unexpected rows (of ", std::get<int64_t>(counts.at(0, 2).data),
                         ")\n  missing:\n", Preview(connection, missing), "  unexpected:\n",
                         Preview(connection, extra));
}

}  // namespace sluice::conformance
