// A PostgreSQL relation as rows DuckDB reads: a table source (engine/table_source.h) that
// reads with libpq's binary COPY, one connection per partition of Spark's partitioned read
// (partitionColumn, lowerBound, upperBound, numPartitions), in parallel.
//
// Columns take Spark's types for PostgreSQL's (Spark's PostgresDialect): boolean, smallint,
// int, bigint, float, double, decimal(p,s) (numeric without a precision: decimal(38,18)),
// string (text, varchar, char, json, jsonb, uuid, enums and every other type, as PostgreSQL
// writes them as text), binary (bytea), date, timestamp (timestamptz, and timestamp read as
// UTC), and arrays of these. Booleans, integers, floats, text, bytea, dates and timestamps
// cross in PostgreSQL's binary form; the rest as text, cast by the columns' SQL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/table_source.h"
#include "sources/postgres_options.h"

namespace sluice::sources {

struct PostgresColumn {
  std::string name;
  std::string spark_type;   // e.g. "bigint", "decimal(10,2)", "array<int>"
  std::string duckdb_type;  // the type of the relation's column, e.g. "DECIMAL(10,2)"
  // How the COPY reads it: the SQL selected in PostgreSQL and the source column's type.
  std::string copy_sql;
  engine::SourceType source_type = engine::SourceType::kVarchar;
  uint32_t type_oid = 0;
};

class PostgresTable final : public engine::TableSource {
 public:
  // Connects, describes the relation (without reading its rows) and refuses what Spark
  // refuses (a numeric of more than 38 digits).
  static Result<std::shared_ptr<PostgresTable>> Open(PostgresOptions options);

  const std::vector<engine::SourceColumn>& columns() const override { return source_columns_; }
  int max_threads() const override { return static_cast<int>(partitions_.size()); }
  Result<std::shared_ptr<void>> BeginScan() override;
  Result<std::unique_ptr<engine::TableProducer>> MakeProducer(
      const std::shared_ptr<void>& scan) override;

  const std::vector<PostgresColumn>& described() const { return columns_; }
  const PostgresOptions& options() const { return options_; }

  // The largest value of `column` in the relation (as PostgreSQL writes it as text), nullopt
  // when the relation has no row with one.
  static Result<std::optional<std::string>> MaxOf(const PostgresOptions& options,
                                                  const std::string& column);

  // The SQL of the relation with Spark's column names and types over `source_sql` (the
  // table source or a table it was read into).
  std::string SparkColumnsSql(const std::string& source_sql) const;
  // An empty relation of the same columns.
  std::string ColumnsOnlySql() const;
  // The pushed-down conditions PostgreSQL applies (PostgresOptions::pushed that fit their
  // column's type), as a WHERE condition; empty for none.
  std::string PushedSql() const;

 private:
  explicit PostgresTable(PostgresOptions options) : options_(std::move(options)) {}

  PostgresOptions options_;
  std::vector<PostgresColumn> columns_;
  std::vector<engine::SourceColumn> source_columns_;
  std::vector<std::string> partitions_;  // COPY statements, one per partition
};

}  // namespace sluice::sources
