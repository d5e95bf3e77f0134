#include <regex>
#include <set>

#include "common/strings.h"
#include "conformance/conformance.h"

namespace sluice::conformance {
namespace {

struct Column {
  std::string name;
  std::string type;
};

// The columns of a query, in order, as DESCRIBE reports them.
Result<std::vector<Column>> Describe(engine::Connection& connection, const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult rows, connection.Query("DESCRIBE " + sql));
  std::vector<Column> columns;
  for (const auto& row : rows.rows()) columns.push_back({row[0].ToString(), row[1].ToString()});
  return columns;
}

const Column* FindColumn(const std::vector<Column>& columns, const std::string& name) {
  for (const Column& column : columns) {
    if (ToLower(column.name) == ToLower(name)) return &column;
  }
  return nullptr;
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

// Checks the actual column's type against the declared type and the expected file's.
Status CheckType(const Column& actual, const Column& expected, const CompareOptions& options) {
  auto declared = options.declared_types.find(ToLower(actual.name));
  if (declared != options.declared_types.end() && actual.type != declared->second) {
    return InvalidArgument("column ", actual.name, " is read as ", actual.type,
                           "; the table declares ", declared->second);
  }
  if (options.expected_typed && !SameTypeKind(actual.type, expected.type)) {
    return InvalidArgument("column ", actual.name, " is read as ", actual.type,
                           "; the expected result has ", expected.type);
  }
  return Status::OK();
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

bool SameTypeKind(const std::string& actual, const std::string& expected) {
  static const std::regex kTimestamp("TIMESTAMP(_S|_MS|_NS)?( WITH TIME ZONE)?");
  return std::regex_replace(actual, kTimestamp, "TIMESTAMP") ==
         std::regex_replace(expected, kTimestamp, "TIMESTAMP");
}

Result<std::map<std::string, std::string>> DeclaredTypes(engine::Connection& connection,
                                                         const delta::Schema& schema) {
  std::map<std::string, std::string> types;
  if (schema.empty()) return types;
  std::vector<std::string> casts;
  for (const delta::StructField& field : schema.fields()) {
    casts.push_back("CAST(NULL AS " + delta::ToDuckDbType(*field.type) + ") AS " +
                    QuoteIdentifier(field.name));
  }
  // DuckDB's own spelling of each type, as DESCRIBE prints the scan's.
  SLUICE_ASSIGN_OR_RETURN(std::vector<Column> columns,
                          Describe(connection, "SELECT " + Join(casts, ", ")));
  for (const Column& column : columns) types[ToLower(column.name)] = column.type;
  return types;
}

Status CompareRows(engine::Connection& connection, const std::string& actual_sql,
                   const std::string& expected_sql, const CompareOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Column> actual_columns,
                          Describe(connection, "(" + actual_sql + ")"));
  SLUICE_ASSIGN_OR_RETURN(std::vector<Column> expected_columns, Describe(connection, expected_sql));
  std::vector<Column> compared;  // expected columns, in the expected result's order
  if (options.columns.empty()) {
    compared = expected_columns;
    for (const Column& actual : actual_columns) {
      if (FindColumn(expected_columns, actual.name) == nullptr) {
        return InvalidArgument("column ", actual.name, " is not in the expected result");
      }
    }
  } else {
    for (const std::string& name : options.columns) {
      const Column* expected = FindColumn(expected_columns, name);
      if (expected == nullptr) {
        return InvalidArgument("column ", name, " to compare is not in the expected result");
      }
      compared.push_back(*expected);
    }
  }

  std::vector<std::string> actual_list;
  std::vector<std::string> expected_list;
  for (const Column& expected : compared) {
    const Column* actual = FindColumn(actual_columns, expected.name);
    if (actual == nullptr) {
      return InvalidArgument("expected column ", expected.name, " is missing from the result");
    }
    SLUICE_RETURN_IF_ERROR(CheckType(*actual, expected, options));
    std::string actual_expr = QuoteIdentifier(actual->name);
    std::string expected_expr =
        "CAST(" + QuoteIdentifier(expected.name) + " AS " + actual->type + ")";
    for (const CompareOptions::Correction& correction : options.corrections) {
      if (ToLower(correction.column) != ToLower(expected.name)) continue;
      expected_expr = "CASE WHEN CAST(" + expected_expr +
                      " AS VARCHAR) = " + QuoteLiteral(correction.wrong) + " THEN CAST(" +
                      QuoteLiteral(correction.right) + " AS " + actual->type + ") ELSE " +
                      expected_expr + " END";
    }
    if (options.empty_is_null && actual->type == "VARCHAR") {
      actual_expr = "NULLIF(" + actual_expr + ", '')";
      expected_expr = "NULLIF(" + expected_expr + ", '')";
    }
    actual_list.push_back(actual_expr + " AS " + QuoteIdentifier(actual->name));
    expected_list.push_back(expected_expr + " AS " + QuoteIdentifier(actual->name));
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
