#include "runtime/jdbc_source.h"

#include "common/strings.h"
#include "engine/table_source.h"
#include "runtime/kafka_source.h"
#include "sources/postgres_table.h"

namespace sluice::runtime {

Status ReadJdbcSource(engine::Connection& connection,
                      const std::map<std::string, std::string>& options, const std::string& table,
                      bool columns_only) {
  SLUICE_ASSIGN_OR_RETURN(auto resolved, ResolveSecretOptions(options));
  SLUICE_ASSIGN_OR_RETURN(sources::PostgresOptions parsed, sources::ParsePostgresOptions(resolved));
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
