#include "runtime/jdbc_source.h"

#include "common/strings.h"
#include "engine/table_source.h"
#include "runtime/secret_options.h"
#include "sources/postgres_table.h"

namespace sluice::runtime {

namespace {

Result<sources::PostgresOptions> Parse(const std::map<std::string, std::string>& options) {
  SLUICE_ASSIGN_OR_RETURN(auto resolved, ResolveSecretOptions(options));
  return sources::ParsePostgresOptions(resolved);
}

}  // namespace

Result<std::optional<std::string>> JdbcIncrementalMax(
    const std::map<std::string, std::string>& options) {
  SLUICE_ASSIGN_OR_RETURN(sources::PostgresOptions parsed, Parse(options));
  if (!parsed.incremental_column) {
    return InvalidArgument(
        "a PostgreSQL table is read in full, not as a stream: remove STREAM, or name a column "
        "whose values only grow with the option pipelines.incremental.column");
  }
  return sources::PostgresTable::MaxOf(parsed, *parsed.incremental_column);
}

Status ReadJdbcSource(engine::Connection& connection,
                      const std::map<std::string, std::string>& options, const std::string& table,
                      const JdbcRead& read) {
  SLUICE_ASSIGN_OR_RETURN(sources::PostgresOptions parsed, Parse(options));
  parsed.pushed = read.pushed;
  parsed.columns = read.columns;
  if (read.incremental) {
    if (read.up_to) {
      parsed.ReadRange(read.after, *read.up_to);
    } else {
      parsed.filter = "false";
    }
  }
  const bool columns_only = read.columns_only;
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<sources::PostgresTable> source,
                          sources::PostgresTable::Open(std::move(parsed)));
  const std::string create = "CREATE TEMPORARY TABLE " + QuoteIdentifier(table) + " AS ";
  if (columns_only) return connection.Execute(create + source->ColumnsOnlySql());
  SLUICE_ASSIGN_OR_RETURN(int64_t id, engine::RegisterTableSource(connection, source));
  Status status = connection.Execute(create + source->SparkColumnsSql(engine::TableSourceCall(id)));
  engine::UnregisterTableSource(id);
  return status;
}

}  // namespace sluice::runtime
