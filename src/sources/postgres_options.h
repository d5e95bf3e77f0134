// The options of a PostgreSQL read, as Spark's JDBC source (format("jdbc") with a
// jdbc:postgresql:// URL) and Databricks' format("postgresql") take them (docs/postgres.md).
// Option names are case-insensitive, as Spark's are.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice::sources {

// A condition of the reading query on the relation's rows that PostgreSQL may apply before
// the rows cross (filter pushdown): `column op value`, `column IN (values)`, `column IS
// [NOT] NULL`. The query still applies its own conditions; PostgresTable pushes only those
// PostgreSQL evaluates as Spark does for the column's type (docs/postgres.md).
struct PostgresCondition {
  enum class Kind { kCompare, kIn, kIsNull, kIsNotNull };
  enum class ValueKind { kNumber, kString, kBoolean, kDate };
  Kind kind = Kind::kCompare;
  std::string column;  // as the query wrote it
  std::string op;      // kCompare: =, <>, <, <=, >, >=
  ValueKind value_kind = ValueKind::kNumber;
  std::vector<std::string> values;  // numbers as written, strings decoded, dates YYYY-MM-DD
};

struct PostgresOptions {
  // libpq connection settings: host, port, dbname, user, password, sslmode, ...
  std::map<std::string, std::string> connection;
  // What is read: a table (dbtable, which may also be a subquery in parentheses with an
  // alias, as in Spark) or a query.
  std::string relation_sql;  // the FROM item: a table name or (query) AS alias
  // Spark's partitioned read: partitionColumn, lowerBound, upperBound, numPartitions.
  std::optional<std::string> partition_column;
  int64_t lower_bound = 0;
  int64_t upper_bound = 0;
  int num_partitions = 1;
  // A condition every row read must meet (PostgreSQL SQL), e.g. an incremental read's
  // range; empty for none.
  std::string filter;
  // Conditions of the reading query that may be pushed down.
  std::vector<PostgresCondition> pushed;
  // The columns the reading query uses (names compared without regard to case), when it
  // does not use them all: only these are read.
  std::optional<std::vector<std::string>> columns;
  // pipelines.incremental.column (sluice's own): the monotonic column a stream reads new
  // rows by.
  std::optional<std::string> incremental_column;

  // "PostgreSQL at host:port, database db", for messages (never a password).
  std::string Where() const;
  // Reads only the rows whose incremental column is after `after` (when given) and at or
  // before `up_to`: sets `filter`. Values are PostgreSQL's text of the column's values.
  void ReadRange(const std::optional<std::string>& after, const std::string& up_to);

  // The WHERE conditions of each partition of a partitioned read (Spark's strides); one
  // empty condition when the read is not partitioned.
  std::vector<std::string> PartitionConditions() const;
};

// Parses the options of a JDBC or postgresql read. `format` is "jdbc" or "postgresql".
Result<PostgresOptions> ParsePostgresOptions(const std::map<std::string, std::string>& given);

}  // namespace sluice::sources
